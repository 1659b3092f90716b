"""What the indicator grid's parts share, in one place.

`IndicatorGrid` (widget.py) is drawn and kept by widget.py, typed into by `editor.EditKeys` and
moved about by `actions.GridActions`. The parts share the grid's state through `self`: this base
names each piece with its type, and each method one part calls in another, so a reader (and
mypy) can follow a call. At run time it is a plain class (the parts are mixed into the widget);
for the type checker it is the grid's widget base, so the parts may use the widget's API.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only
    from textual.geometry import Size
    from textual.scroll_view import ScrollView

    from tui.core.model import Project
    from tui.core.validation import Assessment
    from tui.ui.widgets.edits import Judge
    from tui.ui.widgets.grid.cell import CellEdit
    from tui.ui.widgets.grid.painter import Painter
    from tui.ui.widgets.grid.rows import RowModel

    _Widget = ScrollView
else:
    _Widget = object


class GridState(_Widget):
    """The grid's shared state and the calls between its parts (see the module doc)."""

    _project: Project
    _assessment: Assessment | None
    _model: RowModel
    _painter: Painter
    _row: int  # the cursor: row and column (an index into columns.FIELDS)
    _col: int
    _edit: CellEdit | None  # the cell being typed in
    judge: Judge  # whether typed text can be taken (the document's check)
    _edit_pending: bool
    _fallback: asyncio.TimerHandle | None
    _preview_time: float
    _bound_keys: tuple[object, frozenset[str]] | None
    _anchor_row: int | None  # where a Shift+↑/↓ selection of rows started

    if TYPE_CHECKING:
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
        def _post_replace(self, project: Project) -> None: ...

        # editor.EditKeys
        def _start_edit(self, text: str | None = None) -> None: ...
        def _finish_edit_quietly(self) -> None: ...

        # actions.GridActions
        def _move_to(self, row: int, col: int, select: bool = False, tab_start: int | None = None,
                      ) -> None: ...

        # copying.GridClipboard
        def _clear_selection(self) -> None: ...
        def paste_table(self, text: str) -> None: ...
