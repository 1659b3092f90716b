"""The rules a profile states beyond the seed: words, comparatives, operator actuals, commas, units,
rounding per figure, hand-given scores. Expected figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from tui.core.model import (COMPARATIVES, Amounts, Funding, Indicator, Project, parse_actual, parse_target,
                       swallowed)
from tui.core.rules import Figure, RulesError, load_rules, rules_from_dict, rules_to_dict
from tui.core.scoring import execution_rate, funding_score, indicator_score
from tui.core.validation import ERROR, WARNING, assess

RULES = load_rules("default")
HALF_UP = load_rules("half-up")


def one(target: str, actual: str, weight: str = "10", rules=RULES):
    return indicator_score(Indicator("产出指标", "数量指标", "指标", target, actual, D(weight)), rules)


def problems(items, rules=RULES, **funding):
    project = Project(year=2023, name="x", indicators=tuple(items),
                      funding=Funding(appropriation=Amounts(D(100), D(100), D(100)), **funding))
    return assess(project, rules).problems


@pytest.mark.parametrize("rules", [RULES, HALF_UP], ids=["default", "half-up"])
@pytest.mark.parametrize("target, actual", [
    ("及时", "及时"), ("有效", "有效"), ("显著提升", "显著提升"),          # the target's own word
    ("规范", "达成预期指标"), ("规范", "完成"), ("规范", "已完成"), ("规范", "达标"),
    ("安全", "高"), ("安全", "好"),
    ("2021年12月完成", "2021年12月完成"),                                 # a phrase with figures
    ("≥266米", "≥266米"), ("≥90%", "≥90%"), ("≥90(%)", "≥95%"),          # operator actuals
    ("1000人以上", "1200人"), ("≥1,000人", "1,000人"), ("不低于90%", "90%"),
    ("≤30万元", "完成"),                                                  # a word against a figure
])
def test_met_in_words_and_operators_scores_the_weight(rules, target, actual):
    result = one(target, actual, rules=rules)
    assert (result.computed, result.problem) == (D("10.00"), "")


@pytest.mark.parametrize("actual, expected", [
    ("基本完成", "8.00"), ("部分完成", "8.00"), ("未完成", "5.00"), ("未达标", "5.00"),
])
def test_synonyms_of_the_lower_tiers(actual, expected):
    assert one("规范", actual).computed == D(expected)


def test_a_word_nobody_knows_scores_nothing_and_says_so():
    result = one("规范", "挺好的吧")
    assert result.computed is None and "挺好的吧" in result.problem and "default" in result.problem
    assert any(p.path == "indicators[0].actual" and p.level == ERROR for p in problems([
        Indicator("产出指标", "数量指标", "a", "规范", "挺好的吧", D(90))]))


def test_repeating_the_target_is_met_only_when_the_profile_says_so():
    strict = replace(RULES, repeat_is_met=False, words=())
    assert one("及时", "及时", rules=strict).computed is None
    assert one("及时", "及时").computed == D("10.00")


@pytest.mark.parametrize("text, op, value, unit", [
    ("1000人以上", "≥", "1000", "人"), ("不低于90%", "≥", "90", "%"), ("不少于3次", "≥", "3", "次"),
    ("至少2个", "≥", "2", "个"), ("不超过5天", "≤", "5", "天"), ("不高于3%", "≤", "3", "%"),
    ("5%以下", "≤", "5", "%"), ("30天以内", "≤", "30", "天"), ("低于2%", "<", "2", "%"),
    ("≥1,000人", "≥", "1000", "人"), ("1,234.5万元", "", "1234.5", "万元"),
])
def test_comparatives_and_commas(text, op, value, unit):
    target = parse_target(text)
    assert (target.op, target.value, target.unit) == (op, D(value), unit)
    actual = parse_actual(text)
    assert (actual.op, actual.value, actual.unit) == (op, D(value), unit)


@pytest.mark.parametrize("target, actual, expected", [
    ("不超过5天", "8天", "6.25"),     # ≤: 10 × 5 / 8
    ("1000人以上", "500人", "5.00"),
    ("至少4次", "3次", "7.50"),
])
def test_comparatives_score_as_their_operator(target, actual, expected):
    assert one(target, actual).computed == D(expected)


def test_a_unit_that_swallowed_a_comparative_is_an_error():
    assert swallowed("%以上的") == "以上" and swallowed("人") == ""
    found = problems([Indicator("产出指标", "数量指标", "a", "90%以上的", "95%", D(90))])
    assert any(p.path == "indicators[0].target" and "以上" in p.message and p.level == ERROR
               for p in found)
    no_words = replace(RULES, comparatives=())
    found = problems([Indicator("产出指标", "数量指标", "a", "1000人以上", "1000人以上", D(90))], no_words)
    assert {p.path for p in found if p.level == ERROR} >= {"indicators[0].target", "indicators[0].actual"}


def test_units_must_agree_and_money_converts():
    result = one("=100(%)", "55元")
    assert result.computed is None and "“%”" in result.problem and "“元”" in result.problem
    assert one("≤30万元", "250000元").computed == D("10.00")
    assert one("≥30万元", "150000元").computed == D("5.00")
    assert one("≥90％", "90%").computed == D("10.00")           # full-width percent
    assert one("≥90(%)", "45").computed == D("5.00")            # a bare actual takes the target's unit
    assert one("≥90(%)", "≤95%").problem                        # an operator pointing the other way


def test_one_weight_above_the_total_is_named():
    found = problems([Indicator("产出指标", "数量指标", "a", "90", "90", D(200))])
    assert any(p.path == "indicators[0].weight" and "200.00" in p.message and "100.00" in p.message
               for p in found)


@pytest.mark.parametrize("mode, rate, score", [
    ("down", "86.18", "8.61"), ("half_up", "86.18", "8.62"), ("up", "86.19", "8.62"),
    ("ceiling", "86.19", "8.62"), ("floor", "86.18", "8.61"), ("half_even", "86.18", "8.62"),
])
def test_each_rounding_mode(mode, rate, score):
    rules = replace(RULES, rounding=mode)
    amounts = Amounts(D(0), D("1000"), D("861.83"))  # 86.183%
    assert execution_rate(amounts, rules) == D(rate)
    assert funding_score(D(10), D(rate), rules) == D(score)


def test_places_zero_per_figure_and_shown_so():
    rules = replace(RULES, figures=(("rate", Figure("up", 0)), ("funding_score", Figure("half_up", 0))))
    rate = execution_rate(Amounts(D(0), D("1000"), D("861.83")), rules)
    assert rate == D("87") and rules.show(rate, "rate") == "87"
    assert funding_score(D(10), rate, rules) == D("9") and rules.show(D(9), "funding_score") == "9"
    assert rules.show(D("9"), "total") == "9.00"  # a figure not listed keeps the profile's places


def test_half_even_differs_from_half_up_on_a_tie():
    assert replace(RULES, rounding="half_even").q(D("4.525")) == D("4.52")
    assert HALF_UP.q(D("4.525")) == D("4.53")


@pytest.mark.parametrize("setting, level", [("error", ERROR), ("warning", WARNING)])
def test_a_hand_score_without_reason_under_both_settings(setting, level):
    rules = replace(RULES, hand_score_reason=setting)
    found = problems([Indicator("产出指标", "数量指标", "a", "≥1(次)", "1(次)", D(90), D(7))], rules)
    reasons = [p for p in found if p.path == "indicators[0].reason"]
    assert reasons and all(p.level == level for p in reasons)
    # a computed score below the weight still needs its reason as an error either way
    found = problems([Indicator("产出指标", "数量指标", "a", "≥2(次)", "1(次)", D(90))], rules)
    assert [p.level for p in found if p.path == "indicators[0].reason"] == [ERROR]


def test_new_settings_round_trip_and_are_checked():
    data = rules_to_dict(RULES)
    assert rules_from_dict(data, "x") == RULES
    assert "words" in data and "comparatives" not in data  # the built-in list is what absence means
    old = {k: v for k, v in data.items() if k not in ("words", "units")}
    assert "words" not in rules_to_dict(rules_from_dict(old, "x"))  # an old bundle's digest holds
    for key, value, words in [
        ("figures", {"rate": {"rounding": "sideways", "places": 2}}, "figures.rate.rounding"),
        ("figures", {"grade": {"rounding": "up", "places": 2}}, "figures.grade"),
        ("words", {"不存在的等级": ["好"]}, "words.不存在的等级"),
        ("comparatives", {"以上": "≈"}, "comparatives.以上"),
        ("units", {"万元": {"base": "元", "factor": "0"}}, "units.万元.factor"),
        ("hand_score_reason", "maybe", "hand_score_reason"),
        ("tiers", 5, "tiers"),  # a damaged profile in a bundle raised TypeError
        ("grades", 1.5, "grades"),
        ("warnings", ["x"], "warnings"),
    ]:
        with pytest.raises(RulesError, match=words.replace(".", r"\.")):
            rules_from_dict({**data, key: value}, "p.toml")


@pytest.mark.parametrize("word, op", COMPARATIVES)
def test_each_comparative_before_or_after_the_number(word, op):
    for text in (f"{word}90%", f"90%{word}", f"{word}1,000人"):
        target = parse_target(text)
        assert target.op == op and target.unit in ("%", "人") and not swallowed(target.unit), text
