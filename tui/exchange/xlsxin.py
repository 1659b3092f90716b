"""Reading forms back from a workbook: each sheet laid out as the printed form becomes a record.

Cells are found by their labels, not their positions, so a sheet written by `zipin render --format
xlsx` and a clerk's sheet in the central template (其他 columns, 本年财政拨款, 偏差原因分析及改进措施, 元)
read alike: 项目名称/主管部门/实施单位 take the next cell to their right; the funding rows take the
figures under 年初预算数, 全年预算数 (调整后预算数), 全年执行数, 分值, 执行率, 得分; the indicator rows
run from the 一级指标 header to 总分 (合计), a merged 一级/二级指标 standing for every row it covers.

Each sheet gives a `tui.exchange.textform.ImportedForm` (the record and the figures the sheet prints),
so `import-xlsx` checks and writes through the same path as `import-text` (tui.exchange.textplan). Sheets
that are not forms (汇总, notes) are skipped. No Textual.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from decimal import Decimal
from pathlib import Path

from tui.core.format import fixed
from tui.core.messages import os_error
from tui.core.model import FUNDING_ROWS
from tui.exchange.textform import ImportedForm, Printed, TextImport, normalize_amount, normalize_value
from tui.printed.xlsx import META

_ROW_LABELS = (("total", ("年度资金总额", "资金总额", "合计")),
               ("appropriation", ("当年财政拨款", "本年财政拨款", "财政拨款")),
               ("carried_over", ("上年结转资金", "上年结转")),
               ("other", ("其他资金",)))
_AMOUNT_HEADS = (("budget", ("年初预算数",)), ("adjusted", ("全年预算数", "调整后预算数")),
                 ("executed", ("全年执行数", "执行数")))
_INDICATOR_HEADS = (("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"),
                    ("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值"),
                    ("score", "得分"), ("reason", "偏差原因"))


class XlsxFileError(ValueError):
    """The workbook can't be opened; str() is one Chinese line (without the file name)."""


def _text(value) -> str:
    """A cell as the form prints it: numbers without float noise (0.1 + 0.2 stays 0.3)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, (int, Decimal)):
        return format(Decimal(value), "f")
    return str(value)


def _key(text: str) -> str:
    """A label compared without spaces, line breaks, full-width forms or 其中："""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).removeprefix("其中:")


class _Grid:
    """A sheet's cells as text, each merged range read at its top-left cell."""

    def __init__(self, ws):
        self.ws = ws
        self.owner: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    self.owner[(r, c)] = (rng.min_row, rng.min_col)
        self.cells: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    self.cells[(cell.row, cell.column)] = cell.value
                    self.formats[(cell.row, cell.column)] = cell.number_format
        self.rows, self.cols = ws.max_row, ws.max_column

    def anchor(self, r: int, c: int) -> tuple[int, int]:
        return self.owner.get((r, c), (r, c))

    def value(self, r: int, c: int):
        return self.cells.get(self.anchor(r, c))

    def text(self, r: int, c: int) -> str:
        return _text(self.value(r, c)).strip()

    def figure(self, r: int, c: int) -> str:
        """A number with the decimals its cell shows (1248 formatted 0.00 reads "1248.00")."""
        value = self.value(r, c)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            shown = self.formats.get(self.anchor(r, c), "").split(";")[0]
            m = re.search(r"\.(0+)", shown)
            number = Decimal(_text(value))
            if "%" in re.sub(r'"[^"]*"|\\.', "", shown):  # 0.951 shown as 95.10% (a rate a formula gives)
                number = (number * 100).normalize() if not m else number * 100
                return (fixed(number, len(m.group(1))) if m else format(number, "f")) + "%"
            return fixed(number, len(m.group(1))) if m else _text(value)
        return normalize_amount(self.text(r, c)) or self.text(r, c)

    def find(self, labels, rows=None) -> tuple[int, int] | None:
        """The first cell (row by row) whose text is one of `labels`, or starts with one of them."""
        for r in rows or range(1, self.rows + 1):
            for c in range(1, self.cols + 1):
                if self.anchor(r, c) != (r, c):
                    continue
                text = _key(_text(self.cells.get((r, c))))
                if text and any(text == k or text.startswith(k) for k in labels):
                    return r, c
        return None

    def right_of(self, r: int, c: int) -> str:
        """The text of the next filled cell right of (r, c), outside (r, c)'s merged range."""
        own = self.anchor(r, c)
        for x in range(c + 1, self.cols + 1):
            if self.anchor(r, x) != own and self.text(r, x):
                return self.text(r, x)
        return ""

    def heads(self, r: int, names) -> dict[str, int]:
        """Columns of the header cells of row `r` (and the row below: 分值 may sit under 分数)."""
        found: dict[str, int] = {}
        for key, labels in names:
            for c in range(1, self.cols + 1):
                if self.anchor(r, c)[1] == c and any(_key(self.text(r, c)).startswith(k)
                                                      for k in labels):
                    found.setdefault(key, c)
        return found


def read_workbook(path: Path, year: int | None = None) -> tuple[TextImport, dict[int, str]]:
    """Every form sheet of the workbook at `path` as an ImportedForm (index = sheet number), and
    the sheets' names by index."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=True)  # a formula's cached value, as the sheet shows
    except OSError as exc:
        raise XlsxFileError(f"无法读取（{os_error(exc)}）") from None
    except (BadZipFile, KeyError, ValueError, InvalidFileException):
        raise XlsxFileError("不是可读取的 xlsx 工作簿（旧版 .xls 或 .et 请先在 Excel 或 WPS 中另存为 .xlsx）") from None
    forms, titles = [], {}
    for n, ws in enumerate(wb.worksheets, start=1):
        grid = _Grid(ws)
        if grid.find(("项目名称",)) is None or grid.find(("一级指标",)) is None:
            continue  # 汇总 and other sheets that are not a form
        # the reader of any published form (row sets, blanks, other layouts), else the seed's
        form = _any_layout(grid, n, year, None) or read_sheet(grid, n, year)
        forms.append(form)
        titles[n] = ws.title
    if not forms:
        return TextImport([], ["工作簿中没有按自评表样式排列的工作表（找不到“项目名称”和“一级指标”）"]), {}
    return TextImport(forms), titles


def sheet_cells(grid: _Grid) -> list:
    """The sheet's cells in reading order, row by row, a merged range once at its top-left, empty
    cells kept (a blank cell of the form); the hidden columns of zipin's keys left out."""
    from tui.exchange.textcells import TextCell

    import csv
    import io

    from tui.exchange.textcells import _tabs

    meta = grid.find((META[0],))
    last = meta[1] - 2 if meta else grid.cols
    # each row as Excel copies it (a merged range's other cells empty), read as a table copied with
    # tabs is: an empty cell is a blank where the heading row starts a cell in its column, else
    # part of a merged cell or outside the table (dropped), so rows keep their columns
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    rows: list[int] = []  # the sheet's row of each line of the text
    for r in range(1, grid.rows + 1):
        texts = []
        for c in range(1, last + 1):
            value = grid.value(r, c) if grid.anchor(r, c) == (r, c) else None
            texts.append(grid.figure(r, c) if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
                         else grid.text(r, c) if value is not None else "")
        writer.writerow(texts)
        rows += [r] * (1 + sum(t.count("\n") for t in texts))
    out = [TextCell(c.text, rows[c.line - 1]) for c in _tabs(buf.getvalue().split("\n"))]
    while out and not out[-1].text:
        out.pop()
    return out


def _any_layout(grid: _Grid, index: int, year: int | None, _unused=None) -> ImportedForm | None:
    """A sheet read as a published form is (tui.exchange.formreader), in the layout its hidden key names
    (zipin's export) or the one it looks like; None when that can't read it."""
    from tui.exchange.formreader import read_form

    meta = {key: grid.right_of(*at) for key in META if (at := grid.find((key,)))}
    form, _layout = read_form(sheet_cells(grid), index, year=year, layout_hint=meta.get("zipin:layout", ""))
    if form.problems or form.record is None:
        return None
    form.record["id"] = meta.get("zipin:id") or form.record["id"]
    if not meta.get("zipin:layout") and "zipin:id" in meta:
        form.record.pop("layout")  # zipin's own sheet of a record in the default layout
    return form


def fresh_ids(result: TextImport, taken: set[str]) -> None:
    """Give a form whose id (from the hidden column) is already in `taken` (a folder's records)
    a new one, with a note: one id in two files would confuse bundles and next-year."""
    for form in result.forms:
        if form.record and form.record["id"] in taken:
            form.notes.append(f"文件夹中已有编号 {form.record['id']} 的记录，导入的记录另取新编号")
            form.record["id"] = str(uuid.uuid4())


def read_sheet(grid: _Grid, index: int, year: int | None = None) -> ImportedForm:
    form = ImportedForm(index, 1, None, Printed())
    problems = form.problems
    header = {}
    for key, label in (("name", "项目名称"), ("department", "主管部门"), ("implementer", "实施单位")):
        at = grid.find((label,))
        header[key] = grid.right_of(*at) if at else ""
        if not header[key] and key == "name":
            problems.append("没有填写“项目名称”")
    form.project_name = header["name"]
    title = "".join(grid.text(r, c) for r in range(1, 4) for c in range(1, grid.cols + 1))
    m = re.search(r"((?:19|20)\d{2})\s*年", title)
    found_year = int(m.group(1)) if m else year
    if found_year is None:
        problems.append("表头没有印年度（如“2023年度”），请用 --year 指定")

    money = grid.find(("项目资金",))
    unit = "万元"
    if money and re.search(r"[(（]\s*元\s*[)）]", grid.text(*money)):
        unit = "元"
    funding = _funding(grid, form.printed, problems)
    expected, achieved = _goals(grid)
    indicators = _indicators(grid, form.printed, problems)
    meta = {}
    for key in META:
        at = grid.find((key,))
        if at:
            meta[key] = grid.right_of(*at)
    if problems:
        return form
    form.record = {
        "format": 1, "id": meta.get("zipin:id") or str(uuid.uuid4()), "year": found_year,
        "name": header["name"], "department": header["department"],
        "implementer": header["implementer"], "rules": meta.get("zipin:rules") or "default",
        "money_unit": unit, "funding": funding,
        "goals": {"expected": expected, "achieved": achieved}, "indicators": indicators,
    }
    return form


def _funding(grid: _Grid, printed: Printed, problems: list[str]) -> dict:
    head = grid.find(("年初预算数", "全年预算数", "调整后预算数"))
    if head is None:
        problems.append("项目资金：找不到“年初预算数/全年预算数/全年执行数”表头")
        return {}
    r = head[0]
    cols = grid.heads(r, _AMOUNT_HEADS)
    extra = grid.heads(r, (("weight", ("分值", "分数")), ("rate", ("执行率",)),
                           ("score", ("得分",))))
    funding: dict = {"weight": "10.00"}
    rows = range(r + 1, min(r + 8, grid.rows + 1))
    for key, labels in _ROW_LABELS:
        at = grid.find(labels, rows)
        label = dict(FUNDING_ROWS).get(key, "年度资金总额")
        if at is None:
            if key != "total":
                funding[key] = {"budget": "0.00", "adjusted": "0.00", "executed": "0.00"}
            continue
        row = {}
        for field in ("budget", "adjusted", "executed"):
            raw = grid.figure(at[0], cols[field]) if field in cols else "0.00"
            value = normalize_amount(raw) if raw not in ("", "-", "—", "/") else "0.00"
            if value is None:
                problems.append(f"项目资金：“{label}”行的金额“{raw}”不是数字")
            row[field] = value or "0.00"
        funding[key] = row
        rate = grid.figure(at[0], extra["rate"]) if "rate" in extra else ""
        if key == "total":
            if "weight" in extra and grid.figure(at[0], extra["weight"]):
                funding["weight"] = normalize_amount(grid.figure(at[0], extra["weight"])) or "10.00"
            printed.rate = rate
            printed.funding_score = grid.figure(at[0], extra["score"]) if "score" in extra else ""
        elif rate:
            printed.row_rates[key] = rate
    return funding


def _goals(grid: _Grid) -> tuple[str, str]:
    at = grid.find(("预期目标",))
    done = grid.find(("实际完成情况",))
    if at is None:
        return "", ""
    below = lambda cell: grid.text(cell[0] + 1, cell[1]) if cell else ""  # noqa: E731
    return below(at), below(done)


def _indicators(grid: _Grid, printed: Printed, problems: list[str]) -> list[dict]:
    at = grid.find(("一级指标",))
    if at is None:
        problems.append("找不到绩效指标表头（一级指标）")
        return []
    r0 = at[0]
    cols = grid.heads(r0, [(k, (label,)) for k, label in _INDICATOR_HEADS])
    missing = [label for k, label in _INDICATOR_HEADS if k not in cols and k != "reason"]
    if missing:
        problems.append(f"绩效指标表头缺少：{'、'.join(missing)}")
        return []
    items: list[dict] = []
    for r in range(r0 + 1, grid.rows + 1):
        first = _key(grid.text(r, cols["level1"]))
        if first.startswith(("总分", "合计", "评分等级", "自评得分")):
            printed.weight_total = grid.figure(r, cols["weight"])
            printed.total = grid.figure(r, cols["score"])
            grade_at = grid.find(("评分等级",), range(r, min(r + 3, grid.rows + 1)))
            if grade_at:
                printed.grade = grid.right_of(*grade_at)
            break
        name = grid.text(r, cols["name"])
        if not name and not grid.text(r, cols["target"]):
            continue
        text = lambda key, r=r: grid.text(r, cols[key]) if key in cols else ""  # noqa: E731
        weight = normalize_amount(grid.figure(r, cols["weight"]))
        where = f"第 {len(items) + 1} 项“{name}”"
        if weight is None:
            problems.append(f"{where}的分值“{text('weight')}”不是数字")
            weight = "0"
        items.append({"level1": text("level1"), "level2": text("level2"), "name": name,
                      "target": normalize_value(text("target")),
                      "actual": normalize_value(text("actual")), "weight": weight,
                      "reason": text("reason")})
        printed.indicator_scores.append(grid.figure(r, cols["score"]))
    else:
        problems.append("找不到“总分”行：表格可能不完整")
    if not items:
        problems.append("没有找到任何绩效指标")
    for item in items:
        if not item["reason"]:
            del item["reason"]
    return items
