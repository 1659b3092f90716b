"""Pure edits by field path: what a person types, what the record keeps."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tui.store import recordfile
from tui.core.editing import (add_indicator, apply_edit, delete_indicator, label, move_indicator,
                         new_project, value_text)
from tui.core.model import ParseError
from tui.core.rules import load_rules
from tui.core.validation import assess
from conftest import SAMPLES

SAMPLE = recordfile.load(SAMPLES / "01-残疾人基本保障和帮扶经费.toml").project


@pytest.mark.parametrize("path, typed, kept", [
    ("indicators[0].actual", "１", "1(次)"),                # full-width digit, the target's unit
    ("indicators[0].actual", "3（次）", "3(次)"),            # full-width brackets
    ("indicators[0].actual", "部分达成", "部分达成指标并具有一定效果"),
    ("indicators[0].target", ">= 3 (次)", "≥3(次)"),        # ASCII operator made canonical
    ("indicators[0].target", "﹦100(%)", "=100(%)"),
    ("indicators[0].target", "规范", "规范"),
    ("indicators[0].reason", "[/x] 原因", "[/x] 原因"),      # text is kept as typed
])
def test_typed_text_is_understood(path, typed, kept):
    assert value_text(apply_edit(SAMPLE, path, typed), path) == kept


@pytest.mark.parametrize("path, typed, words", [
    ("indicators[0].actual", "1O0", "“1O0”"),
    ("indicators[0].weight", "五", "不是数字"),
    ("indicators[0].target", "≥", "缺少数值"),
    ("funding.other.executed", "12..5", "不是数字"),
    ("year", "23", "四位数字"),
])
def test_bad_text_is_refused_with_a_reason(path, typed, words):
    with pytest.raises(ParseError, match=words):
        apply_edit(SAMPLE, path, typed)


def test_amounts_accept_separators_and_make_the_total_derived():
    project = apply_edit(SAMPLE, "funding.appropriation.executed", "１,２００.５０")
    assert project.funding.appropriation.executed == D("1200.50")
    assert project.funding.stated_total is None and project.funding.total.executed == D("1200.50")
    assert SAMPLE.funding.stated_total is not None  # the original is untouched


def test_score_override_can_be_set_and_cleared():
    project = apply_edit(SAMPLE, "indicators[0].score", "4.5")
    assert project.indicators[0].score == D("4.5")
    assert apply_edit(project, "indicators[0].score", " ").indicators[0].score is None


def test_add_delete_move():
    n = len(SAMPLE.indicators)
    added = add_indicator(SAMPLE, 2)
    assert len(added.indicators) == n + 1
    assert (added.indicators[2].level1, added.indicators[2].level2) == ("产出指标", "数量指标")
    moved, index = move_indicator(SAMPLE, 0, +1)
    assert index == 1 and moved.indicators[1] == SAMPLE.indicators[0]
    assert move_indicator(SAMPLE, 0, -1) == (SAMPLE, 0)
    assert delete_indicator(added, 2) == SAMPLE


def test_new_project_template_weights_add_up():
    project = new_project(2024, "上海市残疾人联合会")
    result = assess(project, load_rules())
    assert result.sheet.weight_total == D(100)
    assert {i.level1 for i in project.indicators} == {"产出指标", "效益指标", "满意度指标"}
    assert "weights" not in {p.path for p in result.problems}


def test_labels_name_the_form_field():
    assert label("indicators[2].actual") == "第 3 项指标的实际完成值"
    assert label("funding.carried_over.adjusted") == "上年结转资金的全年预算数"
    assert label("weights") == "分值合计"
