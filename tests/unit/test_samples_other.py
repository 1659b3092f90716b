"""The forms of other provinces (shared/forms), transcribed literally into samples/other: each
comes out with the figures the form prints, or with errors that name the form's own gaps.
The expected figures are read off the printed forms, not computed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tui.store import recordfile
from tui.core.rules import load_rules
from tui.core.validation import ERROR, assess
from conftest import OTHER

FOLDER = OTHER


def result(prefix: str):
    path = next(FOLDER.glob(f"{prefix}-*.toml"))
    project = recordfile.load(path).project
    return project, assess(project, load_rules(project.rules, FOLDER))


def errors(assessment) -> dict[str, str]:
    return {p.path: p.message for p in assessment.problems if p.level == ERROR}


def test_every_transcription_loads_and_saves_byte_identical():
    files = recordfile.record_files(FOLDER)
    assert len(files) >= 9
    for path in files:
        assert recordfile.dumps(recordfile.load(path).project, path) == path.read_text(encoding="utf-8")


# prefix: (rate, funding weight, funding score, indicator scores, total or None) as printed
PRINTED = {
    "01": ("83.5", "100", "98", ["18", "10", "10", "10", "10", "10"], None),
    "02": ("100.00", "10", "10", [], None),
    "03": ("100.00", "10", None, None, None),          # 得分 left empty on the form
    "04": (None, "10", "10", ["10"] * 9, "100"),         # 执行率 left empty; 总分 100 100
    "05": ("100", "0", None, None, None),               # no scores at all
    "07": ("100", "0", None, ["4", "2", "2", "2", "9", "7", "2", "6", "10", "5", "4", "4", "3", "3",
                              "13", "8"], None),
    "08": ("100", "20", "20", [], None),                # 得分(20分*执行率)
}


@pytest.mark.parametrize("prefix", sorted(PRINTED))
def test_printed_figures_come_out(prefix):
    rate, weight, fund, scores, total = PRINTED[prefix]
    _project, a = result(prefix)
    sheet = a.sheet
    if rate is not None:
        assert sheet.show(sheet.rate, "rate") == rate
    assert sheet.funding_weight == D(weight)
    if fund is not None:
        assert sheet.funding_score == D(fund)
    if scores is not None:
        assert [s.score for s in sheet.indicators] == [D(x) for x in scores]
    if total is not None:
        assert sheet.total == D(total)


def test_the_forms_own_gaps_are_named():
    _p, a = result("01")  # 分值 100 for the funding block, 98 and 18 given without a reason
    assert "170.00" in errors(a)["weights"] and "98" in errors(a)["funding.reason"]
    assert "18" in errors(a)["indicators[0].reason"] and not a.final
    _p, a = result("02")  # cut off after the funding block
    assert "10.00" in errors(a)["weights"]
    _p, a = result("03")  # a template with only the targets filled in
    assert errors(a)["indicators[0].actual"] == "未填写实际完成值"
    _p, a = result("04")  # values written into the indicators' names, no target printed
    assert errors(a)["indicators[2].target"] == "年度指标值为空" and a.sheet.total == D(100)
    _p, a = result("05")  # 100% against “无”
    assert "“无”" in errors(a)["indicators[10].actual"] and a.sheet.grade == "不评级"
    _p, a = result("07")  # 2021年12月完成 repeated, but scored 4 of 5 without a reason
    assert "4" in errors(a)["indicators[10].reason"]
    assert "M.8万元" in errors(a)["indicators[13].actual"]  # OCR damage named as it is
    _p, a = result("08")  # cut off after the funding block
    assert "20.00" in errors(a)["weights"]
    _p, a = result("09")  # 执行率 100% printed with no budget
    assert a.sheet.rate is None and "5.5" in recordfile.dumps(_p)
    _p, a = result("10")  # a fragment: four indicators of 22.5, 合计 100
    assert a.sheet.weight_total == D(100) and "name" in errors(a)


def test_words_and_repeats_are_met_in_the_transcriptions():
    _p, a = result("05")  # 高 / 高, 0起 / 0起
    assert a.sheet.indicators[13].computed == D(0) and a.sheet.indicators[13].problem == ""
    _p, a = result("07")  # 符合相关文件要求 / 符合相关文件要求, 2370人 / 2370人
    assert a.sheet.indicators[9].computed == D(5) and a.sheet.indicators[8].computed == D(10)
