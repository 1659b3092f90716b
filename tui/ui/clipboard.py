"""Cells and rows as tab-separated text, the way Excel and WPS put a range on the clipboard, and
pasted rows made into indicators. No Textual: the grid calls these for Ctrl+C and a paste.

Text is read and written with the csv module's Excel-tab dialect: a cell holding a tab, a line
break or a quote is quoted, as Excel does.
"""

from __future__ import annotations

import io

from tui.core.editing import INDICATOR_FIELDS, add_indicator, apply_edit, label, value_text
from tui.core.model import ParseError, Project

ROW_FIELDS = tuple(INDICATOR_FIELDS)  # the grid's columns, left to right
LEVELS = ("level1", "level2")


def to_tsv(rows: list[list[str]]) -> str:
    """Rows of cells as tab-separated lines (a final line break, as Excel puts one)."""
    import csv  # at the first copy or paste: the app's start does without it

    out = io.StringIO()
    csv.writer(out, dialect="excel-tab", lineterminator="\n").writerows(rows)
    return out.getvalue()


def from_tsv(text: str) -> list[list[str]]:
    """Tab-separated text (Excel, WPS) as rows of cells; the last line break ends the last row."""
    import csv

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return [row for row in csv.reader(io.StringIO(text), dialect="excel-tab")]


def is_table(text: str) -> bool:
    """Whether pasted text is a range of cells rather than text for one cell: it has a tab, or
    several lines ending in a line break (a column copied from a spreadsheet)."""
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return "\t" in text or (len(lines) > 1 and text.endswith("\n"))


def row_cells(project: Project, index: int, scores: list[str] | None = None) -> list[str]:
    """An indicator's cells as a spreadsheet takes them: each as typed (the inverse of pasting),
    得分 the score that counts when `scores` gives it."""
    cells = [value_text(project, f"indicators[{index}].{field}") for field in ROW_FIELDS]
    if scores is not None:
        cells[ROW_FIELDS.index("score")] = scores[index]
    return cells


def paste_rows(project: Project, row: int, field: str, rows: list[list[str]]) -> Project:
    """The project with a range of cells pasted at (row, field): rows past the last indicator
    are added. Each cell is taken as typed text would be; a blank 一级/二级指标 takes the level
    of the row above (a spreadsheet copies a merged level once). ParseError, naming the cell as
    the app does, when any cell can't be taken: then nothing is pasted."""
    first = ROW_FIELDS.index(field)
    for number, cells in enumerate(rows, 1):
        if first + len(cells) > len(ROW_FIELDS):
            raise ParseError(f"粘贴的第 {number} 行有 {len(cells)} 格，"
                             f"从“{INDICATOR_FIELDS[field]}”起只有 {len(ROW_FIELDS) - first} 列")
    for offset, cells in enumerate(rows):
        index = row + offset
        if index >= len(project.indicators):
            project = add_indicator(project, index)
        for column, text in enumerate(cells):
            name = ROW_FIELDS[first + column]
            if name in LEVELS and not text.strip() and index > 0:
                text = getattr(project.indicators[index - 1], name)
            path = f"indicators[{index}].{name}"
            try:
                project = apply_edit(project, path, text.strip())
            except ParseError as exc:
                raise ParseError(f"{label(path)}：{exc}") from None
    return project
