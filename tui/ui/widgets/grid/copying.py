"""The grid and the spreadsheet: Ctrl+C copies the cell, or the rows taken in with Shift+↑/↓, as
tab-separated text (the terminal's clipboard, by Textual's `copy_to_clipboard`); a paste of
tab-separated rows from Excel or WPS fills cells from the cursor on and adds rows past the last,
every cell checked first and the whole paste one undo step (a `Replace`). A part of
`IndicatorGrid` (widget.py), mixed into it; the text work is in `tui.ui.clipboard`.
"""

from __future__ import annotations

from tui.ui.clipboard import from_tsv, paste_rows, row_cells, to_tsv
from tui.core.format import fixed
from tui.core.model import ParseError
from tui.ui.widgets.grid.columns import FIELDS
from tui.ui.widgets.grid.state import GridState


class GridClipboard(GridState):
    """Copy, row selection and pasting a range (mixed into IndicatorGrid; not a widget)."""

    def _selection(self) -> range | None:
        """The rows taken in with Shift+↑/↓ (the cursor's among them), if any."""
        if self._anchor_row is None:
            return None
        low, high = sorted((self._anchor_row, self._row))
        return range(low, high + 1)

    def _selected(self, row: int) -> bool:
        rows = self._selection()
        return rows is not None and row in rows

    def _clear_selection(self) -> None:
        rows = self._selection()
        if rows is not None:
            self._anchor_row = None
            self._repaint(rows, status=False)

    def action_select(self, delta: int) -> None:
        """Shift+↑ / Shift+↓: take rows in, from where the first press was."""
        if not self._model.views:
            return
        before = self._selection() or range(self._row, self._row + 1)
        if self._anchor_row is None:
            self._anchor_row = self._row
        self._move_to(self._row + delta, self._col, select=True)
        self._repaint({*before, *(self._selection() or ())}, status=False)
        self._refresh_status()

    def _scores(self) -> list[str]:
        sheet = self._assessment.sheet if self._assessment is not None else None
        if sheet is None:
            return [""] * len(self._project.indicators)
        return [fixed(s.score) if s.score is not None else "" for s in sheet.indicators]

    def action_copy(self) -> None:
        """Ctrl+C: the cell, or the selected rows (every column), as tab-separated text."""
        if not self._model.views:
            return
        rows = self._selection()
        if rows is None:
            cells = row_cells(self._project, self._row, self._scores())
            text = cells[self._col]
            self.app.copy_to_clipboard(text)
            self.notify("已复制此格", timeout=2, markup=False)
            return
        scores = self._scores()
        self.app.copy_to_clipboard(to_tsv([row_cells(self._project, r, scores) for r in rows]))
        self.notify(f"已复制 {len(rows)} 行（制表符分隔，可粘贴到 Excel / WPS）", timeout=2,
                    markup=False)

    def paste_table(self, text: str) -> None:
        """Tab-separated rows pasted at the cursor: all taken, as one change, or none."""
        rows = from_tsv(text)
        if not rows:
            return
        try:
            project = paste_rows(self._project, self._row, FIELDS[self._col], rows)
        except ParseError as exc:
            self.app.bell()
            self.notify(f"未粘贴：{exc}", severity="error", timeout=6, markup=False)
            return
        if project != self._project:
            self._post_replace(project)
            self.notify(f"已粘贴 {len(rows)} 行（Ctrl+Z 撤销）", timeout=3, markup=False)
