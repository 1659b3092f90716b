"""The printed form: one project laid out as the paper 财政项目支出绩效自评价, as a Rich renderable.

Rich only, never Textual (a test checks it), so the CLI can print and export without the app, and the
app can embed the same renderable in a scrolling preview.

The paper form is a grid with merged cells (项目资金 spans five rows, a 一级指标 spans all its
indicators, 项目名称's value spans the width). Rich's `Table` has no row or column spans, so the form
is drawn here on a character canvas: each block is a grid of cells with spans, every cell's text is
wrapped to its width (CJK counted by display width, `rich.cells.cell_len`), and the borders are
worked out from which edges the cells have, so junctions come out right (┬ ┴ ├ ┼) where blocks with
different columns meet.

Everything a user typed goes in as `rich.text.Text`, never as markup: ``[bold]``, ``[/x]`` and
``<script>`` print as written, and control characters (an ANSI escape) print as their visible Unicode
control pictures (``␛``), never reaching the terminal.

Public API:

- `printed_form(project, sheet_or_rules, width=None, ascii_ops=False)`: the renderable.
- `render_text(project, rules, width, ascii_ops=False)`: plain text, no ANSI codes.
- `render_svg(...)` through Rich's exporter; `render_html(...)` (tui.printhtml) for A4 printing.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from rich.text import Text

from .format import amount, cell, fixed
from .messages import visible
from .model import Project
from .rules import Rules
from .scoring import ScoreSheet
from .validation import Assessment, assess, validate

TITLE = "财政项目支出绩效自评价"
FUNDING_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分数", "执行率", "得分")
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析")
GOALS_LABEL, EXPECTED_LABEL, ACHIEVED_LABEL = "年度总体目标", "预期目标", "实际完成情况"
TOTAL_LABEL, GRADE_LABEL = "总分", "评分等级"
DASH = "-"  # what the paper prints for a sub-row's weight and score

# Narrowest useful width: below it the columns are squeezed to one cell each and lines cropped.
MIN_WIDTH = 40

BOLD = Style(bold=True)
TITLE_STYLE = Style(bold=True)
LABEL_STYLE = Style(bold=True)
BORDER_STYLE = Style()

# East-Asian-ambiguous characters (Rich counts one column; many Chinese terminals draw two) and
# what `ascii_ops` prints instead. Box-drawing characters are ambiguous too: with `ascii_ops` the
# borders are drawn with + - | as well, so the form keeps its shape on such terminals.
ASCII_MAP = str.maketrans({
    "≥": ">=", "≤": "<=", "≧": ">=", "≦": "<=", "≠": "!=", "±": "+-",
    "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "·": ".",
    "×": "x", "÷": "/", "√": "v", "°": "o", "§": "S", "※": "*", "→": "->", "←": "<-",
    "①": "(1)", "②": "(2)", "③": "(3)", "④": "(4)", "⑤": "(5)",
    "⑥": "(6)", "⑦": "(7)", "⑧": "(8)", "⑨": "(9)", "⑩": "(10)",
})

# (up, down, left, right) -> the character drawn where borders meet.
_LIGHT = {
    (False, False, True, True): "─", (True, True, False, False): "│",
    (False, True, False, True): "┌", (False, True, True, False): "┐",
    (True, False, False, True): "└", (True, False, True, False): "┘",
    (True, True, False, True): "├", (True, True, True, False): "┤",
    (False, True, True, True): "┬", (True, False, True, True): "┴",
    (True, True, True, True): "┼",
    (False, False, True, False): "╴", (False, False, False, True): "╶",
    (True, False, False, False): "╵", (False, True, False, False): "╷",
    (False, False, False, False): " ",
}
_ASCII = {key: ("+" if (key[0] or key[1]) and (key[2] or key[3]) else
                "|" if key[0] or key[1] else "-" if key[2] or key[3] else " ")
          for key in _LIGHT}


def clean(text: str, ascii_ops: bool = False) -> str:
    """User text made safe to lay out: line ends normalised, tabs to spaces, control characters
    made visible (tui.messages.visible); with `ascii_ops`, ambiguous-width characters replaced
    (see ASCII_MAP)."""
    text = visible(text, lines=True)
    return text.translate(ASCII_MAP) if ascii_ops else text


# ---------------------------------------------------------------------------------------------
# A grid of cells with spans, drawn on a character canvas


@dataclass
class Cell:
    row: int
    col: int
    text: Text
    rowspan: int = 1
    colspan: int = 1
    justify: str = "center"  # left, center, right
    middle: bool = True  # centred vertically in its rows (as on paper), else at the top
    indent: int = 0  # leading spaces, when the cell is wide enough to keep the text on one line
    # "amount" (money, printed 1,248.00) or "number": a figure a spreadsheet keeps as a number
    figure: str = ""


@dataclass
class Column:
    min: int  # content cells (padding excluded)
    want: int
    flex: int = 0  # share of what is left once every column has what it wants


@dataclass
class Block:
    columns: list[Column]
    cells: list[Cell] = field(default_factory=list)

    def add(self, row: int, col: int, text: Text | str, **kw) -> None:
        if isinstance(text, str):
            text = Text(text)
        self.cells.append(Cell(row, col, text, **kw))

    @property
    def rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)


def _fill(widths: list[int], idx: list[int], caps: list[float], weights: list[float],
          extra: int) -> int:
    """Hand out `extra` cells one at a time to the columns `idx` below their caps, always to the one
    that has had least for its weight; returns what is left."""
    given = {i: 0 for i in idx}
    while extra > 0:
        open_ = [i for i in idx if widths[i] < caps[i] and weights[i] > 0]
        if not open_:
            break
        i = min(open_, key=lambda k: (given[k] / weights[k], k))
        widths[i] += 1
        given[i] += 1
        extra -= 1
    return extra


def allocate(total: int, columns: list[Column]) -> list[int]:
    """Split `total` content cells between columns: each gets its minimum; then the fixed columns
    get what they want (in proportion to what they lack, when there isn't enough); then the
    flexible ones, by their weights, first up to what they want and then beyond."""
    widths = [c.min for c in columns]
    extra = total - sum(widths)
    while extra < 0:  # too narrow even for the minimums: take from the widest
        i = max(range(len(widths)), key=lambda k: widths[k])
        if widths[i] <= 1:
            break
        widths[i] -= 1
        extra += 1
    if extra <= 0:
        return widths
    wants = [max(c.want, c.min) for c in columns]
    fixed = [i for i, c in enumerate(columns) if not c.flex]
    flex = [i for i, c in enumerate(columns) if c.flex] or list(range(len(columns)))
    weights = [c.flex or 1 for c in columns]
    extra = _fill(widths, fixed, wants, [wants[i] - widths[i] for i in range(len(columns))],
                  extra)
    extra = _fill(widths, flex, wants, weights, extra)
    _fill(widths, flex, [float("inf")] * len(columns), weights, extra)
    return widths


def _edges(widths: list[int], pad: int) -> list[int]:
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w + 2 * pad + 1)
    return xs


def snap(widths: list[int], columns: list[Column], targets: list[int], pad: int,
         reach: int = 2) -> list[int]:
    """Move a block's inner column borders onto the borders of the block below when they are
    within `reach` cells, so the line between blocks has fewer near-miss junctions (┴┬)."""
    widths = list(widths)
    for i in range(1, len(widths)):
        x = _edges(widths, pad)[i]
        t = min(targets, key=lambda t: abs(t - x))
        d = t - x
        if 0 < abs(d) <= reach and widths[i - 1] + d >= columns[i - 1].min \
                and widths[i] - d >= columns[i].min:
            widths[i - 1] += d
            widths[i] -= d
    return widths


def _fit(line: Text, width: int, justify: str) -> Text:
    """One wrapped line padded to exactly `width` cells."""
    line = line.copy()
    line.rstrip()
    if cell_len(line.plain) > width:
        line.truncate(width, overflow="crop")
    gap = width - cell_len(line.plain)
    left = {"left": 0, "right": gap, "center": gap // 2}.get(justify, 0)
    return Text(" " * left) + line + Text(" " * (gap - left))


BREAK = "\u200b"  # marks where a label or a target prefers to break when it must


def breaks(text: str) -> str:
    """`text` with preferred break points marked: after an operator, before a bracket, before a
    closing 指标 (满意度|指标, 年度总体|目标 are how paper breaks them)."""
    text = re.sub(r"^([≥≤<>=]+)(?=\d)", r"\1" + BREAK, text)
    text = re.sub(r"(?<=.)([（(])", BREAK + r"\1", text)
    return re.sub(r"(?<=..)(指标|目标)$", BREAK + r"\1", text)


def _pack(text: Text, width: int) -> Text:
    """Break `text` at its marks where a line does not fit, packing the parts greedily; the marks
    themselves are dropped."""
    if BREAK not in text.plain:
        return text
    out = Text(style=text.style, end="")
    for n, paragraph in enumerate(text.split("\n", allow_blank=True)):
        if n:
            out.append("\n")
        fits = cell_len(paragraph.plain.replace(BREAK, "")) <= width
        used = 0
        for part in paragraph.split(BREAK, allow_blank=True):
            size = cell_len(part.plain)
            if not fits and used and used + size > width:
                out.append("\n")
                used = 0
            out.append_text(part)
            used += size
            if used > width:  # folded: what is left on its last line
                used %= width
    return out


def _units(line: str) -> list[list]:
    """Break units of a line: each wide (CJK) character alone, runs of narrow characters (a number,
    an ASCII word, `2.00(次)`'s digits) together, runs of spaces; zero-width marks stay with the
    character before them."""
    units: list[list] = []  # [text, kind]: "w" wide, "n" narrow run, "s" spaces
    for ch in line:
        size = cell_len(ch)
        kind = "s" if ch.isspace() else "w" if size == 2 else "n"
        if units and ((size == 0 and kind != "s") or (kind == units[-1][1] and kind != "w")):
            units[-1][0] += ch
        else:
            units.append([ch, kind])
    return units


def _breaks(line: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each wrapped line: Chinese breaks between any two characters, as on paper,
    but a number or a word stays whole unless it is wider than the cell; spaces where a line
    breaks are dropped."""
    out: list[tuple[int, int]] = []
    start = pos = used = 0
    for text, kind in _units(line):
        size = cell_len(text)
        if kind == "s":
            if used + size > width:
                out.append((start, pos))
                start, used = pos + len(text), 0
            else:
                used += size
            pos += len(text)
            continue
        if used + size > width and used:
            out.append((start, pos))
            start, used = pos, 0
        if size <= width:
            used += size
            pos += len(text)
            continue
        for ch in text:  # a run wider than the cell: fold it
            c = cell_len(ch)
            if used + c > width and used:
                out.append((start, pos))
                start, used = pos, 0
            used += c
            pos += len(ch)
    out.append((start, pos))
    return out


def _wrap(console: Console, text: Text, width: int, justify: str) -> list[Text]:
    """`text` wrapped to `width` cells, each line padded to exactly `width`."""
    if width <= 0:
        return []
    out = []
    for paragraph in _pack(text, width).split("\n", allow_blank=True):
        for start, end in _breaks(paragraph.plain, width):
            out.append(_fit(paragraph[start:end], width, justify))
    while len(out) > 1 and not out[-1].plain.strip():
        out.pop()
    return out or [Text(" " * width)]


class _Canvas:
    """Blocks stacked top to bottom, sharing the border between them, `width` cells wide."""

    def __init__(self, console: Console, width: int, pad: int, ascii_ops: bool):
        self.console, self.width, self.pad = console, width, pad
        self.boxes = _ASCII if ascii_ops else _LIGHT
        self.placed: list[tuple[int, int, int, int, list[Text], Cell]] = []  # x0, x1, y0, y1
        self.hseg: set[tuple[int, int]] = set()  # (y, x): a line from x to x+1 on line y
        self.vseg: set[tuple[int, int]] = set()  # (y, x): a line from y to y+1 in column x
        self.height = 1

    def content_width(self, ncols: int) -> int:
        return self.width - (ncols + 1) - 2 * self.pad * ncols

    def place(self, block: Block, widths: list[int]) -> None:
        xs = _edges(widths, self.pad)
        wrapped = {}
        for cell in block.cells:
            inner = xs[cell.col + cell.colspan] - xs[cell.col] - 1 - 2 * self.pad
            text = cell.text
            if cell.indent and cell.indent + cell_len(text.plain) <= inner:
                text = Text(" " * cell.indent) + text
            wrapped[id(cell)] = _wrap(self.console, text, inner, cell.justify)
        heights = [1] * block.rows
        for cell in block.cells:
            if cell.rowspan == 1:
                heights[cell.row] = max(heights[cell.row], len(wrapped[id(cell)]))
        for cell in sorted(block.cells, key=lambda c: c.rowspan):
            if cell.rowspan > 1:
                rows = range(cell.row, cell.row + cell.rowspan)
                room = sum(heights[r] for r in rows) + cell.rowspan - 1
                heights[rows[-1]] += max(0, len(wrapped[id(cell)]) - room)
        ys = [self.height - 1]
        for h in heights:
            ys.append(ys[-1] + h + 1)
        for cell in block.cells:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
            self.placed.append((x0, x1, y0, y1, wrapped[id(cell)], cell))
            for x in range(x0, x1):
                self.hseg.add((y0, x))
                self.hseg.add((y1, x))
            for y in range(y0, y1):
                self.vseg.add((y, x0))
                self.vseg.add((y, x1))
        self.height = ys[-1] + 1

    def _border(self, x: int, y: int) -> str:
        key = ((y - 1, x) in self.vseg, (y, x) in self.vseg, (y, x - 1) in self.hseg,
               (y, x) in self.hseg)
        return self.boxes[key]

    def lines(self) -> list[Text]:
        by_line: dict[int, list] = {}
        for placed in self.placed:
            x0, x1, y0, y1, lines, cell = placed
            for y in range(y0 + 1, y1):
                by_line.setdefault(y, []).append(placed)
        out = []
        blank = " " * self.pad
        for y in range(self.height):
            line = Text(no_wrap=True, end="")
            x = 0
            for x0, x1, y0, y1, lines, cell in sorted(by_line.get(y, []), key=lambda p: p[0]):
                line.append("".join(self._border(i, y) for i in range(x, x0 + 1)), BORDER_STYLE)
                inner = x1 - x0 - 1 - 2 * self.pad
                room = y1 - y0 - 1
                top = (room - len(lines)) // 2 if cell.middle else 0
                k = y - y0 - 1 - top
                line.append(blank)
                line.append_text(lines[k] if 0 <= k < len(lines) else Text(" " * inner))
                line.append(blank)
                x = x1
            line.append("".join(self._border(i, y) for i in range(x, self.width)), BORDER_STYLE)
            out.append(line)
        return out


# ---------------------------------------------------------------------------------------------
# The form's blocks


def _natural(texts) -> int:
    """The widest line among texts, in cells."""
    return max((cell_len(line) for t in texts for line in str(t).split("\n")), default=0)


def _label(text: str) -> Text:
    return Text(breaks(text), style=LABEL_STYLE)


def _user(text: str, ascii_ops: bool) -> Text:
    """User data as plain Text: never parsed as markup."""
    return Text(clean(text, ascii_ops))


def _spans(values: list[str]) -> list[tuple[int, int]]:
    """(start, length) runs of equal, non-empty consecutive values: the paper's merged cells."""
    runs: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if runs and v and values[runs[-1][0]] == v:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def _weight_total(sheet: ScoreSheet) -> str:
    value = sheet.weight_total
    return fixed(value, 0) if value == value.to_integral_value() else fixed(value)


@dataclass
class _Figures:
    """Every figure and text of the form, formatted once, in printed order."""

    funding_rows: list[tuple[str, list[str]]]
    indicators: list[list[str]]
    total_weight: str
    total: str
    grade: str


def _figures(project: Project, assessment: Assessment) -> _Figures:
    sheet = assessment.sheet
    rows = []
    for i, row in enumerate(sheet.rows):
        label = project.funding.label(row.key)
        if i == 1:  # the first sub-row prints after 其中：, the others stand indented under it
            label = f"其中：{label}"
        a = row.amounts
        figures = [cell(amount(a.budget)), cell(amount(a.adjusted)), cell(amount(a.executed))]
        if i == 0:
            figures += [fixed(sheet.funding_weight), cell(sheet.show(row.rate, "rate")),
                        sheet.show(sheet.funding_score, "funding_score")]
        else:
            figures += [DASH, cell(sheet.show(row.rate, "rate")), DASH]
        rows.append((label, figures))
    items = []
    for item, result in zip(project.indicators, sheet.indicators):
        items.append([item.level1, item.level2, item.name, item.target, item.actual,
                      fixed(item.weight), sheet.show(result.score, "indicator_score"), item.reason])
    # While the record has errors its total and grade are not final, and the form says so.
    return _Figures(rows, items, _weight_total(sheet), assessment.total_text, assessment.grade_text)


def _indicator_block(fig: _Figures, ascii_ops: bool) -> Block:
    cols = list(zip(*fig.indicators)) if fig.indicators else [()] * 8
    nat = [_natural(clean(str(v), ascii_ops) for v in col) for col in cols]
    numbers = max(5, nat[5], nat[6], cell_len(fig.total_weight), cell_len(fig.total))
    block = Block([
        Column(8, max(8, min(10, nat[0]))),  # 一级指标
        Column(8, max(8, min(12, nat[1]))),  # 二级指标
        Column(8, max(8, nat[2]), flex=1),  # 三级指标
        Column(10, max(10, min(14, nat[3]))),  # 年度指标值
        Column(10, max(10, min(14, nat[4]))),  # 实际完成值
        Column(numbers, numbers),  # 分值
        Column(numbers, numbers),  # 得分
        Column(20, max(24, nat[7]), flex=3),  # 偏差原因分析
    ])
    for c, head in enumerate(INDICATOR_HEADER):
        block.add(0, c, _label(head))
    n = len(fig.indicators)
    for start, length in _spans([r[0] for r in fig.indicators]):
        block.add(1 + start, 0, _user(breaks(fig.indicators[start][0]), ascii_ops), rowspan=length)
    for start, length in _spans([f"{r[0]}\x00{r[1]}" if r[1] else "" for r in fig.indicators]):
        block.add(1 + start, 1, _user(breaks(fig.indicators[start][1]), ascii_ops), rowspan=length)
    for i, row in enumerate(fig.indicators):
        r = 1 + i
        block.add(r, 2, _user(row[2], ascii_ops))
        block.add(r, 3, _user(breaks(row[3]), ascii_ops))
        block.add(r, 4, _user(breaks(row[4]), ascii_ops))
        block.add(r, 5, Text(row[5]), figure="number")
        block.add(r, 6, Text(row[6]), figure="number")
        block.add(r, 7, _user(row[7], ascii_ops), justify="left")
    block.add(n + 1, 0, _label(TOTAL_LABEL), colspan=5)
    block.add(n + 1, 5, Text(fig.total_weight), figure="number")
    block.add(n + 1, 6, Text(fig.total, style=BOLD), figure="number")
    block.add(n + 1, 7, Text(""))
    block.add(n + 2, 0, _label(GRADE_LABEL), colspan=5)
    block.add(n + 2, 5, Text(fig.grade, style=BOLD), colspan=3)
    return block


def _header_block(project: Project, label_width: int, ascii_ops: bool) -> Block:
    block = Block([Column(label_width, label_width), Column(8, 8, flex=1),
                   Column(8, 8), Column(8, 8, flex=1)])
    block.add(0, 0, _label("项目名称"))
    block.add(0, 1, _user(project.name, ascii_ops), colspan=3, justify="left")
    block.add(1, 0, _label("主管部门"))
    block.add(1, 1, _user(project.department, ascii_ops), justify="left")
    block.add(1, 2, _label("实施单位"))
    block.add(1, 3, _user(project.implementer, ascii_ops), justify="left")
    return block


def _funding_block(project: Project, fig: _Figures, label_width: int, ascii_ops: bool) -> Block:
    labels = [label for label, _ in fig.funding_rows]
    # A form without the 年初预算数 column prints 全年预算数 and 全年执行数 only.
    skip = 0 if project.funding.budget_column else 1
    header = FUNDING_HEADER[skip:]
    rows = [(label, figures[skip:]) for label, figures in fig.funding_rows]
    n_money = 3 - skip
    money = max(10, *(len(v) for _, f in rows for v in f[:n_money]))
    money_min = max(len(v) for _, f in rows for v in f[:n_money])
    block = Block([
        Column(label_width, label_width),
        Column(8, max(cell_len(s) for s in labels), flex=1),
        *(Column(money_min, money, flex=1) for _ in range(n_money)),
        # 分数, 执行率, 得分: wide enough for what they hold ("100.00" for a funding block of 100)
        *(Column(low, max(high, *(cell_len(f[n_money + i]) for _, f in rows)))
          for i, (low, high) in enumerate(((4, 5), (6, 6), (4, 5)))),
    ])
    unit = clean(project.money_unit or "万元", ascii_ops)
    block.add(0, 0, _label(f"项目资金（{unit}）"), rowspan=len(fig.funding_rows) + 1)
    block.add(0, 1, Text(""))
    for c, head in enumerate(header):
        block.add(0, 2 + c, _label(head))
    for r, (label, figures) in enumerate(rows, start=1):
        # 上年结转资金 and 其他资金 stand under 当年财政拨款, after 其中：, as printed
        block.add(r, 1, Text(label), justify="left", indent=6 if r > 2 else 0)
        for c, value in enumerate(figures):
            block.add(r, 2 + c, Text(value), justify="right" if c < n_money else "center",
                      figure="amount" if c < n_money else "number")
    return block


def _goals_block(project: Project, label_width: int, ascii_ops: bool) -> Block:
    block = Block([Column(label_width, label_width), Column(10, 10, flex=2),
                   Column(10, 10, flex=3)])
    block.add(0, 0, _label(GOALS_LABEL), rowspan=2)
    block.add(0, 1, _label(EXPECTED_LABEL))
    block.add(0, 2, _label(ACHIEVED_LABEL))
    block.add(1, 1, _user(project.expected.strip("\n"), ascii_ops), justify="left", middle=False)
    block.add(1, 2, _user(project.achieved.strip("\n"), ascii_ops), justify="left", middle=False)
    return block


def _sheet(sheet_or_rules) -> ScoreSheet | Rules:
    return getattr(sheet_or_rules, "sheet", sheet_or_rules)  # an Assessment carries its sheet


def _assessment(project: Project, given) -> Assessment:
    """An Assessment from what a caller has: one, a ScoreSheet (it carries its rules) or Rules."""
    if isinstance(given, Assessment):
        return given
    if isinstance(given, Rules):
        return assess(project, given)
    return Assessment(given, validate(project, given.rules, given) if given.rules else [])


class PrintedForm:
    """The renderable: the form at the width it is given (or `width`, if narrower)."""

    def __init__(self, project: Project, scored: Assessment | ScoreSheet | Rules,
                 width: int | None = None, ascii_ops: bool = False):
        # An Assessment, or a sheet (its problems are found with the rules it carries): the
        # form marks a total and grade 未定 while the record has errors.
        self.assessment = _assessment(project, scored)
        self.project, self.width, self.ascii_ops = project, width, ascii_ops
        self.sheet = self.assessment.sheet

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = min(self.width or options.max_width, options.max_width)
        return Measurement(min(MIN_WIDTH, width), width)

    def layout(self, console: Console, width: int) -> tuple[str, _Canvas]:
        """The title and the canvas with every cell placed: the one description of where each
        cell of the form goes, drawn as text by `lines` and as a sheet by tui.xlsxout."""
        project, ascii_ops = self.project, self.ascii_ops
        pad = 1 if width >= 80 else 0  # narrower: every cell counts
        fig = _figures(project, self.assessment)
        canvas = _Canvas(console, width, pad, ascii_ops)
        indicators = _indicator_block(fig, ascii_ops)
        ind_widths = allocate(canvas.content_width(8), indicators.columns)
        blocks = [_header_block(project, ind_widths[0], ascii_ops),
                  _funding_block(project, fig, ind_widths[0], ascii_ops),
                  _goals_block(project, ind_widths[0], ascii_ops)]
        # Each block's borders snap to those of the block below it, from the indicators up.
        layout, below = [], _edges(ind_widths, pad)
        for block in reversed(blocks):
            widths = allocate(canvas.content_width(len(block.columns)), block.columns)
            widths = snap(widths, block.columns, below, pad, reach=max(3, width // 40))
            layout.insert(0, (block, widths))
            below = _edges(widths, pad)
        for block, widths in layout + [(indicators, ind_widths)]:
            canvas.place(block, widths)
        return TITLE + (f"（{project.year}年度）" if project.year else ""), canvas

    def lines(self, console: Console, width: int) -> list[Text]:
        """The form as lines of Text, none wider than `width` cells."""
        title, canvas = self.layout(console, width)
        heading = Text(title, style=TITLE_STYLE, no_wrap=True, end="")
        out = []
        for line in _wrap(console, heading, width, "center"):
            line.rstrip()
            out.append(line)
        out.extend(canvas.lines())
        for line in out:
            if cell_len(line.plain) > width:
                line.truncate(width, overflow="crop")
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(self.width or options.max_width, options.max_width)
        for line in self.lines(console, width):
            yield from line.render(console, end="")
            yield Segment.line()


def printed_form(project: Project, sheet_or_rules: ScoreSheet | Rules, width: int | None = None,
                 ascii_ops: bool = False) -> RenderableType:
    """The printed form of `project` as a Rich renderable.

    `sheet_or_rules` is the project's `ScoreSheet` (or an `Assessment`), or the `Rules` to score it
    with. `width` caps the width (default: whatever the console or container offers). With
    `ascii_ops`, ≥ ≤ print as >= <=, borders as + - | and other ambiguous-width punctuation as
    ASCII, for terminals that draw East-Asian-ambiguous characters two columns wide."""
    return PrintedForm(project, sheet_or_rules, width, ascii_ops)


def _console(width: int, record: bool = False) -> Console:
    return Console(file=io.StringIO(), width=width, record=record, color_system="truecolor"
                   if record else None, force_terminal=record, legacy_windows=False,
                   emoji=False, highlight=False, markup=False, soft_wrap=False)


def render_text(project: Project, rules: ScoreSheet | Rules, width: int = 100,
                ascii_ops: bool = False) -> str:
    """The printed form as plain text (no ANSI codes), no line wider than `width` cells."""
    console = _console(width)
    form = printed_form(project, rules, width, ascii_ops)
    return "\n".join(line.plain.rstrip() for line in form.lines(console, width)) + "\n"


# ---------------------------------------------------------------------------------------------
# SVG and HTML, through Rich's exporters

_SVG_FORMAT = """\
<svg class="zipin-form" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
    <style>
    .{unique_id}-matrix {{
        font-family: "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace;
        font-size: 21px;  /* a little over Rich's 20: box glyphs then span its 1.22 line */
        line-height: {line_height}px;
    }}
    {styles}
    </style>
    <defs>
    <clipPath id="{unique_id}-clip-terminal">
      <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />
    </clipPath>
    {lines}
    </defs>
    <rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>
    <g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">
    {backgrounds}
    <g class="{unique_id}-matrix">
    {matrix}
    </g>
    </g>
</svg>
"""

_TEXT_TAG = re.compile(r'<text ([^>]*?)x="([0-9.e+-]+)"([^>]*?)textLength="[0-9.e+-]+"([^>]*)>'
                       r'([^<]*)</text>')
_RUNS = re.compile(r"(&[^;]+;|.)")


def _fix_text_runs(svg: str, char_width: float) -> str:
    """Rich spreads each SVG text run over its number of characters, not cells, so a run mixing
    CJK and ASCII drifts off the grid. Split runs where the width of the characters changes and
    size each piece by its cells, so every character sits in its own columns."""
    def fix(m: re.Match) -> str:
        head, x0, middle, tail, content = m.groups()
        pieces: list[list] = []  # [wide?, escaped text, cells]
        for token in _RUNS.findall(content):
            cells = cell_len(html.unescape(token).replace("\xa0", " "))
            wide = cells == 2
            if pieces and pieces[-1][0] == wide:
                pieces[-1][1] += token
                pieces[-1][2] += cells
            else:
                pieces.append([wide, token, cells])
        out, x = [], float(x0)
        for _wide, text, cells in pieces:
            out.append(f'<text {head}x="{format(x, "g")}"{middle}'
                       f'textLength="{format(char_width * cells, "g")}"{tail}>{text}</text>')
            x += char_width * cells
        return "".join(out)
    return _TEXT_TAG.sub(fix, svg)


def render_svg(project: Project, rules: ScoreSheet | Rules, width: int = 100,
               ascii_ops: bool = False) -> str:
    """The printed form as one SVG image (black on white, no window chrome)."""
    console = _console(width, record=True)
    console.print(printed_form(project, rules, width, ascii_ops))
    aspect = 0.61
    svg = console.export_svg(title="", theme=DEFAULT_TERMINAL_THEME, code_format=_SVG_FORMAT,
                             font_aspect_ratio=aspect)
    return _fix_text_runs(svg, 20 * aspect)


def render_html(forms: list[tuple[Project, ScoreSheet | Rules]], width: int | None = None,
                ascii_ops: bool = False, title: str = "") -> str:
    """One HTML document holding the printed forms of `forms`, each on its own A4 page (fitted
    to it unless `width` is given): tui.printhtml."""
    from .printhtml import html_document

    return html_document(forms, width, ascii_ops, title)
