"""Indicators marked not applicable (不适用, docs/rules.md R9): not scored, no reason needed, their
weight left out (omit) or the total rescaled to the full mark (rescale, 按百分制折算). Expected
figures worked out by hand from the seed's form 04 (残疾人权益保障经费: funding 9.88, total 99.88)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from decimal import Decimal as D

import pytest
import tomli_w

from tui.core.rules import RulesError, load_rules, rules_from_dict, rules_to_dict
from tui.core.validation import ERROR, WARNING, assess
from tui.printed.form import render_text
from tui.store import recordfile, saving

from conftest import ROOT, SAMPLES

DEFAULT = load_rules("default")
RESCALE = replace(DEFAULT, name="rescale", na_weights="rescale")
FORM_04 = SAMPLES / "04-残疾人权益保障经费.toml"


def added(assessment) -> list[tuple[str, str]]:
    """The problems beyond the form's own (04 warns that one actual is 3240% of its target)."""
    base = assess(recordfile.load(FORM_04).project, DEFAULT).problems
    return [(p.path, p.level) for p in assessment.problems if p not in base]


def marked(mark: str = "不适用", field: str = "actual", index: int = 1, **changes):
    """Form 04 with its second indicator (weight 5.00, scored 5.00) marked not applicable."""
    project = recordfile.load(FORM_04).project
    items = list(project.indicators)
    items[index] = replace(items[index], **{field: mark}, **changes)
    return replace(project, indicators=tuple(items))


def test_form_04_as_printed():
    a = assess(recordfile.load(FORM_04).project, DEFAULT)
    assert (str(a.sheet.total), a.sheet.grade, str(a.sheet.weight_total)) == ("99.88", "优", "100.00")


@pytest.mark.parametrize("mark, field", [("不适用", "actual"), ("/", "actual"), ("／", "actual"),
                                         (" 不适用 ", "actual"), ("/", "target")])
def test_omit_leaves_the_weight_out_and_says_the_weights_do_not_add_up(mark, field):
    a = assess(marked(mark, field), DEFAULT)
    item = a.sheet.indicators[1]
    assert not item.applicable and item.computed is None
    # 99.88 - 5.00: the weights that count are 95, which the form must fix (an error naming them).
    assert str(a.sheet.total) == "94.88"
    assert str(a.sheet.weight_total) == "95.00"
    # the weights total is an error naming 95.00, and the row says its 5.00 was left out
    assert added(a) == [("weights", ERROR), ("indicators[1].weight", WARNING)]
    assert "95.00" in a.problems[0].message
    assert "5.00 不计入分值合计" in next(p.message for p in a.problems if p.path == "indicators[1].weight")


def test_omit_with_the_weight_given_to_the_others_comes_out_as_printed():
    # The form gives the not-applicable row no weight and the others the full 100.
    project = marked(weight=D(0))
    items = list(project.indicators)
    items[0] = replace(items[0], weight=items[0].weight + 5, score=None)  # 10.00 -> 15.00, met
    a = assess(replace(project, indicators=tuple(items)), DEFAULT)
    assert (str(a.sheet.total), str(a.sheet.weight_total), added(a)) == ("99.88", "100.00", [])


def test_rescale_keeps_the_weight_and_rescales_the_total():
    a = assess(marked(), RESCALE)
    # 94.88 of the 95 applicable, on 100: 94.88 / 95 × 100 = 99.873… truncated (the default's
    # rounding) to 99.87.
    assert (str(a.sheet.total), str(a.sheet.unscaled), a.sheet.grade) == ("99.87", "94.88", "优")
    assert str(a.sheet.weight_total) == "100.00"
    assert added(a) == []


def test_rescale_follows_the_profile_rounding():
    half_up = replace(load_rules("half-up"), na_weights="rescale")
    # Half-up: rate 198.67 / 200.96 = 98.8604… → 98.86, funding 9.886 → 9.89, so 94.89 of 95
    # applicable → 99.8842… → 99.88 (the default truncates: 9.88, 94.88 → 99.87).
    assert str(assess(marked(), half_up).sheet.total) == "99.88"
    # Half of the first indicator given by hand: 89.88 / 95 → 94.6105… → 94.61 (down);
    # 89.89 / 95 → 94.6210… → 94.62 (half-up).
    project = marked()
    items = list(project.indicators)
    items[0] = replace(items[0], score=D("5.00"), reason="部分完成")
    project = replace(project, indicators=tuple(items))
    assert str(assess(project, RESCALE).sheet.total) == "94.61"
    assert str(assess(project, half_up).sheet.total) == "94.62"


def test_nothing_to_explain_but_a_score_typed_is_a_warning():
    a = assess(marked(score=D("3.00")), RESCALE)
    assert added(a) == [("indicators[1].score", WARNING)]
    assert str(a.sheet.total) == "99.87"  # the 3.00 typed is not counted


def test_the_printed_form_shows_the_mark_and_the_rescaled_total():
    text = render_text(marked(), RESCALE, width=160)
    assert "99.87" in text and "99.88" not in text
    row = next(line for line in text.splitlines() if "不适用" in line)
    assert "/" in row.split("不适用", 1)[1]


def test_the_setting_round_trips_and_is_checked():
    data = rules_to_dict(DEFAULT)
    assert "not_applicable" not in data  # old profiles' bundle digests hold
    again = rules_from_dict(rules_to_dict(RESCALE), "x")
    assert (again.na_weights, again.na_marks) == ("rescale", ("不适用", "/"))
    with pytest.raises(RulesError, match="not_applicable.weights"):
        rules_from_dict({**data, "not_applicable": {"weights": "drop"}}, "x")
    with pytest.raises(RulesError, match="not_applicable.marks"):
        rules_from_dict({**data, "not_applicable": {"marks": [""]}}, "x")


def test_a_folder_profile_says_rescale_and_check_prints_it(tmp_path):
    (tmp_path / "profiles").mkdir()
    profile = rules_to_dict(RESCALE)
    (tmp_path / "profiles" / "rescale.toml").write_text(tomli_w.dumps(profile), encoding="utf-8")
    project = replace(marked(), rules="rescale")
    saving.save(project, tmp_path / "04.toml", None)
    out = subprocess.run([sys.executable, "-m", "tui", "check", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "99.87" in out.stdout


def test_a_printed_form_with_a_row_not_applicable_imports_as_printed(tmp_path):
    # The form gives the row no weight and the first indicator 15 (as 天长's form leaves 生态效益 "/").
    project = marked(weight=D(0))
    items = list(project.indicators)
    items[0] = replace(items[0], weight=items[0].weight + 5)
    project = replace(project, indicators=tuple(items))
    saving.save(project, tmp_path / "04.toml", None)
    text = subprocess.run([sys.executable, "-m", "tui", "render", str(tmp_path / "04.toml"), "--format", "text",
                           "--width", "160"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    (tmp_path / "04.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "tui", "import-text", str(tmp_path / "04.txt"), str(out)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "与表上一致" in run.stdout
    back = recordfile.load(next(out.glob("*.toml"))).project
    assert back.indicators[1].actual == "不适用"
    assert [(i.weight, i.score) for i in back.indicators] == [(i.weight, i.score) for i in project.indicators]
    assert str(assess(back, DEFAULT).sheet.total) == "99.88"
