"""Each scoring rule of RULES.md with its edge cases; expected figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from tui.core.model import Amounts, Funding, Indicator, Project
from tui.core.rules import load_rules, rules_from_dict, rules_to_dict
from tui.core.scoring import execution_rate, funding_score, indicator_score, score
from tui.core.validation import assess

RULES = load_rules("default")
LINEAR = replace(RULES, negative_formula="linear")


def one(target: str, actual: str, weight: str = "10.00", rules=RULES, **kw) -> str:
    result = indicator_score(Indicator("产出指标", "数量指标", "指标", target, actual, D(weight), **kw), rules)
    return f"{result.score:f}"


@pytest.mark.parametrize("target, actual, weight, expected", [
    ("≥2.00(次)", "2.00(次)", "5.00", "5.00"),      # met exactly
    ("≥2.00(次)", "3.00(次)", "5.00", "5.00"),      # over-achievement never above the weight
    ("=100.00(%)", "30.00(%)", "5.00", "1.50"),     # the seed: 30% of 100%, weight 5
    ("=100(%)", "70(%)", "10.00", "7.00"),
    ("≥100(%)", "65(%)", "10.00", "6.50"),
    ("≥3(个)", "2(个)", "10.00", "6.66"),           # 6.666… truncated, not rounded
    ("=100(%)", "120(%)", "10.00", "10.00"),        # = overshot: capped at the weight
    (">100(%)", "101(%)", "10.00", "10.00"),
    (">100(%)", "99(%)", "10.00", "9.90"),
    ("=0(次)", "0.00(次)", "5.00", "5.00"),         # complaints: none → full
    ("=0(次)", "1(次)", "5.00", "0.00"),            # any → nothing
    ("90", "95", "10.00", "10.00"),                 # a bare number is a level to reach
    ("90", "45", "10.00", "5.00"),
    ("≤5(天)", "5(天)", "10.00", "10.00"),
    ("≤5(天)", "8(天)", "10.00", "6.25"),           # ratio: 10 × 5 / 8
    ("<5(天)", "4(天)", "10.00", "10.00"),
    ("≤0(起)", "1(起)", "10.00", "0.00"),
])
def test_quantitative(target, actual, weight, expected):
    assert one(target, actual, weight) == expected


@pytest.mark.parametrize("actual, expected", [("8(天)", "4.00"), ("10(天)", "0.00"), ("12(天)", "0.00")])
def test_negative_linear_falls_to_zero_at_twice_the_target(actual, expected):
    # 10 × (2·5 − 8) / 5 = 4.00
    assert one("≤5(天)", actual, rules=LINEAR) == expected


@pytest.mark.parametrize("actual, weight, expected", [
    ("达成指标", "10.00", "10.00"),
    ("部分达成指标并具有一定效果", "5.00", "4.00"),
    ("部分达成指标并具有一定效果", "10.00", "8.00"),
    ("未达成指标且效果较差", "5.00", "2.50"),
    ("部分达成", "10.00", "8.00"),  # the short form a person types
])
def test_tiers(actual, weight, expected):
    assert one("规范", actual, weight) == expected


def test_tier_actual_against_numeric_target_is_scored_by_tier_with_a_warning():
    assert one("90", "部分达成指标并具有一定效果", "10.00") == "8.00"
    project = _project(Indicator("满意度指标", "服务对象满意度指标", "满意度", "90",
                                 "部分达成指标并具有一定效果", D("90"), reason="问卷未开展"))
    problems = assess(project, RULES).problems
    assert [p.level for p in problems if p.path == "indicators[0].actual"] == ["warning"]


def test_text_that_is_not_a_number_scores_nothing_and_says_why():
    result = indicator_score(Indicator("产出指标", "", "x", "≥1O0(%)", "100(%)", D(10)), RULES)
    assert result.computed is None and result.score == 0
    result = indicator_score(Indicator("产出指标", "", "x", "规范", "95(%)", D(10)), RULES)
    assert result.computed is None and "定性指标" in result.problem


def _project(*items: Indicator, weight="10.00") -> Project:
    return Project(year=2023, name="测试项目", funding=Funding(
        weight=D(weight), appropriation=Amounts(D(100), D(100), D(100))), indicators=items)


def test_override_needs_a_reason():
    item = Indicator("产出指标", "质量指标", "系统验收通过率", "=100.00(%)", "0.00(%)", D("5.00"),
                     score=D("2.50"))
    project = _project(item, Indicator("产出指标", "数量指标", "x", "≥1", "1", D("85")))
    result = assess(project, RULES)
    assert result.sheet.indicators[0].computed == D("0.00")
    assert result.sheet.indicators[0].score == D("2.50")
    assert [p.path for p in result.problems if p.level == "error"] == ["indicators[0].reason"]
    fixed = project.with_indicator(0, reason="决策管理系统尚未进行验收")
    assert not [p for p in assess(fixed, RULES).problems if p.level == "error"]


def test_tier_score_outside_its_band_is_an_error_and_band_ends_are_inclusive():
    base = Indicator("产出指标", "质量指标", "x", "规范", "部分达成指标并具有一定效果", D("10"),
                     reason="部分完成")
    def errors(score):
        project = _project(base, Indicator("产出指标", "数量指标", "y", "≥1", "1", D("80")))
        project = project.with_indicator(0, score=D(score))
        return [p.path for p in assess(project, RULES).problems if p.level == "error"]
    assert errors("8.00") == []   # 80%: the top of 部分达成, inclusive
    assert errors("6.00") == []   # 60%: the bottom, inclusive
    assert errors("8.50") == ["indicators[0].score"]
    assert errors("11") == ["indicators[0].score"]


def test_deduction_without_reason_is_an_error():
    project = _project(Indicator("产出指标", "数量指标", "x", "=100(%)", "70(%)", D("90")))
    assert [p.path for p in assess(project, RULES).problems if p.level == "error"] == ["indicators[0].reason"]


def test_weights_must_add_up_to_100():
    project = _project(Indicator("产出指标", "数量指标", "x", "≥1", "1", D("89")))
    errors = [p for p in assess(project, RULES).problems if p.level == "error"]
    assert [p.path for p in errors] == ["weights"]
    assert "99.00" in errors[0].message


def test_over_achievement_and_low_execution_are_warnings():
    project = replace(_project(Indicator("产出指标", "数量指标", "x", "≥100(人)", "130(人)", D("90"))),
                      funding=Funding(appropriation=Amounts(D(100), D(100), D("89.99"))))
    problems = assess(project, RULES).problems
    assert {(p.level, p.path) for p in problems} == {
        ("warning", "indicators[0].actual"), ("warning", "funding.total.executed")}
    below = project.with_indicator(0, actual="129.99(人)")
    assert [p.path for p in assess(below, RULES).problems] == ["funding.total.executed"]



def test_spending_beyond_the_budget_is_a_warning():
    """Found in tmux: 1300 typed for 1230.37 gave 执行率 105.52%, full marks and no word; a rate
    over 100% is now said (the funding score stays capped at the weight)."""
    def warnings(executed: str) -> list[str]:
        project = replace(_project(Indicator("产出指标", "数量指标", "x", "≥1", "1", D("90"))),
                          funding=Funding(appropriation=Amounts(D(100), D(100), D(executed))))
        return [p.message for p in assess(project, RULES).problems if p.path == "funding.total.executed"]
    assert warnings("100.00") == []
    assert warnings("105.52") == ["执行率 105.52% 超过 100%：执行数多于预算数，请核对金额"]
    assert warnings("89.99") == ["执行率 89.99% 低于 90.00%"]


def test_execution_rate_and_funding_score_truncate_by_default():
    # The seed: 211.01 / 219.10 = 96.3076… → 96.30; 438.31 / 521.20 = 84.0963… → 84.09 and 8.40.
    assert execution_rate(Amounts(D(0), D("219.10"), D("211.01")), RULES) == D("96.30")
    rate = execution_rate(Amounts(D(0), D("521.20"), D("438.31")), RULES)
    assert (rate, funding_score(D(10), rate, RULES)) == (D("84.09"), D("8.40"))
    rate = execution_rate(Amounts(D(0), D("412.45"), D("213.64")), RULES)
    assert (rate, funding_score(D(10), rate, RULES)) == (D("51.79"), D("5.17"))
    # A row with budget but nothing executed, and an empty row.
    assert execution_rate(Amounts(D(24), D(24), D(0)), RULES) == D("0.00")
    assert execution_rate(Amounts(), RULES) == D("0.00")
    # Over-execution never scores above the weight.
    assert funding_score(D(10), D("120.00"), RULES) == D("10.00")


def test_half_up_profile_rounds_where_the_default_truncates():
    amounts = Amounts(D(20000), D(20000), D(9034))  # 45.17% exactly
    half_up = load_rules("half-up")
    assert execution_rate(amounts, half_up) == D("45.17")
    assert funding_score(D(10), D("45.17"), half_up) == D("4.52")
    assert funding_score(D(10), D("45.17"), RULES) == D("4.51")
    project = Project(year=2022, name="x", funding=Funding(appropriation=amounts))
    assert score(project, half_up).funding_score == D("4.52")
    assert score(project, RULES).funding_score == D("4.51")


def test_grades():
    grade = RULES.grade_of
    assert [grade(D(x)) for x in ("100", "90", "89.99", "80", "79.99", "60", "59.99", "0")] == \
        ["优", "优", "良", "良", "中", "中", "差", "差"]


def test_profile_round_trips_through_a_dict():
    assert rules_from_dict(rules_to_dict(RULES), "x") == RULES


def test_bad_profile_names_file_and_field():
    data = rules_to_dict(RULES) | {"rounding": "nearest"}
    with pytest.raises(ValueError, match=r"p\.toml：字段 rounding"):
        rules_from_dict(data, "p.toml")
