"""The grid's cursor: moves by arrows, pages, Tab and Enter, scrolling it into view, and the rows
taken in with Shift+↑/↓. A part the grid holds (state.py)."""

from __future__ import annotations

from textual.geometry import Region

from tui.ui.widgets.grid.columns import COLUMN_OF, FIELDS
from tui.ui.widgets.grid.state import GridView


class Moves:
    """Cursor moves and the selection of rows of `grid`."""

    def __init__(self, grid: GridView) -> None:
        self.grid = grid

    def move_to(self, row: int, col: int, select: bool = False, tab_start: int | None = None,
                ) -> None:
        """The cursor to a cell; any Shift+↑/↓ selection of rows ends unless `select`.
        `tab_start`: the column a run of Tabs along this row began in (see step)."""
        grid = self.grid
        grid._tab_start = tab_start
        if not select:
            self.clear_selection()
        count = len(grid._model.views)
        row = max(0, min(row, count - 1)) if count else 0
        col = max(0, min(col, len(FIELDS) - 1))
        if (row, col) == (grid._row, grid._col):
            self.scroll_to_cursor()
            return
        old_row, old_col = grid._row, grid._col
        grid._row, grid._col = row, col
        grid._refresh_row(old_row)
        grid._refresh_row(row)
        if col != old_col:
            grid.refresh(Region(0, 0, grid._view_size().width, 1))
        self.scroll_to_cursor()
        grid._refresh_status()

    def step(self, drow: int, dcol: int) -> None:
        """Move like Tab/Enter do: across columns wrapping to the next/previous row. As in a
        spreadsheet, Enter after Tabs along a row goes down to the column the Tabs began in
        (三级指标 Tab 年度指标值 Tab 实际完成值 Enter: the next row's 三级指标)."""
        grid = self.grid
        start = grid._tab_start
        row, col = grid._row + drow, grid._col + dcol
        if drow and not dcol and start is not None:
            col = start
        if col >= len(FIELDS):
            row, col = row + 1, 0
        elif col < 0:
            row, col = row - 1, len(FIELDS) - 1
        along = dcol and row == grid._row
        if 0 <= row < len(grid._model.views):
            self.move_to(row, col, tab_start=(grid._col if start is None else start)
                         if along else None)

    def scroll_to_cursor(self) -> None:
        grid = self.grid
        if not grid._model.views:
            return
        body = grid._body_height()
        top = int(grid.scroll_y)
        if grid._row < top:
            grid.scroll_to(y=grid._row, animate=False)
        elif grid._row >= top + body:
            grid.scroll_to(y=grid._row - body + 1, animate=False)
        grid_layout = grid._painter.layout
        if grid_layout.offsets:
            column = COLUMN_OF[FIELDS[grid._col]]
            x, width = grid_layout.offsets[column], grid_layout.widths[column]
            left, view = int(grid.scroll_x), grid._view_size().width
            if x < left:
                grid.scroll_to(x=0 if column <= 1 else x, animate=False)  # show 序号 with the first
            elif x + width > left + view:
                grid.scroll_to(x=x + width - view, animate=False)

    def home(self) -> None:
        """The cursor to row 1's first input cell left empty (a new project: 三级指标), else to
        its 实际完成值 (what a year's self-evaluation mostly types)."""
        grid = self.grid
        col = FIELDS.index("actual")
        if grid._project.indicators:
            item = grid._project.indicators[0]
            for field in ("level1", "level2", "name", "target", "actual"):
                if not getattr(item, field):
                    col = FIELDS.index(field)
                    break
        self.move_to(0, col)

    def cursor(self, drow: int, dcol: int) -> None:
        self.move_to(self.grid._row + drow, self.grid._col + dcol)

    def page(self, direction: int) -> None:
        self.move_to(self.grid._row + direction * self.grid._body_height(), self.grid._col)

    def cursor_to(self, row: int | None, col: int | None) -> None:
        grid = self.grid
        row = grid._row if row is None else (row if row >= 0 else len(grid._model.views) - 1)
        col = grid._col if col is None else (col if col >= 0 else len(FIELDS) - 1)
        self.move_to(row, col)

    # -- rows taken in with Shift+↑/↓ -----------------------------------------------------------

    def selection(self) -> range | None:
        """The rows taken in with Shift+↑/↓ (the cursor's among them), if any."""
        grid = self.grid
        if grid._anchor_row is None:
            return None
        low, high = sorted((grid._anchor_row, grid._row))
        return range(low, high + 1)

    def selected(self, row: int) -> bool:
        rows = self.selection()
        return rows is not None and row in rows

    def clear_selection(self) -> None:
        rows = self.selection()
        if rows is not None:
            self.grid._anchor_row = None
            self.grid._repaint(rows, status=False)

    def select(self, delta: int) -> None:
        """Shift+↑ / Shift+↓: take rows in, from where the first press was."""
        grid = self.grid
        if not grid._model.views:
            return
        before = self.selection() or range(grid._row, grid._row + 1)
        if grid._anchor_row is None:
            grid._anchor_row = grid._row
        self.move_to(grid._row + delta, grid._col, select=True)
        grid._repaint({*before, *(self.selection() or ())}, status=False)
        grid._refresh_status()
