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
# When the view is narrow the columns give way in stages, a cell at a time from the column of
# the stage with most to spare above its floor (score and weight never): first what loses no
# meaning (a figure column's words beside its figures, a level's 指标 ending), then the levels to
# their headings (categories from a standard list: 社会效益 says 社会效益指标), then 三级指标 and
# 偏差原因分析 sharing what is left down to a readable floor, then every text to a tight one,
# last everything to its least.
LEVELS = ("level1", "level2")
SUFFIX = "指标"  # a level cut to its width is shown without it: 服务对象满意度 for …指标
READABLE = {"name": 16, "reason": 12}  # the floor of the shared stage (12: the whole heading)
# Narrower still, the texts down to what still says something (一级⋯, 偏差原⋯), 三级指标 last.
TIGHT = {"level1": 5, "level2": 5, "name": 12, "reason": 7}
REASON_WANT = 30  # the reason column's share when space is short (it takes all that is left)
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

    Each column as wide as its longest text or heading (within its bounds), the reason the rest;
    when that is too wide, gaps shrink to one cell and columns give way in the stages above (a
    table still too wide scrolls sideways). `recorded`: some row has a recorded score, so 得分
    may show "(算 …)" while typing and keeps room for it — when there is room: narrower, that
    room goes before any other column gives way (得分 keeps its texts shown, never cut)."""
    want, shown = [], {}
    for column, col in enumerate(COLUMNS):
        longest = max((cell_len(row[column]) for row in values), default=0)
        if col.field == "score" and recorded:
            shown[column] = max(col.least, cell_len(col.header), longest)  # what is there now
            longest = max(longest, OVERRIDE_WIDTH)
        most = col.most or REASON_WANT
        want.append(max(col.least, min(most, max(cell_len(col.header), longest))))
    for gap in (2, 1):
        used = sum(want) + gap * (len(COLUMNS) - 1)
        if used <= view_width:
            want[_FLEX] += view_width - used
            return tuple(want), gap
    for floors in _stages(values, want):
        floors = {**floors, **shown}  # the room kept for "(算 …)" is the first to give way
        for _ in range(used - view_width):
            column = max(floors, key=lambda c: want[c] - floors[c])
            if want[column] <= floors[column]:
                break
            want[column] -= 1
            used -= 1
    return tuple(want), 1


def _stages(values: Sequence[Sequence[str]], want: list[int]) -> list[dict[int, int]]:
    """Per stage of giving way, the columns that give and the width each gives way down to."""
    least = {COLUMN_OF[field]: COLUMNS[COLUMN_OF[field]].least for field in SHRINK}
    # A figure is never cut: 年度指标值 and 实际完成值 keep room for their widest text with a
    # digit (≥4000.00(人次)); their words (达成指标: 达成) give way first, their headings last.
    figures = {}
    for field in ("target", "actual"):
        column = COLUMN_OF[field]
        widths = [cell_len(row[column]) for row in values if any(ch.isdigit() for ch in row[column])]
        least[column] = min(max([least[column], *widths]), want[column])
        figures[column] = max(least[column], min(cell_len(COLUMNS[column].header), want[column]))
    headings, short = {}, {}
    for field in LEVELS:
        column = COLUMN_OF[field]
        headings[column] = min(cell_len(COLUMNS[column].header), want[column])
        short[column] = max([headings[column], *(cell_len(level_short(row[column])) for row in values)])
        short[column] = min(short[column], want[column])
    readable, tight = ({COLUMN_OF[f]: min(width, want[COLUMN_OF[f]]) for f, width in floors.items()}
                       for floors in (READABLE, TIGHT))
    return [{**figures, **short}, headings, readable, tight, least]


def level_short(text: str) -> str:
    """A level without its 指标 ending (服务对象满意度指标: 服务对象满意度), as shown when cut."""
    return text[:-len(SUFFIX)] if text.endswith(SUFFIX) and len(text) > len(SUFFIX) else text


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
