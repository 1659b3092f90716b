"""Record format 2: blank cells, a stated total, amounts at their precision, a funding score given
by hand, named row sets; format 1 still read and kept; totals marked not final while errors remain."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal as D

import pytest

from tui.store import codec, recordfile
from tui.core.editing import apply_edit, new_project, value_text
from tui.core.format import amount
from tui.core.model import Amounts, Funding, Indicator, Project
from tui.printed.form import render_svg, render_text
from tui.printed.html import render_html
from tui.core.rules import load_rules
from tui.core.validation import ERROR, WARNING, assess
from conftest import ROOT

RULES = load_rules("default")
SAMPLE = ROOT / "samples" / "2023" / "01-残疾人基本保障和帮扶经费.toml"
ITEMS = (Indicator("产出指标", "数量指标", "a", "≥1(次)", "1(次)", D(90)),)

FORM2 = """\
format = 2
id = "f2"
year = 2023
name = "四川表"
rules = "default"

[funding]
rows = "sichuan"

[funding.labels]
fiscal = "其中：财政资金（含追加）"

[funding.total]
budget = ""
adjusted = "3.36"
executed = "3.360"

[funding.fiscal]
budget = "0.00"
adjusted = "3.36"
executed = "3.36"

[funding.special_account]
budget = "0"
adjusted = "0"
executed = "0"

[funding.unit]
budget = ""
adjusted = ""
executed = ""

[[indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "完成安可产品购买"
target = "=100%"
actual = "=100%"
weight = "90"
"""


def project_with(funding: Funding, items=ITEMS, **kw) -> Project:
    return Project(year=2023, name="x", funding=funding, indicators=items, **kw)


def paths(problems, level=None):
    return {p.path for p in problems if level is None or p.level == level}


def test_format_2_reads_blanks_row_sets_and_labels_and_round_trips(tmp_path):
    project = recordfile.loads(FORM2, "f2.toml")
    f = project.funding
    assert project.format == 2 and f.row_set == "sichuan" and f.weight is None
    assert f.unit == Amounts(None, None, None) and f.other == Amounts(None, None, None)  # left out = blank
    assert f.special_account == Amounts(D(0), D(0), D(0))  # 0 is not blank
    assert f.stated_total.budget is None and f.total.budget == D("0.00")  # blank stated: the rows' sum
    assert f.total.executed == D("3.360")  # kept at the precision given
    assert f.label("fiscal") == "其中：财政资金（含追加）" and f.label("unit") == "单位资金"
    text = recordfile.dumps(project)
    assert recordfile.loads(text, "again") == project and recordfile.dumps(recordfile.loads(text, "x")) == text
    assert 'budget = ""' in text and "format = 2" in text


def test_format_1_stays_format_1_until_an_edit_needs_format_2(tmp_path):
    data = SAMPLE.read_bytes()
    loaded = recordfile.load(SAMPLE)
    assert loaded.project.format == 1
    assert recordfile.dumps(loaded.project, SAMPLE).encode() == data
    edited = apply_edit(loaded.project, "funding.appropriation.executed", "1230.36")
    assert recordfile.dumps(edited).count("format = 1") == 1  # still fits format 1
    blank = apply_edit(loaded.project, "funding.other.budget", "—")
    assert blank.funding.other.budget is None
    text = recordfile.dumps(blank)
    assert "format = 2" in text and recordfile.loads(text, "x").funding.other.budget is None


def test_unknown_row_set_and_format_1_blank_are_refused_naming_the_field():
    with pytest.raises(codec.RecordError, match=r"funding\.rows.*四川"):
        recordfile.loads(FORM2.replace('rows = "sichuan"', 'rows = "四川"'), "f.toml")
    one = SAMPLE.read_text(encoding="utf-8").replace('budget = "0.00"', 'budget = ""', 1)
    with pytest.raises(codec.RecordError, match="funding.carried_over.budget"):
        recordfile.loads(one, "f.toml")


def test_blank_is_not_zero_in_rates_and_scores():
    blank_exec = Funding(appropriation=Amounts(D(100), D(100), None), carried_over=Amounts(None, None, None),
                         other=Amounts(None, None, None))
    result = assess(project_with(blank_exec, items=(replace(ITEMS[0], weight=D(90)),)), RULES)
    assert result.sheet.rate is None and result.sheet.funding_score == D("0.00")
    assert "funding.total.executed" in paths(result.problems, ERROR)
    zero_exec = Funding(appropriation=Amounts(D(100), D(100), D(0)))
    assert assess(project_with(zero_exec), RULES).sheet.rate == D("0.00")


def test_a_stated_total_over_blank_rows_is_scored_and_a_disagreeing_one_warned():
    blank_rows = Funding(stated_total=Amounts(D(880), D(880), D(880)), appropriation=Amounts(None, None, None),
                         carried_over=Amounts(None, None, None), other=Amounts(None, None, None))
    result = assess(project_with(blank_rows), RULES)
    assert result.sheet.rate == D("100.00") and result.sheet.funding_score == D("10.00")
    assert not paths(result.problems) & {"funding.total.budget", "funding.total.adjusted"}
    disagree = replace(blank_rows, appropriation=Amounts(D(800), D(800), D(800)))
    result = assess(project_with(disagree), RULES)
    found = [p for p in result.problems if p.path == "funding.total.executed" and p.level == WARNING]
    assert found and "880.00" in found[0].message and "800.00" in found[0].message
    assert result.sheet.rate == D("100.00")  # the stated total is what the form scores


def test_editing_the_total_states_it_and_a_row_edit_keeps_a_total_of_its_own():
    project = project_with(Funding(appropriation=Amounts(None, None, None),
                                   carried_over=Amounts(None, None, None), other=Amounts(None, None, None)))
    stated = apply_edit(project, "funding.total.adjusted", "880")
    assert stated.funding.stated_total.adjusted == D(880) and stated.funding.stated_total.budget is None
    row = apply_edit(stated, "funding.appropriation.adjusted", "800")
    assert row.funding.stated_total.adjusted == D(880)  # the form's own figure stays
    assert value_text(row, "funding.other.budget") == ""
    assert apply_edit(row, "funding.other.budget", "/").funding.other.budget is None


def test_amounts_are_shown_at_the_precision_they_were_given():
    assert amount(D("89.974")) == "89.974" and amount(D("1248")) == "1,248.00"
    project = recordfile.loads(FORM2, "f2.toml")
    assert "3.360" in render_text(project, RULES, 120)


def test_funding_weight_comes_from_the_profile_when_the_record_gives_none():
    twenty = replace(RULES, funding_weight=D(20))
    funding = Funding(weight=None, appropriation=Amounts(D(100), D(100), D("90")))
    items = (replace(ITEMS[0], weight=D(80)),)
    sheet = assess(project_with(funding, items), twenty).sheet
    assert (sheet.funding_weight, sheet.funding_score, sheet.weight_total) == (D(20), D("18.00"), D(100))
    assert new_project(2024).funding.weight is None
    result = assess(project_with(replace(funding, weight=D(20)), items), RULES)
    assert any(p.path == "funding.weight" and p.level == WARNING for p in result.problems)


@pytest.mark.parametrize("setting, level", [("error", ERROR), ("warning", WARNING)])
def test_a_funding_score_given_by_hand(setting, level):
    rules = replace(RULES, hand_score_reason=setting)
    funding = Funding(appropriation=Amounts(D(100), D(100), D(100)), score=D(7))
    result = assess(project_with(funding), rules)
    assert result.sheet.funding_score == D(7) and result.sheet.funding_computed == D("10.00")
    assert result.sheet.total == D("97.00")
    assert [p.level for p in result.problems if p.path == "funding.reason"] == [level]
    reasoned = assess(project_with(replace(funding, reason="台账不全，扣 3 分")), rules)
    assert "funding.reason" not in paths(reasoned.problems)
    too_much = assess(project_with(replace(funding, score=D(11), reason="r")), rules)
    assert "funding.score" in paths(too_much.problems, ERROR)
    text = recordfile.dumps(project_with(replace(funding, reason="r")))
    assert 'score = "7"' in text and 'reason = "r"' in text


def test_not_final_while_errors_remain_in_every_view(tmp_path):
    impossible = (Indicator("产出指标", "数量指标", "a", "≥1(次)", "1(次)", D(200)),)
    project = project_with(Funding(appropriation=Amounts(D(100), D(100), D(100))), impossible)
    result = assess(project, RULES)
    assert result.error_count == 2 and not result.final  # the weight total, the weight itself
    assert result.grade_text == "优（未定：2 个错误）" and result.total_text == "210.00（未定）"
    assert "优（未定：2 个错误）" in render_text(project, RULES, 120)
    for markup in (render_html([(project, RULES)]), render_svg(project, RULES)):
        assert "未定" in re.sub(r"<[^>]+>|\s", "", markup)
    fine = assess(project_with(Funding(appropriation=Amounts(D(100), D(100), D(100)))), RULES)
    assert fine.final and fine.grade_text == "优" and "未定" not in render_text(
        project_with(Funding(appropriation=Amounts(D(100), D(100), D(100)))), RULES, 120)
    path = tmp_path / "x.toml"
    path.write_text(recordfile.dumps(project), encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "tui", "check", *a], cwd=ROOT,  # noqa: E731
                                    capture_output=True, text=True)
    out = run(str(path))
    assert out.returncode == 1 and "总分 210.00（未定）" in out.stdout and "优（未定：2 个错误）" in out.stdout
    assert "第 1 项指标的分值" in out.stdout
    data = json.loads(run(str(path), "--json").stdout)["projects"][0]
    assert (data["total"], data["grade"], data["final"]) == ("210.00", "优", False)
    assert data["grade_text"] == "优（未定：2 个错误）"


def test_sichuan_labels_are_printed_as_the_form_prints_them():
    text = render_text(recordfile.loads(FORM2, "f2.toml"), RULES, 140)
    for label in ("其中：财政资金（含追加）", "财政专户管理资金", "单位资金", "其他资金"):
        assert label in text
    assert "当年财政拨款" not in text


def test_equal_records_have_equal_digests_whatever_format_they_were_read_from():
    from tui.exchange.canonical import record_digest

    one = recordfile.load(SAMPLE).project
    two = recordfile.loads(recordfile.dumps(replace(one, format=2)), "x")
    assert two.format == 2 and "format = 2" in recordfile.dumps(two)  # read as 2, written as 2
    assert two == one and record_digest(two) == record_digest(one)


def test_a_form_without_the_budget_column_prints_none():
    project = recordfile.loads(FORM2.replace('rows = "sichuan"', 'rows = "sichuan"\nbudget_column = false'), "f")
    assert not project.funding.budget_column
    text = render_text(project, RULES, 120)
    assert "年初预算数" not in text and "全年预算数" in text
    assert "budget_column = false" in recordfile.dumps(project)
    central = recordfile.load(SAMPLE).project
    hidden = replace(central, funding=replace(central.funding, budget_column=False))
    assert not codec.fits_format_1(hidden) and "format = 2" in recordfile.dumps(hidden)
    assert "年初预算数" in render_text(central, RULES, 120)


def test_next_year_and_the_summary_take_format_2_records():
    from tui.core.nextyear import next_year
    from tui.printed.summary import summarize

    project = recordfile.loads(FORM2, "f2.toml")
    following = next_year(project)
    assert following.funding.row_set == "sichuan" and following.funding.labels == project.funding.labels
    assert following.funding.stated_total is None and following.funding.fiscal.adjusted is None
    blank = project_with(Funding(appropriation=Amounts(D(1), None, None)))
    summary = summarize([("a", blank, assess(blank, RULES)), ("b", project, assess(project, RULES))], RULES)
    assert [r.rate for r in summary.rows] == [D(0), D("100.00")] and summary.budget == D("3.36")
