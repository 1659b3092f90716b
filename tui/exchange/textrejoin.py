"""A box-drawn table as ``pdftotext`` without ``-layout`` gives it, put back into whole lines.

Without ``-layout``, pdftotext breaks each line of a drawn table wherever a wide gap lies (a
padded cell, an empty one) and prints the pieces one to a line, in reading order: a border alone
(``│``), a cell with its borders (``│ 年度资金总额``), several cells (``│ 1,248.00 │ 1,231.96 │``),
a rule (``├────┼────┤``), a cell's text alone (``预期目标``). The spaces that placed them are gone.

What is left is enough to rebuild each line. A rule is never broken (its ─ leave no gap), and it
ends at the table's right edge, so its width says where it begins; its ┬ ┼ ├ ┤ ┐ │ say where the
borders of the lines under it stand (to its left, the borders of the lines above it go on down:
a cell spanning rows, 项目资金 or an 一级指标). A line of text under it has exactly that many
borders, so the pieces are taken in order until they hold that many; the text between the k-th
and the (k+1)-th border is the k-th cell's. Each line is written back with its borders where they
stand and each cell padded to its width, as ``zipin render --format text`` prints it, for the
drawn-table reader (tui.exchange.textcells). Lines outside a table (titles, signatures) are kept as they are.

Every rebuilt line keeps the number of the line its first piece was on, so messages name the
user's own line. Pure functions, no I/O, no Textual.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_RULE_CHARS = set("─━┌┐└┘├┤┬┴┼╴╶")
_DOWN = set("┌┬┐├┼┤│┃")  # a rule's characters with a border going down from them
_TOKEN = re.compile(r"[│┃]|[^│┃]+")


def fragmented(lines: list[str]) -> bool:
    """Whether a box-drawn text has its table lines broken into pieces (borders alone on a line)."""
    boxed = [line.strip() for line in lines if re.search(r"[│┃]", line)]
    alone = sum(1 for line in boxed if line in ("│", "┃"))
    return alone >= max(3, len(boxed) // 10)


def _rule_start(piece: str) -> int | None:
    """Where a rule begins in a piece (``│ 项目资金 ├────┤``: at ├), or None if there is none."""
    if "──" not in piece and "━━" not in piece:
        return None
    return next(i for i, ch in enumerate(piece) if ch in _RULE_CHARS)


class _Table:
    """The table being rebuilt: its width, the borders of its text lines, the pieces pending."""

    def __init__(self, rule: str):
        self.width = cell_len(rule)
        self.borders = [i for i, ch in enumerate(rule) if ch in _DOWN]
        self.tokens: list[str] = []  # "│" or a text, in order, not yet a whole line
        self.start = 0  # the line of the first pending piece

    def need(self) -> int:
        return sum(1 for t in self.tokens if t in ("│", "┃"))

    def line(self, borders: list[int], tokens: list[str], end: int) -> str:
        """A line of `end` columns: a border at each of `borders`, the k-th run of text after the
        k-th border in the cell it opens."""
        cells: list[list[str]] = [[] for _ in borders]
        k = -1
        for token in tokens:
            if token in ("│", "┃"):
                k += 1
            elif token.strip():
                cells[max(k, 0)].append(token.strip())
        out = ""
        for n, at in enumerate(borders):
            out += " " * (at - cell_len(out)) + "│"
            text = " ".join(cells[n]) if cells[n] else ""
            nxt = borders[n + 1] if n + 1 < len(borders) else end
            if text:
                out += " " + text
            out += " " * max(0, nxt - cell_len(out))
        return out

    def text_lines(self) -> list[str]:
        """Whole lines from the pending pieces (those not yet a whole line stay pending)."""
        done = []
        count = len(self.borders)
        while count and self.need() >= count:
            at = [i for i, token in enumerate(self.tokens) if token in ("│", "┃")][count - 1]
            done.append(self.line(self.borders, self.tokens[:at + 1], self.width))
            self.tokens = self.tokens[at + 1:]
        return done

    def rule_line(self, rule: str) -> str:
        """A rule (what lies left of it pending): its line, and the borders under it from now."""
        begin = self.width - cell_len(rule)
        left = [b for b in self.borders if b < begin]
        head = self.line(left, self.tokens, begin) if left else ""
        self.tokens = []
        self.borders = left + [begin + i for i, ch in enumerate(rule) if ch in _DOWN]
        return head + rule


def rejoin(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, line) of the text with every broken table line made whole again."""
    out: list[tuple[int, str]] = []
    table: _Table | None = None
    for n, raw in enumerate(lines, 1):
        piece = raw.strip()
        if not piece:
            continue
        if table is None:
            if piece.startswith(("┌", "┏")):
                table = _Table(piece)
                out.append((n, piece))
            else:
                out.append((n, raw))
            continue
        at = _rule_start(piece)
        if at is not None:
            table.tokens += _TOKEN.findall(piece[:at])
            first = table.start or n
            line = table.rule_line(piece[at:])
            out.append((first, line))
            table.start = 0
            if piece[at] in "└┗":
                table = None
            continue
        if not table.tokens:
            table.start = n
        table.tokens += _TOKEN.findall(piece)
        for line in table.text_lines():
            out.append((table.start or n, line))
            table.start = n if table.tokens else 0
    if table is not None and table.tokens:  # cut off mid-line: what there is
        out.append((table.start, table.line(table.borders, table.tokens, table.width)))
    return out
