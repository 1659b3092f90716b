"""The indicator grid as its parts see it, in one place.

`IndicatorGrid` (widget.py) holds its state (the project shown, the cursor, the edit in progress)
and four parts, plain objects it makes and calls: `moves.Moves` (the cursor and the selection of
rows), `copying.Clipboard` (copy and paste of cells), `editor.Typing` (typing into a cell) and
`actions.Actions` (the actions on indicators). Each part holds the grid typed by `GridView`,
which names every piece of state and every call of the widget they use (mypy checks the widget
against it where the parts are made); the parts a part needs are handed to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App
from textual.binding import BindingsMap
from textual.geometry import Region, Size

from tui.core.model import Project
from tui.core.validation import Assessment
from tui.ui.widgets.edits import Judge
from tui.ui.widgets.grid.cell import CellEdit
from tui.ui.widgets.grid.painter import Painter
from tui.ui.widgets.grid.rows import RowModel


class GridView(Protocol):
    """The grid's state and the calls its parts make to it (see the module doc)."""

    _project: Project
    _assessment: Assessment | None
    _model: RowModel
    _painter: Painter
    _row: int  # the cursor: row and column (an index into columns.FIELDS)
    _col: int
    _edit: CellEdit | None  # the cell being typed in
    judge: Judge  # whether typed text can be taken (the document's check)
    _edit_pending: bool  # a Preview was posted and its line waits for the answering show()
    _fallback: asyncio.TimerHandle | None
    _preview_time: float
    _bound_keys: tuple[object, frozenset[str]] | None
    _anchor_row: int | None  # where a Shift+↑/↓ selection of rows started
    _tab_start: int | None  # where Tabs along the row began: Enter returns there
    _bindings: BindingsMap

    # Textual's widget
    @property
    def app(self) -> App[Any]: ...
    @property
    def is_attached(self) -> bool: ...
    @property
    def scroll_x(self) -> float: ...
    @property
    def scroll_y(self) -> float: ...
    @property
    def scrollable_content_region(self) -> Region: ...
    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Any: ...
    def refresh_bindings(self) -> None: ...
    def scroll_to(self, x: float | None = None, y: float | None = None, *,
                  animate: bool = True) -> None: ...
    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...

    # widget.IndicatorGrid
    @property
    def cursor_path(self) -> str: ...
    def commit_edit(self, move: tuple[int, int] = (0, 0)) -> bool: ...
    def cancel_edit(self) -> None: ...
    def show(self, project: Project, assessment: Assessment | None) -> None: ...
    def _view_size(self) -> Size: ...
    def _body_height(self) -> int: ...
    def _line_of_row(self, row: int) -> int: ...
    def _refresh_row(self, row: int) -> None: ...
    def _refresh_status(self) -> None: ...
    def _repaint(self, rows, status: bool = True) -> None: ...
    def _post_preview(self, path: str, text: str) -> None: ...
    def _post_commit(self, path: str, text: str) -> None: ...
    def _post_replace(self, change: Callable[[Project], Project]) -> None: ...
