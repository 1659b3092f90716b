"""Drawing a form: grids of cells with spans on a character canvas, borders worked out from edges.

The machinery under tui.printed.form (which decides what goes in which cell): blocks of cells with row
and column spans, column widths allotted and snapped to the block below, each cell's text wrapped
to its width (CJK counted by display width, `rich.cells.cell_len`, preferred breaks marked with
BREAK), and the borders drawn where cells' edges meet (┬ ┴ ├ ┼). Rich only, no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui.core.messages import visible

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
    made visible (tui.core.messages.visible); with `ascii_ops`, ambiguous-width characters replaced
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
    role: str = ""  # what the cell is, for exporters that cut the form (printblocks.INDICATOR_HEAD)


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


def _fill(widths: list[int], idx: list[int], caps: Sequence[float], weights: Sequence[float],
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


def edges(widths: list[int], pad: int) -> list[int]:
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
        x = edges(widths, pad)[i]
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


def wrap(console: Console, text: Text, width: int, justify: str) -> list[Text]:
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


class Canvas:
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
        xs = edges(widths, self.pad)
        wrapped = {}
        for cell in block.cells:
            inner = xs[cell.col + cell.colspan] - xs[cell.col] - 1 - 2 * self.pad
            text = cell.text
            if cell.indent and cell.indent + cell_len(text.plain) <= inner:
                text = Text(" " * cell.indent) + text
            wrapped[id(cell)] = wrap(self.console, text, inner, cell.justify)
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
