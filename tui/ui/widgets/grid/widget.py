"""`IndicatorGrid`: the indicator table as one line-API widget, edited cell by cell from the keys.

Line 0 is the column header, the last line a status line (the problem or the full text of the
cell under the cursor), and the lines between are the indicators, one per line. `show()` makes
the rows' views (rows.py), compares them with the old ones and refreshes only the lines whose
view changed; the painter (painter.py) draws a line from its view, cached. The edit field
(cell.py, typed into by editor.py; keys taken in order, OwnKeysFirst) is drawn by the grid over
the cell; a keystroke repaints that line and the status line. The grid never changes the project:
it posts `Preview` while a cell is typed in (only for text its `judge`, the document, takes),
`Commit` when a cell is accepted, `Cancel` on Esc (widgets/edits.py), and `Replace` with a whole
new project after adding, deleting or moving an indicator (actions.py). The editor pane answers
each by calling `show()` with the project and assessment it wants shown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.editing import indicator_path
from tui.core.model import Project
from tui.core.scoring import ScoreSheet
from tui.core.validation import Assessment
from tui.ui.widgets.edits import Cancel, Commit, Judge, Preview, taken
from tui.ui.widgets.post import post_up
from tui.ui.widgets.grid.actions import Actions
from tui.ui.widgets.grid.copying import Clipboard
from tui.ui.widgets.grid.columns import COLUMN_OF, COLUMNS, FIELDS, form_headings, layout
from tui.ui.widgets.grid.cell import CellEdit
from tui.ui.widgets.grid.editor import Typing
from tui.ui.widgets.grid.moves import Moves
from tui.ui.widgets.grid.keys import GRID_BINDINGS
from tui.ui.widgets.ownkeys import OwnKeysFirst
from tui.ui.widgets.grid.painter import GRID_COMPONENTS, GRID_CSS, Painter
from tui.ui.widgets.grid.rows import RowModel, status_text


class IndicatorGrid(OwnKeysFirst, ScrollView, can_focus=True):
    """The indicator table of one project, edited cell by cell from the keyboard."""

    BINDINGS = GRID_BINDINGS  # keys.py
    COMPONENT_CLASSES = GRID_COMPONENTS  # painter.py: what each line is drawn with
    DEFAULT_CSS = GRID_CSS

    # ---------------------------------------------------------------------------------------
    # Messages

    class Replace(Message):
        """An indicator is to be added, deleted or moved, or rows pasted: `change` makes the new
        project from the document's (a core function: the grid never builds the record)."""

        def __init__(self, grid: IndicatorGrid, change: Callable[[Project], Project]) -> None:
            super().__init__()
            self.grid, self.change = grid, change

        @property
        def control(self) -> IndicatorGrid:
            return self.grid

    # ---------------------------------------------------------------------------------------

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._project = Project()
        self._assessment: Assessment | None = None
        self._model = RowModel()
        self._painter = Painter(self._component_style)
        self._laid_width = -1  # the view width the columns were laid out for
        self._row = 0
        self._col = FIELDS.index("actual")
        self._edit: CellEdit | None = None
        # A Preview was posted and its line not yet repainted: the answering show() repaints it,
        # so that the typed character, the new score and the total reach the screen in one frame.
        self._edit_pending = False
        self._fallback: asyncio.TimerHandle | None = None  # see Typing._repaint_anyway
        self._preview_time = 0.0
        self._status_line: tuple = ()
        self._view_key: tuple | None = None
        self._view = Size(0, 0)
        self._bound_keys: tuple[object, frozenset[str]] | None = None
        self._anchor_row: int | None = None  # where a Shift+↑/↓ selection of rows started
        self._tab_start: int | None = None  # where Tabs along the row began: Enter returns there
        # Whether typed text can be taken: the editor pane's document answers (widgets/edits.py).
        self.judge: Judge = taken
        # The parts (state.py): the cursor, copy and paste, typing, the actions on indicators.
        self.moves = Moves(self)
        self.clipboard = Clipboard(self, self.moves)
        self.typing = Typing(self, self.clipboard)
        self.actions = Actions(self, self.moves, self.typing)

    def _post(self, message: Message) -> None:
        post_up(self, message)

    def _post_preview(self, path: str, text: str) -> None:
        self._post(Preview("grid", path, text))

    def _post_commit(self, path: str, text: str) -> None:
        self._post(Commit("grid", path, text))

    def _post_replace(self, change: Callable[[Project], Project]) -> None:
        self._post(self.Replace(self, change))

    # ---------------------------------------------------------------------------------------
    # Public API

    @property
    def project(self) -> Project:
        return self._project

    @property
    def editing(self) -> bool:
        return self._edit is not None

    @property
    def cursor_path(self) -> str:
        return f"indicators[{self._row}].{FIELDS[self._col]}"

    @property
    def cursor(self) -> tuple[int, str]:
        return self._row, FIELDS[self._col]

    @property
    def edit_text(self) -> str | None:
        return self._edit.text if self._edit else None

    @property
    def status_text(self) -> str:
        return self._status()[0]

    @property
    def row_renders(self) -> int:
        """Strips built for indicator rows (a measure for tests and benches)."""
        return self._painter.row_renders

    def cell_text(self, row: int, field: str) -> str:
        """The full text a cell shows (before any cutting to width)."""
        return self._model.views[row].values[COLUMN_OF[field]]

    def show(self, project: Project, assessment: Assessment | None) -> None:
        """Show this project; repaints only the rows whose text or marks changed.

        Safe while a cell is being edited: the edit buffer is kept (the shell calls this with the
        previewed project on every keystroke)."""
        self._project, self._assessment = project, assessment
        headings = form_headings(project.layout)
        if self._model.last is not None:  # last year's figures follow this year's in two columns
            headings = {**headings, **{f: f"{headings.get(f, COLUMNS[COLUMN_OF[f]].header)} ｜ 上年"
                                       for f in ("actual", "score")}}
        if headings != self._painter.headings:
            self._painter.headings = headings
            self.refresh()
        old = self._model.update(project, assessment)
        new = self._model.views
        count = len(new)
        if len(old) != count:
            self._anchor_row = None
            self._row = max(0, min(self._row, count - 1))
            if self._edit is not None and self._edit.row >= count:
                self._edit = None
                self.refresh_bindings()
            self._painter.forget_rows(count)
            self._resize_virtual()
            self.refresh()
        if self._edit is None or len(old) != count:
            self._layout_columns()  # widths follow the texts, but not while a cell is typed in
        rows = [row for row, (a, b) in enumerate(zip(old, new)) if a is not b and a != b] \
            if len(old) == count else []
        if self._edit_pending:  # the line typed in waits for this show(): see Typing.changed
            self._edit_pending = False
            if self._edit is not None:
                rows.append(self._edit.row)
        self._repaint(rows)

    def goto(self, path: str) -> None:
        """Put the cursor on the cell of a field path (``indicators[3].actual``) and focus."""
        found = indicator_path(path)
        if found is not None and found[1] in FIELDS and self._model.views:
            self.typing.finish_quietly()
            self.moves.move_to(found[0], FIELDS.index(found[1]))
        self.focus()

    def commit_edit(self, move: tuple[int, int] = (0, 0)) -> bool:
        """Accept the cell being edited (posts Commit); False, and stay, if its text is refused."""
        edit = self._edit
        if edit is None:
            return True
        edit.check(self.judge)
        if edit.error:
            self.typing.flush()
            self.app.bell()
            return False
        self._edit = None
        self._edit_pending = False
        self.refresh_bindings()
        self._post_commit(edit.path, edit.text)
        self._refresh_row(edit.row)
        if move != (0, 0):
            self.moves.step(*move)
        self._refresh_status()
        return True

    def cancel_edit(self) -> None:
        """Leave the cell being edited without a change (posts Cancel)."""
        edit = self._edit
        if edit is None:
            return
        self._edit = None
        self._edit_pending = False
        self.refresh_bindings()
        self._post(Cancel("grid", edit.path, ""))
        self.show(*edit.base)
        self._refresh_row(edit.row)
        self._refresh_status()

    def home(self) -> None:
        self.moves.home()

    def show_last_year(self, last: tuple[Project, ScoreSheet] | None) -> None:
        self.actions.show_last_year(last)

    # ---------------------------------------------------------------------------------------
    # Keys, the mouse and paste: handed to the parts

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return self.typing.consumes(key, character)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a cell is edited its keys go to the edit field (on_key); hide the rest.
        return self._edit is None

    def on_key(self, event: events.Key) -> None:
        self.typing.key(event)

    def on_paste(self, event: events.Paste) -> None:
        self.typing.paste(event)

    def on_blur(self, event: events.Blur) -> None:
        """Focus left the grid (a click elsewhere, a dialog): keep what was typed if it is taken."""
        self.typing.finish_quietly()

    def on_click(self, event: events.Click) -> None:
        self.actions.click(event.get_content_offset(self), event.chain)

    def action_step(self, direction: int) -> None:
        """Tab / Shift+Tab: the next / previous cell, wrapping to the next / previous row."""
        self.moves.step(0, direction)

    def action_cursor(self, drow: int, dcol: int) -> None:
        self.moves.cursor(drow, dcol)

    def action_page(self, direction: int) -> None:
        self.moves.page(direction)

    def action_cursor_to(self, row: int | None, col: int | None) -> None:
        self.moves.cursor_to(row, col)

    def action_select(self, delta: int) -> None:
        self.moves.select(delta)

    def action_copy(self) -> None:
        self.clipboard.copy()

    def action_activate(self) -> None:
        """Enter: a list for levels and qualitative actuals, the text editor for the rest."""
        self.actions.activate()

    def action_edit_text(self) -> None:
        self.actions.edit_text()

    def action_clear_cell(self) -> None:
        self.actions.clear_cell()

    def action_delete_cell(self) -> None:
        self.actions.delete_cell()

    def action_pick_tier(self) -> None:
        self.actions.pick_tier()

    def action_add_below(self) -> None:
        self.actions.add_below()

    def action_add_above(self) -> None:
        self.actions.add_above()

    def action_delete(self) -> None:
        self.actions.delete()

    def action_move_indicator(self, delta: int) -> None:
        self.actions.move_indicator(delta)

    # ---------------------------------------------------------------------------------------
    # Geometry

    def _view_size(self) -> Size:
        """The size of the lines drawn (without scrollbars): asked on every refresh and drawn
        line, kept until the widget's size, scrollbars or styles change."""
        key = (self._size, self.show_horizontal_scrollbar, self.show_vertical_scrollbar)
        if key != self._view_key:
            self._view_key, self._view = key, self.scrollable_content_region.size
        return self._view

    def _body_height(self) -> int:
        """Lines available for indicator rows (the view minus header and status line)."""
        return max(1, self._view_size().height - 2)

    def _layout_columns(self) -> None:
        """Column widths for the view's width and the texts shown; a change repaints all."""
        recorded = any(i.score is not None for i in self._project.indicators)
        values = [view.values for view in self._model.views]
        self._laid_width = width = self._view_size().width
        if self._painter.set_layout(layout(values, width, recorded)):
            self._status_line = self._status()  # it names a cut 三级指标: the widths count
            self._resize_virtual()
            self.refresh()

    def _resize_virtual(self) -> None:
        size = Size(self._painter.layout.line_width, len(self._model.views) + 2)
        if self.virtual_size != size:
            self.virtual_size = size

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns()
        self.moves.scroll_to_cursor()
        self.refresh()

    def on_mount(self) -> None:
        self._layout_columns()

    def _line_of_row(self, row: int) -> int:
        return row - int(self.scroll_y) + 1

    def _refresh_row(self, row: int) -> None:
        self._repaint((row,), status=False)

    def _refresh_status(self) -> None:
        self._repaint(())

    def _repaint(self, rows, status: bool = True) -> None:
        """Refresh the lines of these rows (those on screen, each once) and, if `status`, the
        status line when its text changed: one refresh call, one measure of the view."""
        size = self._view_size()
        top = int(self.scroll_y) - 1  # the row drawn on line y is y + top
        lines = {row - top for row in rows}
        regions = [Region(0, y, size.width, 1) for y in lines if 1 <= y < size.height - 1]
        if status and (line := self._status()) != self._status_line:
            self._status_line = line
            regions.append(Region(0, size.height - 1, size.width, 1))
        if regions:
            self.refresh(*regions)

    # ---------------------------------------------------------------------------------------
    # Drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.restyle()
        self._view_key = None

    def _component_style(self, name: str) -> Style:
        if name == "base":
            return self.rich_style
        return self.get_component_rich_style(f"indicator-grid--{name}")

    def render_line(self, y: int) -> Strip:
        painter = self._painter
        size = self._view_size()
        # Laid out for another width (a project shown before the first layout, at width 0:
        # the first frame drew every column squeezed until the Resize event that follows it).
        if not painter.layout.widths or size.width != self._laid_width:
            self._layout_columns()
        scroll_x = int(self.scroll_x)
        views = self._model.views
        if y == 0:
            strip = painter.header(COLUMN_OF[FIELDS[self._col]])
        elif y == size.height - 1 and y > 0:
            text, style_name = self._status_line = self._status()  # it follows the focus
            return painter.status(text, style_name, size.width)
        else:
            row = y - 1 + int(self.scroll_y)
            if not 0 <= row < len(views):
                return Strip.blank(size.width, painter.style("base"))
            on_row = row == self._row
            cursor_column = COLUMN_OF[FIELDS[self._col]] if on_row else -1
            edit = self._edit if self._edit is not None and self._edit.row == row else None
            strip = painter.row(row, views[row], cursor_column, edit, self.moves.selected(row))
        return strip.crop(scroll_x, scroll_x + size.width).extend_cell_length(
            size.width, painter.style("base"))

    def _status(self) -> tuple[str, str]:
        """(text, style) of the status line for the cursor's cell (none without the focus)."""
        return status_text(self._model, self._row, FIELDS[self._col], self._edit,
                           self._painter.layout.widths, self.has_focus)
