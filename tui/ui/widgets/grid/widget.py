"""`IndicatorGrid`: the indicator table as one line-API widget, edited cell by cell from the keys.

Line 0 is the column header, the last line a status line (the problem or the full text of the
cell under the cursor), and the lines between are the indicators, one per line. `show()` makes
the rows' views (rows.py), compares them with the old ones and refreshes only the lines whose
view changed; the painter (painter.py) draws a line from its view, cached.

The edit field (editor.py) is drawn by the grid itself over the cell; a keystroke repaints that
one line and the status line. The grid never changes the project itself: it posts `Preview`
while a cell is typed in (only for text its `judge`, the document, takes), `Commit` when a cell is accepted,
`Cancel` on Esc, and `Replace` with a whole new project after adding, deleting or moving an
indicator (actions.py). The screen answers each by calling `show()` with the project and
assessment it wants shown.
"""

from __future__ import annotations

import asyncio

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.editing import indicator_path
from tui.core.model import Project
from tui.core.validation import Assessment
from tui.ui.widgets.edits import Cancel, Commit, Judge, Preview, taken
from tui.ui.widgets.post import post_up
from tui.ui.widgets.grid.actions import GridActions
from tui.ui.widgets.grid.copying import GridClipboard
from tui.ui.widgets.grid.columns import COLUMN_OF, COLUMNS, FIELDS, form_headings, layout
from tui.ui.widgets.grid.cell import CellEdit
from tui.ui.widgets.grid.editor import EditKeys
from tui.ui.widgets.grid.painter import Painter
from tui.ui.widgets.grid.rows import RowModel, status_text


class IndicatorGrid(EditKeys, GridClipboard, GridActions, ScrollView, can_focus=True):
    """The indicator table of one project, edited cell by cell from the keyboard."""

    BINDINGS = [
        Binding("enter", "activate", "编辑", id="grid.edit"),
        Binding("f2,e", "edit_text", "改写", id="grid.edit_text"),
        Binding("t", "pick_tier", "选等级", id="grid.pick_tier"),
        Binding("a", "add_below", "添加指标", id="grid.add"),
        Binding("A", "add_above", "上方添加", id="grid.add_above", show=False),
        Binding("d", "delete", "删除指标", id="grid.delete"),
        Binding("ctrl+c", "copy", "复制", id="grid.copy"),
        Binding("shift+up", "select(-1)", "向上选行", id="grid.select_up", show=False),
        Binding("shift+down", "select(1)", "向下选行", id="grid.select_down", show=False),
        Binding("ctrl+up", "move_indicator(-1)", "上移指标", id="grid.move_up"),
        Binding("ctrl+down", "move_indicator(1)", "下移指标", id="grid.move_down"),
        Binding("backspace", "clear_cell", "清空重填", id="grid.clear", show=False),
        Binding("delete", "delete_cell", "清空此格", id="grid.delete_cell", show=False),
        # Tab stays in the table (F6 leaves it): across the row, then on to the next one.
        Binding("tab", "step(1)", "确认并右移一格（行尾接下一行；不离开表格，F6 离开）",
                id="grid.next_cell", show=False),
        Binding("shift+tab", "step(-1)", "确认并左移一格（行首接上一行）", id="grid.previous_cell",
                show=False),
        Binding("up", "cursor(-1, 0)", "上一行", id="grid.cursor_up", show=False),
        Binding("down", "cursor(1, 0)", "下一行", id="grid.cursor_down", show=False),
        Binding("left", "cursor(0, -1)", "左一格", id="grid.cursor_left", show=False),
        Binding("right", "cursor(0, 1)", "右一格", id="grid.cursor_right", show=False),
        Binding("pageup", "page(-1)", "上一页", id="grid.page_up", show=False),
        Binding("pagedown", "page(1)", "下一页", id="grid.page_down", show=False),
        Binding("home", "cursor_to(None, 0)", "行首", id="grid.row_start", show=False),
        Binding("end", "cursor_to(None, -1)", "行尾", id="grid.row_end", show=False),
        Binding("ctrl+home", "cursor_to(0, None)", "第一项", id="grid.first", show=False),
        Binding("ctrl+end", "cursor_to(-1, None)", "最后一项", id="grid.last", show=False),
    ]

    COMPONENT_CLASSES = {
        "indicator-grid--header",
        "indicator-grid--header-cursor",
        "indicator-grid--cursor",
        "indicator-grid--cursor-row",
        "indicator-grid--selected",
        "indicator-grid--error",
        "indicator-grid--warning",
        "indicator-grid--override",
        "indicator-grid--editor",
        "indicator-grid--editor-invalid",
        "indicator-grid--caret",
        "indicator-grid--placeholder",
        "indicator-grid--status",
        "indicator-grid--status-error",
        "indicator-grid--status-warning",
    }

    DEFAULT_CSS = """
    IndicatorGrid {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        & > .indicator-grid--header { text-style: bold; background: $panel; color: $foreground; }
        & > .indicator-grid--header-cursor { text-style: bold; background: $panel; color: $accent; }
        & > .indicator-grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .indicator-grid--cursor-row { background: $surface; }
        & > .indicator-grid--selected { background: $accent 30%; text-style: bold; }
        & > .indicator-grid--error { background: $error 35%; }
        & > .indicator-grid--warning { background: $warning 30%; }
        & > .indicator-grid--override { color: $text-accent; }
        & > .indicator-grid--editor { background: $primary 35%; color: $foreground; }
        & > .indicator-grid--editor-invalid { background: $error 60%; color: $foreground; }
        & > .indicator-grid--caret { background: $foreground; color: $background; }
        & > .indicator-grid--placeholder { color: $text-muted; text-style: italic; }
        & > .indicator-grid--status { background: $panel; color: $text-muted; }
        & > .indicator-grid--status-error { background: $panel; color: $text-error; text-style: bold; }
        & > .indicator-grid--status-warning { background: $panel; color: $text-warning; }
        &:focus {
            & > .indicator-grid--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .indicator-grid--cursor-row { background: $boost; }
        }
    }
    """

    # ---------------------------------------------------------------------------------------
    # Messages

    class Replace(Message):
        """An indicator was added, deleted or moved, or rows were pasted: this is the whole new
        project."""

        def __init__(self, grid: IndicatorGrid, project: Project) -> None:
            super().__init__()
            self.grid, self.project = grid, project

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
        self._row = 0
        self._col = FIELDS.index("actual")
        self._edit: CellEdit | None = None
        # A Preview was posted and its line not yet repainted: the answering show() repaints it,
        # so that the typed character, the new score and the total reach the screen in one frame.
        self._edit_pending = False
        self._fallback: asyncio.TimerHandle | None = None  # see EditKeys._repaint_anyway
        self._preview_time = 0.0
        self._status_line: tuple = ()
        self._view_key: tuple | None = None
        self._view = Size(0, 0)
        self._bound_keys: tuple[object, frozenset[str]] | None = None
        self._anchor_row: int | None = None  # where a Shift+↑/↓ selection of rows started
        self._tab_start: int | None = None  # where Tabs along the row began: Enter returns there
        # Whether typed text can be taken: the editor pane's document answers (widgets/edits.py).
        self.judge: Judge = taken

    def _post(self, message: Message) -> None:
        post_up(self, message)

    def _post_preview(self, path: str, text: str) -> None:
        self._post(Preview("grid", path, text))

    def _post_commit(self, path: str, text: str) -> None:
        self._post(Commit("grid", path, text))

    def _post_replace(self, project: Project) -> None:
        self._post(self.Replace(self, project))

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
        if self._edit_pending:  # the line typed in waits for this show(): see EditKeys._changed
            self._edit_pending = False
            if self._edit is not None:
                rows.append(self._edit.row)
        self._repaint(rows)

    def goto(self, path: str) -> None:
        """Put the cursor on the cell of a field path (``indicators[3].actual``) and focus."""
        found = indicator_path(path)
        if found is not None and found[1] in FIELDS and self._model.views:
            self._finish_edit_quietly()
            self._move_to(found[0], FIELDS.index(found[1]))
        self.focus()

    def commit_edit(self, move: tuple[int, int] = (0, 0)) -> bool:
        """Accept the cell being edited (posts Commit); False, and stay, if its text is refused."""
        edit = self._edit
        if edit is None:
            return True
        edit.check(self.judge)
        if edit.error:
            self._flush_edit()
            self.app.bell()
            return False
        self._edit = None
        self._edit_pending = False
        self.refresh_bindings()
        self._post_commit(edit.path, edit.text)
        self._refresh_row(edit.row)
        if move != (0, 0):
            self._step(*move)
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
        if self._painter.set_layout(layout(values, self._view_size().width, recorded)):
            self._status_line = self._status()  # it names a cut 三级指标: the widths count
            self._resize_virtual()
            self.refresh()

    def _resize_virtual(self) -> None:
        size = Size(self._painter.layout.line_width, len(self._model.views) + 2)
        if self.virtual_size != size:
            self.virtual_size = size

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns()
        self._scroll_to_cursor()
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
        if not painter.layout.widths:
            self._layout_columns()
        size = self._view_size()
        scroll_x = int(self.scroll_x)
        views = self._model.views
        if y == 0:
            strip = painter.header(COLUMN_OF[FIELDS[self._col]])
        elif y == size.height - 1 and y > 0:
            text, style_name = self._status_line or self._status()
            return painter.status(text, style_name, size.width)
        else:
            row = y - 1 + int(self.scroll_y)
            if not 0 <= row < len(views):
                return Strip.blank(size.width, painter.style("base"))
            on_row = row == self._row
            cursor_column = COLUMN_OF[FIELDS[self._col]] if on_row else -1
            edit = self._edit if self._edit is not None and self._edit.row == row else None
            strip = painter.row(row, views[row], cursor_column, edit, self._selected(row))
        return strip.crop(scroll_x, scroll_x + size.width).extend_cell_length(
            size.width, painter.style("base"))

    def _status(self) -> tuple[str, str]:
        """(text, style) of the status line for the cursor's cell."""
        return status_text(self._model, self._row, FIELDS[self._col], self._edit,
                           self._painter.layout.widths)
