"""Qualitative actuals written as a known word with words around it (基本健全 against 健全, 未按时完成,
健全完善): the tier each reads as, what stays an error and says why, negatives that are not negations
(不适用, 不低于), and the qualifier lists as profile data (docs/rules.md R4). Figures by hand: weight 10,
the default picks 100% / 80% / 50%."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from tui.core.model import Amounts, Funding, Indicator, Project
from tui.core.rules import RulesError, load_rules, rules_from_dict, rules_to_dict
from tui.core.scoring import indicator_score
from tui.core.validation import ERROR, assess
from tui.core.wording import Qualifiers

RULES = load_rules("default")
HALF_UP = load_rules("half-up")


def one(target: str, actual: str, rules=RULES):
    return indicator_score(Indicator("产出指标", "质量指标", "制度健全性", target, actual, D(10)), rules)


def errors(target: str, actual: str, reason: str = "", rules=RULES):
    project = Project(year=2023, name="x", funding=Funding(appropriation=Amounts(D(100), D(100), D(100))),
                      indicators=(Indicator("产出指标", "质量指标", "a", target, actual, D(90), reason=reason),))
    return [p for p in assess(project, rules).problems if p.level == ERROR]


@pytest.mark.parametrize("rules", [RULES, HALF_UP], ids=["default", "half-up"])
@pytest.mark.parametrize("target, actual", [
    ("健全", "基本健全"), ("健全", "大部分健全"), ("健全", "部分健全"), ("健全", "较为健全"),
    ("健全", "总体健全"), ("健全", "基本 健全"), ("健全", "基本健全 "), ("及时", "基本及时"),
    ("规范", "总体规范"), ("健全", "已基本健全"),              # 已 before another qualifier
    ("健全", "未完全健全"), ("健全", "不完全健全"),              # not fully: partly
    ("≥90%", "较为满意"), ("规范", "基本按时完成"),              # a word the profile lists as met
])
def test_partly_qualified_reads_as_partly_achieved(rules, target, actual):
    result = one(target, actual, rules)
    assert (result.computed, result.problem) == (D("8.00"), "")


@pytest.mark.parametrize("target, actual", [
    ("健全", "未健全"), ("健全", "不健全"), ("健全", "没有健全"), ("健全", "尚未健全"),
    ("规范", "不规范"), ("及时", "未按时完成"), ("及时", "均未及时"), ("提高", "未提高"),
])
def test_negated_reads_as_not_achieved(target, actual):
    result = one(target, actual)
    assert (result.computed, result.problem) == (D("5.00"), "")


@pytest.mark.parametrize("target, actual", [
    ("健全", "已健全"), ("健全", "健全完善"), ("健全", "健全到位"), ("及时", "均及时"),
    ("规范", "全部合格"), ("健全", "已经健全"), ("及时", "及时完成"),
])
def test_met_words_around_the_target_read_as_achieved(target, actual):
    result = one(target, actual)
    assert (result.computed, result.problem) == (D("10.00"), "")


def test_the_forms_engineers_case_is_valid_with_its_reason():
    assert errors("健全", "基本健全", reason="个别制度尚在修订") == []
    # Below the weight, a reason is wanted (R8), as for any partly achieved indicator.
    assert [p.path for p in errors("健全", "基本健全")] == ["indicators[0].reason"]


@pytest.mark.parametrize("target, actual, said", [
    ("健全", "基本", "只有程度用语"),                 # a qualifier with no word
    ("健全", "未", "只有程度用语"),
    ("健全", "基本完善", "既不是年度指标值“健全”"),   # a qualifier before another word
    ("健全", "未落实", "既不是年度指标值“健全”"),
    ("健全", "不断完善", "既不是年度指标值“健全”"),
    ("健全", "健全性较差", "之后另有“性较差”"),       # more after the target's word
    ("及时", "及时率低", "之后另有“率低”"),
])
def test_what_cannot_be_judged_stays_an_error_that_says_why(target, actual, said):
    result = one(target, actual)
    assert result.computed is None and said in result.problem and actual.strip() in result.problem
    problem, = [p for p in errors(target, actual) if p.path == "indicators[0].actual"]
    assert said in problem.message


def test_negatives_inside_words_are_never_read_as_not_achieved():
    # 不适用 marks the indicator not applicable (R9): not scored, not 未达成.
    assert not one("健全", "不适用").applicable
    # A profile whose marks leave 不适用 out still does not read it as 不 + 适用.
    only_slash = replace(RULES, na_marks=("/",))
    assert one("适用", "不适用", only_slash).computed is None
    # Comparatives are not negations, even against a target word they would complete.
    for target, actual in [("低于", "不低于"), ("超过", "不超过"), ("少于", "不少于")]:
        assert one(target, actual).computed is None, actual
    # A profile's own comparative too.
    own = replace(RULES, comparatives=(*RULES.comparatives, ("不差于", "≥")))
    assert one("差于", "不差于", own).computed is None


def test_the_profiles_words_win_over_qualifiers():
    # A profile may list a qualified word itself: its list decides, as before.
    listed = replace(RULES, words=(*RULES.words, ("基本健全", "达成指标")))
    assert one("健全", "基本健全", listed).computed == D("10.00")
    # Without repeat_is_met the target's word is no known word, qualified or not.
    strict = replace(RULES, repeat_is_met=False)
    assert one("健全", "基本健全", strict).computed is None
    assert one("健全", "基本完成", strict).computed == D("8.00")


def _profile(**extra) -> dict:
    data = rules_to_dict(RULES)
    data.update(extra)
    return data


def test_the_qualifier_lists_are_the_profiles_data():
    own = rules_from_dict(_profile(qualifiers={"before": {"部分达成指标并具有一定效果": ["基本"]}}), "own.toml")
    assert own.qualifiers == Qualifiers((("基本", "部分达成指标并具有一定效果"),), ())
    assert one("健全", "基本健全", own).computed == D("8.00")
    assert one("健全", "较为健全", own).computed is None
    assert one("健全", "健全完善", own).computed is None
    none = rules_from_dict(_profile(qualifiers={}), "none.toml")
    assert one("健全", "基本健全", none).computed is None
    # Written to a bundle and read back, a profile's own lists are kept.
    assert rules_from_dict(rules_to_dict(own), "again.toml") == own
    assert rules_to_dict(none)["qualifiers"] == {"before": {}, "met_after": []}


def test_a_profile_written_before_qualifiers_reads_as_the_default_and_keeps_its_digest():
    # The built-ins are written without the table (it is what its absence means), so a bundle made
    # before qualifiers existed carries the same profile and imports as SAME, not as a conflict.
    for rules in (RULES, HALF_UP):
        data = rules_to_dict(rules)
        assert "qualifiers" not in data
        assert rules_from_dict(data, "old.toml") == rules
    assert HALF_UP.qualifiers == RULES.qualifiers and RULES.qualifiers.before


@pytest.mark.parametrize("table, field", [
    ({"before": {"优秀": ["基本"]}}, "qualifiers.before.优秀"),
    ({"before": {"达成指标": ["已"], "未达成指标且效果较差": ["已"]}}, "qualifiers.before.未达成指标且效果较差"),
    ({"before": {"达成指标": [""]}}, "qualifiers.before.达成指标"),
    ({"met_after": "完善"}, "qualifiers.met_after"),
    ({"after": ["完善"]}, "qualifiers"),
    ("基本", "qualifiers"),
])
def test_a_bad_qualifier_table_names_file_and_field(table, field):
    with pytest.raises(RulesError, match=f"bad.toml：字段 {field}"):
        rules_from_dict(_profile(qualifiers=table), "bad.toml")
