"""xlsx out and in: the workbook of samples/2023 opened with openpyxl and its figures compared with
the hand-typed seed table (tests/test_seed_figures.py); import-xlsx of it gives the samples back,
all or none; a clerk's sheet in the central template, typed here cell by cell, reads too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from seed_figures import FIGURES, SUB_ROW_RATES
from conftest import ROOT

SAMPLES = ROOT / "samples" / "2023"


def zipin(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "2023.xlsx"
    proc = zipin("render", str(SAMPLES), "--format", "xlsx", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _find(ws, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.replace("其中：", "") == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def _numbers(ws, row: int) -> list:
    return [c.value for c in ws[row] if isinstance(c.value, (int, float))]


def _shown(value, number_format: str) -> str:
    """A number as Excel shows it with its format's decimals."""
    places = len(number_format.split(".")[1]) if "." in number_format else 0
    return f"{value:,.{places}f}" if "," in number_format else f"{value:.{places}f}"


def test_a_sheet_per_form_and_the_summary_first(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "汇总"
    assert len(wb.sheetnames) == 13
    for (file, name, *_), title in zip(FIGURES, wb.sheetnames[1:]):
        assert title == f"{file[:2]} {name}"[:31]


@pytest.mark.parametrize("n", range(12))
def test_every_printed_figure_is_a_number_in_its_cell(book, n):
    file, name, rate, fscore, total, grade, scores = FIGURES[n]
    ws = openpyxl.load_workbook(book).worksheets[n + 1]
    r, c = _find(ws, "项目名称")
    assert ws.cell(r, c + 1).value == name
    r, _ = _find(ws, "年度资金总额")
    figures = [_shown(ws.cell(r, c.column).value, ws.cell(r, c.column).number_format)
               for c in ws[r] if isinstance(c.value, (int, float))]
    assert figures[-2:] == [rate, fscore]  # 分数 10.00 is before them
    for label, want in zip(("当年财政拨款", "上年结转资金", "其他资金"), SUB_ROW_RATES[n]):
        r, _ = _find(ws, label)
        row = [c for c in ws[r] if isinstance(c.value, (int, float))]
        assert _shown(row[-1].value, row[-1].number_format) == want
        assert [c.value for c in ws[r] if c.value == "-"] == ["-", "-"]
    head, _ = _find(ws, "一级指标")
    score_col = next(c.column for c in ws[head] if c.value == "得分")
    total_row, _ = _find(ws, "总分")
    got = [_shown(ws.cell(r, score_col).value, ws.cell(r, score_col).number_format)
           for r in range(head + 1, total_row)]
    assert got == scores
    cell = ws.cell(total_row, score_col)
    assert isinstance(cell.value, (int, float)) and _shown(cell.value, cell.number_format) == total
    r, c = _find(ws, "评分等级")
    assert next(x.value for x in ws[r] if x.column > c and x.value) == grade
    assert not any(isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f"
                   for row in ws.iter_rows() for c in row)


def test_merged_cells_as_on_paper_and_a4_one_page_wide(book):
    ws = openpyxl.load_workbook(book).worksheets[1]  # form 01: 8 产出, 3 效益, 1 满意度 indicators
    merged = {str(m) for m in ws.merged_cells.ranges}
    head, _ = _find(ws, "一级指标")
    for first, count in ((head + 1, 8), (head + 9, 3)):
        assert f"A{first}:A{first + count - 1}" in merged
    r, _ = _find(ws, "项目资金（万元）")
    assert f"A{r}:A{r + 4}" in merged  # 项目资金 spans the header and the four rows
    assert ws.page_setup.paperSize == 9  # A4 in the OOXML paper codes
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1  # 12 indicators: 1 page
    assert ws.print_title_rows == f"${head}:${head}"


def test_the_summary_sheet(book):
    ws = openpyxl.load_workbook(book)["汇总"]
    rows = [r for r in ws.iter_rows(min_row=3, max_row=14, max_col=10, values_only=True)]
    assert [r[1] for r in rows] == [s[1] for s in FIGURES]
    assert [f"{r[7]:.2f}" for r in rows] == [s[4] for s in FIGURES]
    assert [r[8] for r in rows] == [s[5] for s in FIGURES]
    foot = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert f"{foot[3]:.2f}" == "5776.93" and f"{foot[4]:.2f}" == "4231.02"  # the year line


def test_import_gives_the_samples_back(book, tmp_path):
    out = tmp_path / "back"
    proc = zipin("import-xlsx", str(book), str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "已导入 12 张表" in proc.stdout
    written = {p.name.split("-", 1)[-1]: p for p in out.glob("*.toml")}
    assert len(written) == 12
    for sample in sorted(SAMPLES.glob("*.toml")):
        mine = written[sample.name.split("-", 1)[1]]
        # the same record, byte for byte, but for the schema line (it points from the folder)
        assert mine.read_text("utf-8").splitlines()[1:] == sample.read_text("utf-8").splitlines()[1:]


def test_a_bad_sheet_writes_nothing(book, tmp_path):
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[5]
    head, _ = _find(ws, "一级指标")
    weight_col = next(c.column for c in ws[head] if c.value == "分值")
    ws.cell(head + 2, weight_col).value = "五分"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    out = tmp_path / "out"
    proc = zipin("import-xlsx", str(bad), str(out))
    assert proc.returncode == 1
    assert "分值“五分”不是数字" in proc.stdout
    assert "未写入任何文件" in proc.stdout
    assert not out.exists() or not list(out.iterdir())


def test_a_clerks_sheet_in_the_central_template(tmp_path):
    """Typed as a clerk would in the central template: other columns, 本年财政拨款, 调整后预算数,
    分值, 偏差原因分析及改进措施, 合计, amounts typed as text with separators, a target =100%."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    rows = [
        ["项目支出绩效自评表（2024年度）"],
        ["项目名称", "社区康复服务", None, None, None, None, None, None],
        ["主管部门", "某区残联", None, None, "实施单位", "某区康复中心"],
        ["项目资金（万元）", None, "年初预算数", "调整后预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", "1,000.00", 800, 760, 10, 95, 9.5],
        [None, "其中：本年财政拨款", 1000, 800, 760, "-", 95, "-"],
        [None, "上年结转资金", 0, 0, 0, "-", 0, "-"],
        [None, "其他资金", None, None, None, "-", None, "-"],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [None, "为 200 名残疾人提供康复服务", None, None, "服务 180 名"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标", "数量指标", "服务人数", "≥200(人)", "180(人)", 50, 45, "部分对象转介"],
        [None, "质量指标", "服务合格率", "=100%", "100%", 20, 20, None],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "达成指标", 20, 20, None],
        ["合计", None, None, None, None, 100, 94.5, None],
        ["评分等级", None, None, None, None, "优"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A4:A8")
    ws.merge_cells("A12:A13")
    ws.merge_cells("B2:H2")
    ws["D13"].data_type = "s"  # typed with a leading ' in Excel: text, not a formula
    path = tmp_path / "clerk.xlsx"
    wb.save(path)
    out = tmp_path / "records"
    proc = zipin("import-xlsx", str(path), str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "与表上一致" in proc.stdout
    (record,) = out.glob("*.toml")
    text = record.read_text("utf-8")
    for line in ('year = 2024', 'name = "社区康复服务"', 'department = "某区残联"',
                 'implementer = "某区康复中心"', 'budget = "1000.00"', 'adjusted = "800"',
                 'level1 = "产出指标"', 'target = "=100%"', 'reason = "部分对象转介"',
                 'expected = "为 200 名残疾人提供康复服务"', 'achieved = "服务 180 名"'):
        assert line in text, line
    assert text.count('level1 = "产出指标"') == 2  # the merged 一级指标 stands for both rows


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    proc = zipin("import-xlsx", str(path), str(tmp_path / "out"))
    assert proc.returncode == 1
    assert "不是可读取的 xlsx 工作簿" in proc.stdout and "未写入任何文件" in proc.stdout
