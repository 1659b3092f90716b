"""The grid's columns: what each shows, how wide it may be, and text cut or padded to a width.

Pure functions of texts and widths (no Textual), so the layout is tested and reasoned about
without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size

from tui.core.model import TIERS
from tui.printed.layout import layout_or_default

# The cut mark: ⋯ is one cell in every terminal (… is East-Asian-ambiguous: two cells in many
# Chinese terminals, which would shift every column after it); the project list uses it too.
ELLIPSIS = "⋯"


class Column(NamedTuple):
    field: str  # an indicator field, or "" for the row number
    header: str
    least: int  # the narrowest it may be squeezed to
    most: int  # the widest it grows to fit its texts; 0: takes the width left over
    right: bool = False  # right-aligned (numbers)


COLUMNS = (
    Column("", "序号", 4, 4, True),
    Column("level1", "一级指标", 4, 10),
    Column("level2", "二级指标", 4, 18),
    Column("name", "三级指标", 6, 30),
    Column("target", "年度指标值", 8, 16),
    Column("actual", "实际完成值", 8, 26),
    Column("weight", "分值", 6, 6, True),
    Column("score", "得分", 6, 18, True),  # "100.00 (算 100.00)": a figure is never cut
    Column("reason", "偏差原因分析", 6, 0),
)
FIELDS = tuple(c.field for c in COLUMNS if c.field)  # the cells a cursor can stand on
COLUMN_OF = {c.field: i for i, c in enumerate(COLUMNS) if c.field}  # field -> column index
# Squeezed, a cell at a time from the widest, when the view is narrow (score and weight never).
SHRINK = ("actual", "name", "level2", "target", "level1", "reason")
OVERRIDE_WIDTH = cell_len("10.00 (算 10.00)")  # 得分 of a row with a recorded score
# A tier that does not fit its cell is shown by the short name a person may also type.
TIER_SHORT = dict(zip(TIERS, ("达成", "部分达成", "未达成")))
_FLEX = next(i for i, c in enumerate(COLUMNS) if not c.most)


class Layout(NamedTuple):
    """Where each column is drawn: widths, the gap between two columns, their x offsets."""

    widths: tuple[int, ...] = ()
    gap: int = 2
    offsets: tuple[int, ...] = ()
    line_width: int = 0

    def column_at(self, x: int) -> int | None:
        """The column whose cell (or the gap after it) holds x, if any."""
        for column, (start, width) in enumerate(zip(self.offsets, self.widths)):
            if start <= x < start + width + self.gap:
                return column
        return None


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with ⋯ when too long, padded with spaces otherwise."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        out, used = [], 0
        for ch in text:
            w = get_character_cell_size(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        return "".join(out) + ELLIPSIS + " " * (width - 1 - used)
    pad = " " * (width - length)
    return pad + text if right else text + pad


def column_widths(values: Sequence[Sequence[str]], view_width: int, recorded: bool,
                  ) -> tuple[tuple[int, ...], int]:
    """Widths and gap for rows of full cell texts (`values`, per row a text per column).

    Each column as wide as its longest text (within its bounds), the reason the rest; when that
    is too wide, gaps shrink to one cell and the SHRINK columns give up a cell at a time, the one
    with most to spare first (a table still too wide scrolls sideways). `recorded`: some row has
    a recorded score, so 得分 may show "(算 …)" while typing and keeps room for it."""
    want = []
    for column, col in enumerate(COLUMNS):
        if not col.most:
            want.append(col.least)
            continue
        longest = max((cell_len(row[column]) for row in values), default=0)
        if col.field == "score" and recorded:
            longest = max(longest, OVERRIDE_WIDTH)
        want.append(max(col.least, min(col.most, max(cell_len(col.header), longest))))
    # A figure is never cut: 年度指标值 and 实际完成值 keep room for their widest text with a
    # digit (≥4000.00(人次)); the text columns give way first.
    least = [c.least for c in COLUMNS]
    for field in ("target", "actual"):
        column = COLUMN_OF[field]
        figures = [cell_len(row[column]) for row in values if any(ch.isdigit() for ch in row[column])]
        least[column] = min(max([least[column], *figures]), want[column])
    for gap in (2, 1):
        used = sum(want) + gap * (len(COLUMNS) - 1)
        if used <= view_width:
            want[_FLEX] += view_width - used
            return tuple(want), gap
    squeezable = [COLUMN_OF[field] for field in SHRINK]
    for _ in range(used - view_width):
        column = max(squeezable, key=lambda c: want[c] - least[c])
        if want[column] <= least[column]:
            break
        want[column] -= 1
    return tuple(want), 1


def layout(values: Sequence[Sequence[str]], view_width: int, recorded: bool) -> Layout:
    """The Layout of rows of cell texts in a view `view_width` cells wide."""
    widths, gap = column_widths(values, view_width, recorded)
    offsets, x = [], 0
    for width in widths:
        offsets.append(x)
        x += width + gap
    return Layout(widths, gap, tuple(offsets), x - gap)


def form_headings(layout_name: str) -> dict[str, str]:
    """The grid's column headings as the record's form layout prints them (分值 or 权重, 完成值…);
    a split target (指标性质 / 指标值 / 度量单位) is typed in one cell, headed 指标值."""
    form = layout_or_default(layout_name)
    keys = ("level1", "level2", "name", "actual", "weight", "score", "reason")
    out = {k: form.indicator_heading(k) for k in keys if k in form.indicator_columns}
    out["target"] = form.indicator_heading("target" if "target" in form.indicator_columns else "value")
    return out
