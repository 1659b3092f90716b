"""The funding table's layout and drawing as plain functions of texts and widths (no Textual):
which cells are editable, how wide each column is, the text of the cell being typed in."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from tui.core.format import amount, cell, fixed
from tui.core.model import AMOUNT_FIELDS, FUNDING_ROWS, Project
from tui.core.scoring import ScoreSheet
from tui.printed.layout import Layout as FormLayout

LABEL_WIDTH = 16
SMALL = 8  # 分值, 执行率, 得分
GAP = 1
COLUMNS = tuple(key for key, _ in AMOUNT_FIELDS) + ("weight", "rate", "score")


def layout(keys: tuple[str, ...], budget: bool = True) -> dict[tuple[int, int], str]:
    """The cells that can be edited, (line, column) -> field path, for a row set's keys: every
    amount (the total row's are the form's stated 年度资金总额), the weight and the funding score.
    Without `budget` (a form that prints no 年初预算数) that column is neither shown nor edited."""
    editable = {(1 + r, c): f"funding.{row}.{field}"
                for r, row in enumerate(("total",) + keys)
                for c, field in enumerate(COLUMNS[:3]) if budget or field != "budget"}
    editable[(1, 3)] = "funding.weight"
    editable[(1, 5)] = "funding.score"
    return editable


CENTRAL = tuple(key for key, _ in FUNDING_ROWS)
PATHS = {path: cell for cell, path in layout(CENTRAL).items()}  # the central template's cells


def fit(text: str, width: int, right: bool = True) -> str:
    if cell_len(text) > width:
        from rich.cells import set_cell_size
        return set_cell_size(text, max(0, width - 1)) + "⋯"
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


def column_widths(rows: list[tuple[str, ...]], room: int, budget: bool) -> list[int]:
    """Column widths for the table's width; numbers are never cut. When room is short, text
    gives way first: the label (to 年度资金总额's 12 cells), the small columns' spare, the
    amounts' headers (年初预算数 down to the widest figure), then the label to 8 cells.
    Room to spare goes to the amounts. A hidden 年初预算数 column has none (and no gap)."""
    lines = [line for line in rows[1:] if line]
    need = [max((cell_len(line[c]) for line in lines), default=4) for c in range(1, 7)]
    least = [8, *need[:3], *(max(n, cell_len(h)) for n, h in zip(need[3:], ("分值", "执行率", "得分")))]
    widths = [LABEL_WIDTH, *(max(n, 10) for n in need[:3]), *(max(n, SMALL) for n in least[4:])]
    over = sum(widths) + GAP * 6 - room
    for columns, floor in (((0,), 12), ((4, 5, 6), None), ((1, 2, 3), None), ((0,), 8)):
        for c in columns:
            if over <= 0:
                break
            give = min(over, widths[c] - max(least[c], floor or 0))
            if give > 0:
                widths[c] -= give
                over -= give
    spare = max(0, -over)
    for c in (1, 2, 3):
        widths[c] += spare // 3
    widths[3] += spare % 3
    if not budget:  # a form that prints no 年初预算数: its room (and gap) to the others
        freed, widths[1] = widths[1] + GAP, 0
        widths[2] += freed // 2
        widths[3] += freed - freed // 2
    return widths


def edit_segments(text: str, caret: int, width: int, style: Style, caret_style: Style) -> list[Segment]:
    """The cell being typed in: its text scrolled to keep the caret in `width` cells."""
    caret = min(caret, len(text))
    caret_char = text[caret] if caret < len(text) else " "
    first = 0
    room = max(1, width - cell_len(caret_char))
    while cell_len(text[first:caret]) > room:
        first += 1
    before, after = text[first:caret], text[caret + 1:]
    used = cell_len(before) + cell_len(caret_char)
    tail = fit(after, max(0, width - used), right=False) if width > used else ""
    return [Segment(before, style), Segment(caret_char, caret_style), Segment(tail, style)]


def table_lines(project: Project, sheet: ScoreSheet, form: FormLayout, rows: tuple[str, ...],
                ) -> list[tuple[str, ...]]:
    """The texts of the table's lines: the header, then one line per row of `rows` (the total
    first), as `form` heads and labels them."""
    rates = {row.key: row.rate for row in sheet.rows}
    funding = project.funding
    # a record in the default layout keeps the table's own headings (分值, not the seed's 分数)
    heads = tuple(form.funding_heading(k) for k in COLUMNS) if project.layout else \
        tuple(t for _k, t in AMOUNT_FIELDS) + ("分值", "执行率", "得分")
    lines: list[tuple[str, ...]] = [(f"项目资金（{project.money_unit or '万元'}）",) + heads]
    for row in rows:
        amounts = funding.row(row)
        rate = cell(sheet.show(rates[row], "rate"))
        if row == "total":
            score = sheet.show(sheet.funding_score, "funding_score")
            tail = (fixed(sheet.funding_weight), rate, score + ("*" if funding.score is not None else ""))
        else:
            tail = ("-", rate, "-")
        label = funding.label(row)
        if row == "total" and not dict(funding.labels).get("total") and form.total_label:
            label = form.total_label
        lines.append((label,)
                     + tuple(cell(amount(getattr(amounts, f))) for f, _t in AMOUNT_FIELDS) + tail)
    return lines
