"""The printed form as an Excel workbook: one sheet per project, laid out as the paper form.

The sheet is drawn from the same placed cells as the text form (`PrintedForm.layout`): every
border of the text layout becomes a column or row edge, every cell a (merged) range, so the two
renderers never disagree on which cells are merged, and a change to the form's layout changes
both. Figures go in as numbers with the decimals the form prints (number formats), scores as
values, never formulas that could disagree with the rules. Each sheet prints on A4 portrait, one
page wide, the indicator header repeated on a new page.

The record's id and rule profile sit in a hidden column beside the form, so `import-xlsx` of the
workbook gives back the same records (tui.exchange.xlsxin).

openpyxl, not XlsxWriter: it reads as well as writes, so one library serves export and import.
No Textual.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from tui.core.model import Project
from tui.printed.form import BREAK, INDICATOR_HEAD, PrintedForm, console_for
from tui.core.scoring import ScoreSheet
from tui.printed.summary import COLUMNS, Summary, chart_lines, table_rows, total_lines

WIDTH = 100  # the text layout's width the sheet is drawn from (as `render` prints by default)
FONT = "宋体"  # SimSun: what WPS and Chinese Excel have; LibreOffice falls back to a CJK font
LINE_PT = 14.0  # points per wrapped line of a 10 pt font
META = ("zipin:id", "zipin:rules", "zipin:layout")  # hidden keys beside the form (read back by tui.exchange.xlsxin)
SUMMARY_SHEET = "汇总"
ONE_PAGE = 20  # indicators: a form with no more is printed on one page

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FIGURE = re.compile(r"-?[\d,]*\d(?:\.(\d+))?")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _number(text: str, kind: str) -> tuple[Decimal, str] | None:
    """A printed figure as a number and the format that prints it the same way."""
    m = _FIGURE.fullmatch(text)
    if not m:
        return None  # the "-" of a sub-row, or an empty cell
    places = len(m.group(1) or "")
    decimals = "." + "0" * places if places else ""
    fmt = ("#,##0" if kind == "amount" else "0") + decimals
    return Decimal(text.replace(",", "")), fmt


def sheet_title(n: int, name: str, taken: set[str]) -> str:
    """`01 项目名称` cut to Excel's 31 characters, without the characters a sheet name can't hold."""
    base = _SHEET_BAD.sub("_", f"{n:02d} {name}".strip())[:31].strip("'") or f"{n:02d}"
    title, k = base, 2
    while title.lower() in taken:
        suffix = f"~{k}"
        title, k = base[:31 - len(suffix)] + suffix, k + 1
    taken.add(title.lower())
    return title


def form_sheet(ws, project: Project, sheet: ScoreSheet, width: int = WIDTH) -> None:
    """Draw the printed form of `project` on the empty worksheet `ws`."""
    title, canvas = PrintedForm(project, sheet, width).layout(console_for(width), width)
    placed = canvas.placed
    xs = sorted({p[0] for p in placed} | {p[1] for p in placed})
    ys = sorted({p[2] for p in placed} | {p[3] for p in placed})
    col = {x: i + 1 for i, x in enumerate(xs)}  # column n spans xs[n-1]..xs[n]
    row = {y: i + 2 for i, y in enumerate(ys)}  # row 1 holds the title
    ncols, last_row = len(xs) - 1, len(ys)

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    top = ws.cell(1, 1, title)
    top.font = Font(name=FONT, size=14, bold=True)
    top.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    for n in range(ncols):
        ws.column_dimensions[get_column_letter(n + 1)].width = round((xs[n + 1] - xs[n]) * 1.1, 1)
    for n in range(len(ys) - 1):
        ws.row_dimensions[n + 2].height = max(1, ys[n + 1] - ys[n] - 1) * LINE_PT + 4

    header_row = None
    for x0, x1, y0, y1, _lines, cell in placed:
        r0, c0, r1, c1 = row[y0], col[x0], row[y1] - 1, col[x1] - 1
        text = cell.text.plain.replace(BREAK, "")
        value: object = text
        fmt = None
        if cell.figure and (number := _number(text, cell.figure)) is not None:
            value, fmt = number
        target = ws.cell(r0, c0, value if value != "" else None)
        if isinstance(value, str) and value.startswith("="):
            target.data_type = "s"  # a target such as =100.00(%) is text, not a formula
        if fmt:
            target.number_format = fmt
        bold = bool(getattr(cell.text.style, "bold", False)) or any(
            getattr(span.style, "bold", False) for span in cell.text.spans)
        target.font = Font(name=FONT, size=10, bold=bold)
        target.alignment = Alignment(horizontal=cell.justify, wrap_text=True,
                                     vertical="center" if cell.middle else "top",
                                     indent=2 if cell.indent else 0)
        if r1 > r0 or c1 > c0:
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                ws.cell(r, c).border = _BORDER
        if cell.role == INDICATOR_HEAD and header_row is None:
            header_row = r0

    meta = ncols + 2  # one empty column, then the hidden keys and values
    for n, (key, value) in enumerate(zip(META, (project.id, project.rules, project.layout)), start=1):
        ws.cell(n, meta, key)
        ws.cell(n, meta + 1, value)
    for c in (meta, meta + 1):
        ws.column_dimensions[get_column_letter(c)].hidden = True

    # A form of up to ONE_PAGE indicators is shrunk onto one page, as the HTML is fitted to one;
    # a longer one runs on, one page wide, its header row repeated.
    _print_setup(ws, ncols, last_row, header_row, len(project.indicators) <= ONE_PAGE)


def _print_setup(ws, ncols: int, last_row: int, repeat: int | None, one_page: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages tall as it takes
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"
    if repeat:
        ws.print_title_rows = f"{repeat}:{repeat}"


def summary_sheet(ws, summary: Summary) -> None:
    """The 汇总 sheet: the summary table with its totals, and the two charts beside it."""
    ncols = len(COLUMNS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1, summary.title).font = Font(name=FONT, size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for c, head in enumerate(COLUMNS, start=1):
        cell = ws.cell(2, c, head)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    formats = (None, None, None, "#,##0.00", "#,##0.00", "0.00", "0.00", "0.00", None, "0")
    r = 3
    for r, (data, row) in enumerate(zip(summary.rows, table_rows(summary)), start=3):
        values = [int(row[0]), data.name, data.department, data.budget, data.executed, data.rate,
                  data.funding_score, data.total, data.grade, data.errors]
        for c, (value, fmt) in enumerate(zip(values, formats), start=1):
            cell = ws.cell(r, c, value)
            cell.font = Font(name=FONT, size=10)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center",
                                       horizontal="center" if c in (1, 9) else None)
            if fmt:
                cell.number_format = fmt
    foot = len(summary.rows) + 3
    totals = {1: "合计", 2: f"{len(summary.rows)} 项", 4: summary.budget, 5: summary.executed,
              6: summary.rate, 10: summary.errors}
    for c in range(1, ncols + 1):
        cell = ws.cell(foot, c, totals.get(c))
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.border = _BORDER
        if formats[c - 1]:
            cell.number_format = formats[c - 1]
    for n, line in enumerate(total_lines(summary), start=foot + 2):
        ws.cell(n, 1, line).font = Font(name=FONT, size=10)
    for c, w in enumerate((6, 34, 22, 14, 14, 10, 9, 9, 6, 8), start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.row_dimensions[2].height = 30
    _charts(ws, summary, ncols + 2)
    _print_setup(ws, ncols, foot + 4, 2)
    ws.page_setup.orientation = "landscape"


def _charts(ws, summary: Summary, col: int) -> None:
    """The grade counts and the rate bands as two small bar charts, from cells beside the table."""
    row = 2
    for heading, counts in chart_lines(summary):
        ws.cell(row, col, heading).font = Font(name=FONT, size=10, bold=True)
        for n, (label, count) in enumerate(counts, start=row + 1):
            ws.cell(n, col, label)
            ws.cell(n, col + 1, count)
        chart = BarChart()
        chart.type, chart.title, chart.legend = "bar", heading, None
        chart.height, chart.width = 5, 9
        chart.add_data(Reference(ws, min_col=col + 1, min_row=row + 1, max_row=row + len(counts)))
        chart.set_categories(Reference(ws, min_col=col, min_row=row + 1,
                                       max_row=row + len(counts)))
        ws.add_chart(chart, f"{get_column_letter(col + 3)}{row}")
        row += max(len(counts) + 2, 11)
    for c in (col, col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 10


def workbook(forms: list[tuple[Project, ScoreSheet]], summary: Summary | None = None,
             width: int = WIDTH) -> Workbook:
    """A workbook: the 汇总 sheet first when `summary` is given, then one sheet per form."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = {SUMMARY_SHEET} if summary is not None else set()
    if summary is not None:
        summary_sheet(wb.create_sheet(SUMMARY_SHEET), summary)
    for n, (project, sheet) in enumerate(forms, start=1):
        form_sheet(wb.create_sheet(sheet_title(n, project.name, taken)), project, sheet, width)
    return wb


def save_workbook(wb: Workbook, path: Path) -> None:
    """Write `wb` to `path` at once: a temporary file beside it, then renamed over it."""
    data = io.BytesIO()
    wb.save(data)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.getvalue())
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
