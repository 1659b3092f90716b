"""The grid and the spreadsheet: Ctrl+C copies the cell, or the rows taken in with Shift+↑/↓, as
tab-separated text (the terminal's clipboard, by Textual's `copy_to_clipboard`); a paste of
tab-separated rows from Excel or WPS fills cells from the cursor on and adds rows past the last,
every cell checked first and the whole paste one undo step (a `Replace`). A part the grid holds
(state.py); the text work is in `tui.ui.clipboard`.
"""

from __future__ import annotations

from tui.core.format import fixed
from tui.core.model import ParseError
from tui.ui.clipboard import from_tsv, paste_rows, row_cells, to_tsv
from tui.ui.widgets.grid.columns import FIELDS
from tui.ui.widgets.grid.moves import Moves
from tui.ui.widgets.grid.state import GridView


class Clipboard:
    """Copy and paste of `grid`'s cells (the selection of rows is `moves`')."""

    def __init__(self, grid: GridView, moves: Moves) -> None:
        self.grid = grid
        self.moves = moves

    def _scores(self) -> list[str]:
        grid = self.grid
        sheet = grid._assessment.sheet if grid._assessment is not None else None
        if sheet is None:
            return [""] * len(grid._project.indicators)
        return [fixed(s.score) if s.score is not None else "" for s in sheet.indicators]

    def copy(self) -> None:
        """Ctrl+C: the cell, or the selected rows (every column), as tab-separated text."""
        grid = self.grid
        if not grid._model.views:
            return
        rows = self.moves.selection()
        if rows is None:
            cells = row_cells(grid._project, grid._row, self._scores())
            grid.app.copy_to_clipboard(cells[grid._col])
            grid.notify("已复制此格", timeout=2, markup=False)
            return
        scores = self._scores()
        grid.app.copy_to_clipboard(to_tsv([row_cells(grid._project, r, scores) for r in rows]))
        grid.notify(f"已复制 {len(rows)} 行（制表符分隔，可粘贴到 Excel / WPS）", timeout=2,
                    markup=False)

    def paste_table(self, text: str) -> None:
        """Tab-separated rows pasted at the cursor: all taken, as one change, or none."""
        grid = self.grid
        rows = from_tsv(text)
        if not rows:
            return
        row, field = grid._row, FIELDS[grid._col]
        try:  # every cell checked before anything is posted
            project = paste_rows(grid._project, row, field, rows)
        except ParseError as exc:
            grid.app.bell()
            grid.notify(f"未粘贴：{exc}", severity="error", timeout=6, markup=False)
            return
        if project != grid._project:
            grid._post_replace(lambda project: paste_rows(project, row, field, rows))
            grid.notify(f"已粘贴 {len(rows)} 行（Ctrl+Z 撤销）", timeout=3, markup=False)
