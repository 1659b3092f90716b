"""A published form's text as a stream of cells, whatever shape the text has.

Forms are published as text in several shapes; each is turned into the cells of the table in
reading order (a merged cell once, in the first row it spans), so one reader (tui.formreader) can
place them:

- ``grid``: a table drawn with box characters (zipin's own ``render --format text``, and the same
  text back from ``pdftotext -layout`` of its HTML): cells are the regions between borders; a cell's
  wrapped lines are joined.
- ``pipes``: a ``|`` table, one row to a line or one cell to a line; an empty cell between pipes
  is a blank cell, pipes alone on a line are padding.
- ``lines``: one cell to a line (``pdftotext`` without ``-layout``, pages pasted as they show).
- ``spaced``: cells separated by spaces on a line (``pdftotext -layout``, HTML copied as text):
  an empty cell leaves no trace, so the reader places figures by what they are.
- ``run``: cells run together on one line with nothing between them: split where a label the
  layouts know begins or ends, and between figures.

Pure functions, no I/O, no Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOX_V = "│┃|+"
_BOX = re.compile(r"[│┃]")
_BORDER_LINE = re.compile(r"^[\s┌┐└┘├┤┬┴┼─━╴╶╵╷+\-]*$")
_H = set("─━┌┐└┘├┤┬┴┼╴╶")


@dataclass
class TextCell:
    text: str
    line: int  # 1-based line of the text where the cell starts
    explicit: bool = True  # False: split off by spaces or by a known word (an empty cell left no trace)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.line}:{self.text!r}"


def shape_of(lines: list[str]) -> str:
    body = [line for line in lines if line.strip()]
    if not body:
        return "lines"
    if sum(1 for line in body if _BOX.search(line)) >= max(3, len(body) // 3):
        return "grid"
    if sum(1 for line in body if "|" in line) >= max(3, len(body) // 3):
        return "pipes"
    long = [line for line in body if len(line.strip()) > 150]
    if long and sum(len(x) for x in long) > sum(len(x) for x in body) / 2:
        return "run"
    spaced = sum(1 for line in body if len(line.split()) >= 3)
    return "spaced" if spaced >= max(3, len(body) // 4) else "lines"


def cells_of(text: str) -> tuple[str, list[TextCell]]:
    """(the text's shape, its cells in reading order)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    shape = shape_of(lines)
    return shape, {"grid": _grid, "pipes": _pipes, "lines": _lines, "spaced": _spaced,
                   "run": _run}[shape](lines)


def _lines(lines: list[str]) -> list[TextCell]:
    return [TextCell(line.strip(), n) for n, line in enumerate(lines, 1) if line.strip()]


def _pipes(lines: list[str]) -> list[TextCell]:
    out = []
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        if "|" not in text:
            out.append(TextCell(text, n))
            continue
        parts = [p.strip() for p in text.split("|")]
        if text.endswith("|"):
            parts.pop()
        if text.startswith("|") and len(parts) > 1 and parts[0] == "" and any(parts[1:]):
            parts.pop(0)  # a row drawn as | a | b |
        if len(parts) > 1 and not any(parts):
            continue  # a row of pipes alone: padding
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()  # the table's padding after a short row
        out.extend(TextCell(p, n) for p in parts)
    return out


def _spaced(lines: list[str]) -> list[TextCell]:
    out = []
    for n, line in enumerate(lines, 1):
        for part in line.split():
            out.append(TextCell(part, n, explicit=False))
    return out


def _columns(line: str) -> list[str]:
    """A line as display columns: a wide (CJK) character fills two, the second left as ""."""
    from rich.cells import cell_len

    out: list[str] = []
    for ch in line:
        out.append(ch)
        if cell_len(ch) == 2:
            out.append("")
    return out


def _grid(lines: list[str]) -> list[TextCell]:
    """Cells of a box-drawn table: each text segment between vertical borders belongs to the cell
    whose top border is the nearest horizontal line above it at that place."""
    rows = [_columns(line.rstrip()) for line in lines]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [" "] * (width - len(r)) for r in rows]
    cells: dict[tuple[int, int, int], list[str]] = {}
    loose = []
    for y, row in enumerate(rows):
        line = "".join(row)
        if not line.strip():
            continue
        bars = [x for x, ch in enumerate(row) if ch and ch in "│┃├┤┼"]
        if not bars:
            loose.append((y, line.strip()))
            continue
        for x0, x1 in zip(bars, bars[1:]):
            segment = "".join(row[x0 + 1:x1])
            if not segment.strip() and any(c in _H for c in row[x0 + 1:x1]) or set(segment) <= _H:
                continue  # a border between rows
            top = y
            while top > 0 and rows[top][x0 + 1] not in _H:
                top -= 1
            cells.setdefault((top, x0, x1), []).append(segment)
    first = _first_box(rows)
    out = [TextCell(text, y + 1) for y, text in loose if y < first]
    for key in sorted(cells, key=lambda k: (k[0], k[1])):
        top, x0, x1 = key
        segments = cells[key]
        pad = 1 if all(s[:1] == " " and s[-1:] == " " for s in segments) and x1 - x0 > 3 else 0
        # the row's top border is its line: the cells of one row share it (a merged cell, its first row's)
        out.append(TextCell(_join([s.strip() for s in segments if s.strip()], x1 - x0 - 1 - 2 * pad), top + 1))
    out += [TextCell(text, y + 1) for y, text in loose if y >= first]
    return out


def _first_box(rows: list[list[str]]) -> int:
    return next((y for y, row in enumerate(rows) if "".join(row).strip()[:1] in ("┌", "+")), 0)


def _join(parts: list[str], cap: int) -> str:
    """A cell's lines as one text: a line that was wrapped runs on (a space between ASCII words),
    a line that ended early (the next line's first piece would have fitted) ends a paragraph."""
    from rich.cells import cell_len

    from .textimport import _ITEM_START, _first_unit

    out = ""
    for i, part in enumerate(parts):
        if i and (cell_len(parts[i - 1]) + cell_len(_first_unit(part)) <= cap or _ITEM_START.match(part)):
            out += "\n"
        elif out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    return out


# ---------------------------------------------------------------------------------------------
# Cells run together

_FIGURE = r"[≥≤><=]?-?\d+(?:\.\d+)?(?:%|万元|万|元|吨|人次|人|次|个|台套|台|天|篇|份|起|项)?"


def _run(lines: list[str], labels: tuple[str, ...] = ()) -> list[TextCell]:
    from .formvocab import RUN_LABELS

    words = sorted(set(labels) | set(RUN_LABELS), key=len, reverse=True)
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")")
    out = []
    for n, line in enumerate(lines, 1):
        for piece in pattern.split(line.strip()):
            piece = piece.strip()
            if not piece:
                continue
            if piece in words:
                out.append(TextCell(piece, n, explicit=False))
                continue
            # figures standing together (194.9194.9100%) can't be told apart: kept as one cell
            out.extend(TextCell(p, n, explicit=False) for p in piece.split())
    return out
