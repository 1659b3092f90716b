"""A published form's text as a stream of cells, whatever shape the text has.

Forms are published as text in several shapes; each is turned into the cells of the table in
reading order (a merged cell once, in the first row it spans), so one reader (tui.exchange.formreader) can
place them:

- ``grid``: a table drawn with box characters (zipin's own ``render --format text``, and the same
  text back from ``pdftotext -layout`` of its HTML): cells are the regions between borders; a cell's
  wrapped lines are joined.
- ``pieces``: the same table from ``pdftotext`` without ``-layout``, each line broken into pieces
  at its gaps: made whole again first (tui.exchange.textrejoin), then read as ``grid``.
- ``pipes``: a ``|`` table, one row to a line or one cell to a line; an empty cell between pipes
  is a blank cell, pipes alone on a line are padding.
- ``tabs``: a table copied from a spreadsheet or a word processor (Excel, WPS, Word): a row to a
  line, cells separated by tabs, a merged cell's other columns left empty: an empty cell is a
  blank of the form where the heading row above starts a cell in its column, else part of a
  merged cell (dropped).
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

from tui.exchange.textform import _ITEM_START, _first_unit
from tui.exchange.textrejoin import fragmented, rejoin

BOX_V = "│┃|+"
_BOX = re.compile(r"[│┃]")
_BORDER_LINE = re.compile(r"^[\s┌┐└┘├┤┬┴┼─━╴╶╵╷+\-]*$")
_H = set("─━┌┐└┘├┤┬┴┼╴╶")


@dataclass
class TextCell:
    text: str
    line: int  # 1-based line of the text where the cell starts
    explicit: bool = True  # False: split off by spaces or by a known word (an empty cell left no trace)
    x: int = -1  # where it starts on its line, in characters (pdftotext -layout places words so); -1 unknown

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.line}:{self.text!r}"


_TAB = re.compile(r"\S\t+\S")
_GAP = re.compile(r"\S {2,}(?=\S)")


def shape_of(lines: list[str]) -> str:
    body = [line for line in lines if line.strip()]
    if not body:
        return "lines"
    if sum(1 for line in body if _BOX.search(line)) >= max(3, len(body) // 3):
        return "grid"
    if sum(1 for line in body if _TAB.search(line)) >= max(3, len(body) // 3):
        return "tabs"
    if sum(1 for line in body if "|" in line) >= max(3, len(body) // 3):
        return "pipes"
    # rows of cells set apart by wide gaps (pdftotext -layout), however long a text cell runs
    if sum(1 for line in body if len(_GAP.findall(line.strip())) >= 2) >= max(3, len(body) // 4):
        return "spaced"
    long = [line for line in body if len(line.strip()) > 80]
    if long and sum(len(x) for x in long) > sum(len(x) for x in body) / 2:
        return "run"
    spaced = sum(1 for line in body if len(line.split()) >= 3)
    return "spaced" if spaced >= max(3, len(body) // 4) else "lines"


# What a browser or viewer prints around a page (a date and time, the file's address, 3/12):
# not the form's. Blanked, so line numbers stay those of the text.
_PAGE_FURNITURE = re.compile(r"^\s*(?:\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b.*"
                             r"|(?:file|https?)://\S*(?:\s+\d+/\d+)?|\d+\s*/\s*\d+|第\s*\d+\s*页.*)\s*$")


def cells_of(text: str) -> tuple[str, list[TextCell]]:
    """(the text's shape, its cells in reading order)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    lines = ["" if _PAGE_FURNITURE.match(line) else line for line in lines]
    shape = shape_of(lines)
    if shape == "grid" and any(line.lstrip().startswith(("┌", "┏")) for line in lines):
        # Lines rebuilt with every border where its rule puts it: pdftotext -layout pads a line
        # of CJK by its own measure, and without -layout breaks it into pieces (tui.exchange.textrejoin)
        numbered = rejoin(lines)
        return ("pieces" if fragmented(lines) else "grid",
                _grid([line for _n, line in numbered], [n for n, _line in numbered]))
    if shape == "pipes" and _every_column(lines):
        # a sheet exported with all its columns (a merged cell's others left empty): read as a
        # tab table is, by the heading row's columns
        return shape, _tabs([_as_tabs(line) for line in lines])
    return shape, {"grid": _grid, "pipes": _pipes, "tabs": _tabs, "lines": _lines, "spaced": _spaced,
                   "run": _run}[shape](lines)


def _lines(lines: list[str]) -> list[TextCell]:
    return [TextCell(line.strip(), n) for n, line in enumerate(lines, 1) if line.strip()]


def _pipe_parts(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") else text
    return text.split("|")


def _every_column(lines: list[str]) -> bool:
    """Whether a ``|`` table has the same number of cells on (nearly) every row, four or more: all
    a sheet's columns, merged cells' others empty (a web page's table drops them, its rows vary)."""
    counts = [len(_pipe_parts(line)) for line in lines if "|" in line]
    if len(counts) < 5:
        return False
    most = max(set(counts), key=counts.count)
    return most >= 4 and counts.count(most) >= 0.8 * len(counts)


def _as_tabs(line: str) -> str:
    return "\t".join(p.replace("\t", " ") for p in _pipe_parts(line)) if "|" in line else line


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


_FIGURE_CELL = re.compile(r"^[≥≤><=]?-?[\d,]+(?:\.\d+)?\s*(?:%|万元|万|元)?$|^[—/\-－／]+$")


def _heading(text: str) -> bool:
    from tui.exchange.formvocab import EXPECTED, ACHIEVED, funding_column, indicator_column, squash

    return bool(funding_column(text) or indicator_column(text) or squash(text) in EXPECTED + ACHIEVED)


def _tabs(lines: list[str]) -> list[TextCell]:
    """Cells of a tab-separated table. A spreadsheet repeats no merged cell: its other columns come
    out empty, as a blank cell does. Told apart by the columns of the last heading row (a row of two
    or more cells and no figure: 年初预算数, 全年预算数… or 一级指标, 二级指标…): an empty cell in a
    column where that row starts a cell is a blank of the form, kept; any other empty cell, and the
    empty cells a row starts with (a merged 项目资金, 一级指标 from the rows above), are dropped.
    A cell holding line breaks comes in double quotes, as Excel copies it."""
    import csv
    import io

    out: list[TextCell] = []
    heads: set[int] = set()
    first = 0
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t")
    n = 1
    for parts in reader:
        start, n = n, reader.line_num + 1
        parts = [p.strip() for p in parts]
        filled = [k for k, p in enumerate(parts) if p]
        if not filled:
            continue
        if len(filled) >= 2 and not any(_FIGURE_CELL.match(parts[k]) for k in filled):
            heads = set(filled)  # a heading row (or a row of texts): its columns rule the rows below
            # its first column heading (一级指标, 年初预算数, 预期目标): the columns before it are a
            # label spanning rows (绩效指标, 项目资金), empty below it
            first = next((k for k in filled if _heading(parts[k])), filled[0])
        last = max(filled[-1], max(heads, default=-1))
        out.extend(TextCell(parts[k] if k < len(parts) else "", start)
                   for k in range(min(filled[0], first), last + 1) if k in heads or (k < len(parts) and parts[k]))
    return out


def _spaced(lines: list[str]) -> list[TextCell]:
    out = []
    for n, line in enumerate(lines, 1):
        out += [TextCell(m.group(), n, False, m.start()) for m in _WORD.finditer(line)]
    return out


_WORD = re.compile(r"\S+")


_SPLIT = re.compile(r"[│┃├┤┼┬┴┌┐└┘]")
_RULE = set("─━ ")


def _segments(line: str) -> list[str]:
    """The pieces of a table line between its vertical borders (what lies outside them dropped)."""
    parts = _SPLIT.split(line.rstrip())
    return parts[1:-1] if len(parts) > 2 else []


def _grid(lines: list[str], numbers: list[int] | None = None) -> list[TextCell]:
    """Cells of a box-drawn table, by the order of the pieces on each line rather than by their
    columns (``pdftotext -layout`` keeps the borders but not the widths): between two border
    lines, the n-th piece of every line is the n-th cell's; a rule closes the cell it is drawn
    under and leaves open the merged ones it passes by (blank there); a border that changes the
    columns (┬ ┴), or a line with another number of pieces, closes them all. `numbers`: each
    line's number in the user's text (default: 1, 2, …)."""
    placed: list[tuple[int, int, TextCell]] = []  # (first line, column, cell)
    open_cells: list[list] = []  # [first line, texts, widths] by column
    # pdftotext -layout spaces out CJK and keeps no widths: undo the one, and take a cell's
    # widest line for its width
    respaced = spaced_out("\n".join(lines))

    def close(k: int) -> None:
        start, texts, widths = open_cells[k]
        parts = [t.strip() for t in texts if t.strip()]
        if respaced:
            parts = [_unspace(p) for p in parts]
            cap = max((_width(p) for p in parts), default=0)
        else:
            cap = max(widths) - 2 if widths else 0
        placed.append((start, k, TextCell(_join(parts, cap), start)))

    def close_all() -> None:
        for k in range(len(open_cells)):
            close(k)
        open_cells.clear()

    for n, line in zip(numbers or range(1, len(lines) + 1), lines):
        if not line.strip():
            continue
        if not _SPLIT.search(line):
            close_all()
            placed.append((n, 0, TextCell(line.strip(), n)))
            continue
        pieces = _segments(line)
        rules = [bool(p.strip()) and set(p) <= _RULE for p in pieces]
        if any(ch in line for ch in "┬┴┌┐└┘") and all(r or not p.strip() for r, p in zip(rules, pieces)):
            close_all()  # the columns change here
            continue
        if len(pieces) != len(open_cells):
            close_all()
            if all(rules):
                continue
            open_cells.extend([n, [], []] for _ in pieces)
        for k, piece in enumerate(pieces):
            if rules[k]:
                close(k)
                open_cells[k] = [n + 1, [], []]
            else:
                open_cells[k][1].append(piece)
                open_cells[k][2].append(_width(piece))
    close_all()
    return [cell for _start, _k, cell in sorted(placed, key=lambda t: (t[0], t[1]))]


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


_WIDE_GAP = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef“”‘’（）《》、，。；：？！])"
                       r" (?=[\u2e80-\u9fff\uff00-\uffef“”‘’（）《》、，。；：？！])")


_CJK_PAIR = re.compile(r"[\u2e80-\u9fff][\u2e80-\u9fff]")


def spaced_out(text: str) -> bool:
    """Whether a text has its CJK spaced out (财 政 项 目, as pdftotext -layout gives it)."""
    gaps = len(_WIDE_GAP.findall(text))
    return gaps > 20 and gaps * 4 > len(_CJK_PAIR.findall(text))


def _unspace(text: str) -> str:
    """A piece of spaced-out text as printed: no single spaces between wide characters, between a
    wide character and a figure, or inside brackets."""
    text = _WIDE_GAP.sub("", text)
    text = re.sub(r"(?<=[\u2e80-\u9fff]) (?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%]) (?=[\u2e80-\u9fff])", "", text)
    return re.sub(r"(?<=[(（]) | (?=[)）])", "", text)


def _join(parts: list[str], cap: int) -> str:
    """A cell's lines as one text: a line that was wrapped runs on (a space between ASCII words),
    a line that ended early (the next line's first piece would have fitted) ends a paragraph."""
    from rich.cells import cell_len

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


_PAGE_MARK = re.compile(r"^\s*(\d{1,3})、\s*")
_WRAP_SPACE = re.compile(r"(?<=[\u4e00-\u9fff、，：（）])[ \t\u3000]+(?=[\u4e00-\u9fff（）])")
# target and actual run together after a name (…到位率100%100%库存…): the same unit after each
# number (100%100%, 0起0起, 00)
_FIG_PAIR = re.compile(r"(?<=[\u4e00-\u9fff])(?:[≥≤<>=]?\d+(?:\.\d+)?)(%|[^\d\s.%、，,:：（）()]{0,2})"
                       r"(?:\d+(?:\.\d+)?)\1(?=[\u4e00-\u9fff]|$)")


_ROW_FIGURES = re.compile(r"^(?P<label>.*?[\u4e00-\u9fff)）])(?P<figures>\d[\d.,%]*)(?P<rest>(?:[^\d].*)?)$")


_FIGURES_THEN_WORDS = re.compile(r"^(?P<figures>\d[\d.,%]*%?)(?P<rest>[\u4e00-\u9fff].*)$")


def _unmarked(lines: list[str]) -> list[str]:
    """Lines without the page numbers a document site puts before each page's text (``1、``, ``2、``
    …, counting up from 1 on every line that has text), and without the spaces a cell's wrap left
    between two Chinese characters (产 出 指 标, 年度指标 值)."""
    marks = [_PAGE_MARK.match(line) for line in lines if line.strip()]
    numbered = [m for m in marks if m]
    paged = len(numbered) >= 2 and [int(m.group(1)) for m in numbered] == list(range(1, len(numbered) + 1))
    out = []
    for line in lines:
        m = _PAGE_MARK.match(line) if paged else None
        out.append(_WRAP_SPACE.sub("", line[m.end():] if m else line))
    return out


def _run(lines: list[str], labels: tuple[str, ...] = ()) -> list[TextCell]:
    from tui.exchange import figuresplit
    from tui.exchange.formvocab import LEVEL1, RUN_LABELS, funding_column, indicator_column, row_key

    words = sorted(set(labels) | set(RUN_LABELS), key=len, reverse=True)
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")")
    # under the indicator headings a funding word (执行率, 总额) is part of a name (预算执行率)
    # and a level-1 label (效益指标) ends the row before it
    table = sorted({w for w in words if not ((funding_column(w) or row_key(w)) and not indicator_column(w))}
                   | set(LEVEL1), key=len, reverse=True)
    in_table = re.compile("(" + "|".join(re.escape(w) for w in table) + ")")
    out: list[TextCell] = []
    rows = False
    for n, line in enumerate(_unmarked(lines), 1):
        for piece in (in_table if rows else pattern).split(line.strip()):
            piece = piece.strip()
            if not piece:
                continue
            if piece in words or rows and piece in LEVEL1:
                out.append(TextCell(piece, n, explicit=False))
                rows = rows or indicator_column(piece) == "name"
                continue
            # figures standing together (194.9194.9100%) stay one cell here: the reader splits
            # them by the row's columns (tui.exchange.figuresplit), or says the line can't be split
            for part in piece.split():
                # a funding row's label, then its figures, then maybe the next row's label
                while not rows and (glued := _ROW_FIGURES.match(part)) and row_key(glued["label"]):
                    out += [TextCell(glued["label"], n, explicit=False),
                            TextCell(glued["figures"], n, explicit=False)]
                    part = glued["rest"]
                if not part:
                    continue
                # figures run together, then the next part's words (64.864.864.8100%年度总体目标)
                tail = _FIGURES_THEN_WORDS.match(part) if not rows else None
                if tail and figuresplit.touching(tail["figures"]):
                    out.append(TextCell(tail["figures"], n, explicit=False))
                    part = tail["rest"]
                at = 0
                for m in _FIG_PAIR.finditer(part) if rows else ():
                    out += [TextCell(p, n, explicit=False) for p in (part[at:m.start()], m.group()) if p]
                    at = m.end()
                if part[at:]:
                    out.append(TextCell(part[at:], n, explicit=False))
    return out
