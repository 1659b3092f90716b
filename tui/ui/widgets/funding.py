"""The funding block as the printed form lays it out (the score bar above it is in status.py).

项目资金（万元）: the 年度资金总额 row (derived, with the weight, rate and funding score) and the
three sub-rows, whose amounts are editable; sub-rows print their rate and `-` for weight and score.

`FundingTable` is one line-API widget (five lines), not a grid of Inputs and Statics: measured on
Textual 8.2.8, the 36 widgets of that grid were most of the app's start-up (mounting, styling and
drawing them) and each keystroke in one of its Inputs asked for a layout of the screen. Here a
keystroke repaints one line. Keys are the grid's: arrows move, typing starts an edit, Enter
commits, Esc cancels.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.core.editing import value_text
from tui.core.model import AMOUNT_FIELDS, Project
from tui.core.validation import Assessment
from tui.printed.layout import layout_or_default
from tui.ui.widgets.celledit import TEXT, LineEdit, one_line
from tui.ui.widgets.edits import Cancel, Commit, Judge, Preview, taken
from tui.ui.widgets.header import FormBox
from tui.ui.widgets.ownkeys import OwnKeysFirst
from tui.ui.widgets.funding_lines import (CENTRAL, COLUMNS, GAP, PATHS, column_widths, edit_segments,
                                          fit, layout, table_lines)
from tui.ui.widgets.post import post_up

__all__ = ["CENTRAL", "PATHS", "FundingTable"]


@dataclass
class _Edit(LineEdit):
    """The cell being edited; its keys are every table's (celledit.LineEdit)."""

    path: str
    text: str
    caret: int
    error: str = ""


class FundingTable(OwnKeysFirst, Widget, can_focus=True):
    """项目资金 as five lines; the nine amounts of the sub-rows and the weight are editable."""

    BINDINGS = [
        Binding("up", "move(-1, 0)", "上一行（第一行：回到表头）", show=False, id="funding.up"),
        Binding("down", "move(1, 0)", "下一行（末行：到资金得分的原因）", show=False, id="funding.down"),
        Binding("left", "move(0, -1)", "左一格", show=False, id="funding.left"),
        Binding("right", "move(0, 1)", "右一格", show=False, id="funding.right"),
        Binding("enter,f2", "edit", "改写金额", id="funding.edit"),
        # Tab stays in the table (F6 leaves it): across, then the next line, round to the first.
        Binding("tab", "step(1)", "确认并移到下一格（不离开表格，F6 离开）", show=False,
                id="funding.next_cell"),
        Binding("shift+tab", "step(-1)", "确认并移到上一格", show=False, id="funding.previous_cell"),
    ]
    COMPONENT_CLASSES = {
        "funding-table--header", "funding-table--cursor", "funding-table--editor",
        "funding-table--editor-invalid", "funding-table--caret", "funding-table--score",
        "funding-table--label",
    }
    DEFAULT_CSS = """
    FundingTable {
        height: 5;
        & > .funding-table--header { color: $text-muted; text-style: bold; }
        & > .funding-table--label { color: $text-muted; }
        & > .funding-table--cursor { background: $boost; }
        & > .funding-table--score { text-style: bold; }
        & > .funding-table--editor { background: $boost; text-style: underline; }
        & > .funding-table--editor-invalid { background: $error 60%; }
        & > .funding-table--caret { background: $foreground; color: $background; }
        &:focus > .funding-table--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._project = Project()
        self._lines: list[tuple[str, ...]] = [(), (), (), (), ()]
        self._cursor = (2, 2)  # 当年财政拨款 / 全年执行数: the amount most often typed
        self._set_rows(CENTRAL)
        self._edit: _Edit | None = None
        self._styles_cache_: dict[str, Style] = {}
        # Whether typed text can be taken: the editor pane's document answers (widgets/edits.py).
        self.judge: Judge = taken

    def _post(self, message: Message) -> None:
        post_up(self, message)

    def _set_rows(self, keys: tuple[str, ...], budget: bool = True) -> None:
        """Lay the table out for a row set (四川's four sub-rows, a total alone…), with or
        without the 年初预算数 column."""
        self._rows = ("total",) + keys
        self._budget = budget
        self._editable = layout(keys, budget)
        self._paths = {path: cell for cell, path in self._editable.items()}
        self._order = sorted(self._editable)  # Tab order: by line, then column
        self.styles.height = 1 + len(self._rows)  # the header line and one line per row
        if self._cursor not in self._editable:
            self._cursor = (1, 2) if len(self._rows) == 1 else (2, 2)

    # -- public ------------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self._edit is not None

    @property
    def cursor_path(self) -> str:
        return self._editable[self._cursor]

    @property
    def edit_text(self) -> str | None:
        return self._edit.text if self._edit else None

    @property
    def edit_error(self) -> str:
        """Why the text being typed can't be taken ("" when it can, or nothing is edited)."""
        return self._edit.error if self._edit else ""

    def cell_text(self, path_or_cell: str) -> str:
        """What a cell shows: a field path, or "total.rate", "total.score", "other.rate"…"""
        if path_or_cell in self._paths:
            line, column = self._paths[path_or_cell]
        else:
            row, column_name = path_or_cell.split(".")
            line, column = 1 + self._rows.index(row), COLUMNS.index(column_name)
        return self._lines[line][1 + column]

    def show(self, project: Project, assessment: Assessment, force: bool = False) -> None:
        """Show a project (committed or previewed); repaints only the lines whose text changed.
        The cell being edited keeps its text unless `force` (undo, redo, another project)."""
        if force and self._edit is not None:
            self._edit = None
            self.refresh_bindings()
        self._project = project
        form = layout_or_default(project.layout)  # its headings, as the form prints them
        sheet = assessment.sheet
        funding = project.funding
        budget = funding.budget_column and "budget" in form.funding_columns
        if ("total",) + funding.keys != self._rows or budget != self._budget:
            self._edit = None
            self._set_rows(funding.keys, budget)
            self.refresh()
        lines = table_lines(project, sheet, form, self._rows)
        if len(lines) != len(self._lines):
            self.refresh()
        else:
            for y, (old, new) in enumerate(zip(self._lines, lines)):
                if old != new:
                    self.refresh_line(y)
        self._lines = lines

    def goto(self, path: str) -> None:
        """Put the cursor on a field path's cell (the score's reason leads to the score)."""
        parts = path.split(".")
        if path == "funding.reason":
            path = "funding.score"
        elif len(parts) == 3 and parts[1] == "total" and self._rows[1:]:
            # A total derived from its rows is fixed in its first row (当年财政拨款); a total the
            # form states on its own (over blank rows, or disagreeing) in its own cell.
            funding = self._project.funding
            if funding.stated_total is None or funding.stated_total == funding.summed:
                path = f"funding.{self._rows[1]}.{parts[2]}"
        if path in self._paths:
            self._finish_quietly()
            self._move_to(self._paths[path])
        self.focus()

    def take_edit(self) -> tuple[str, str, str] | None:
        """End the edit and hand over (path, text, ""), for a commit by the screen without a
        message; with an error the edit stays and (path, text, error) comes back."""
        edit = self._edit
        if edit is None:
            return None
        self._check(edit)
        if edit.error:
            return edit.path, edit.text, edit.error
        self._edit = None
        self.refresh_bindings()
        self.refresh_line(self._paths[edit.path][0])
        return edit.path, edit.text, ""

    def cancel_edit(self) -> None:
        if self._edit is not None:
            path = self._edit.path
            line = self._paths[path][0]
            self._edit = None
            self.refresh_bindings()
            self.refresh_line(line)
            self._post(Cancel("table", path, ""))

    # -- cursor ------------------------------------------------------------------------------

    def refresh_line(self, y: int) -> None:
        self.refresh(Region(0, y, self.size.width, 1))

    def _move_to(self, cell: tuple[int, int]) -> None:
        if cell != self._cursor:
            old, self._cursor = self._cursor, cell
            self.refresh_line(old[0])
            self.refresh_line(cell[0])

    def action_move(self, dy: int, dx: int) -> None:
        line, column = self._cursor
        if dx:
            choices = [c for c in self._editable if c[0] == line and (c[1] - column) * dx > 0]
            if choices:
                self._move_to(min(choices, key=lambda c: abs(c[1] - column)))
            return
        choices = [c for c in self._editable if (c[0] - line) * dy > 0]
        if choices:
            self._move_to(min(choices, key=lambda c: (abs(c[0] - line), abs(c[1] - column))))
        else:  # past the first or last line: the header fields above, 资金得分的原因 below
            for node in self.ancestors:
                if isinstance(node, FormBox):
                    node.beyond(dy)  # at once: the keys behind the arrow follow the focus

    def action_step(self, direction: int) -> None:
        """Tab order, wrapping round: the focus never leaves the table by Tab."""
        order = self._order
        self._move_to(order[(order.index(self._cursor) + direction) % len(order)])

    def home(self, project: Project) -> None:
        """The cursor where a project's amounts start: a new project's (no amount yet) at the
        first sub-row's 年初预算数 (a total alone: its own); others keep their place (by
        default 全年执行数)."""
        funding = project.funding
        if not any(getattr(funding.row(row), field, None)
                   for row in self._rows for field, _t in AMOUNT_FIELDS):
            self._move_to((2, 0) if (2, 0) in self._editable else (1, 0))

    def action_edit(self) -> None:
        if self._edit is None:
            self._start(None)
        else:
            self._commit()

    def on_click(self, event: events.Click) -> None:
        widths = self._widths()
        x = 0
        for column, width in enumerate(widths):
            if not width:
                continue
            if x <= event.x < x + width + GAP and (event.y, column - 1) in self._editable:
                self._finish_quietly()
                self._move_to((event.y, column - 1))
                if event.chain >= 2:
                    self._start(None)
                return
            x += width + GAP

    # -- editing -----------------------------------------------------------------------------

    def _start(self, text: str | None) -> None:
        path = self.cursor_path
        start = value_text(self._project, path) if text is None else text
        self._edit = _Edit(path, start, len(start))
        self.refresh_bindings()
        self._changed()

    def _check(self, edit: _Edit) -> None:
        edit.error = self.judge(edit.path, edit.text)[0]

    def _changed(self) -> None:
        edit = self._edit
        assert edit is not None
        self._check(edit)
        self.refresh_line(self._paths[edit.path][0])
        self._post(Preview("table", edit.path, edit.text))

    def _commit(self) -> bool:
        edit = self._edit
        if edit is None:
            return True
        self._check(edit)
        if edit.error:
            self.app.bell()
            return False
        self._edit = None
        self.refresh_bindings()
        self.refresh_line(self._paths[edit.path][0])
        self._post(Commit("table", edit.path, edit.text))
        return True

    def _finish_quietly(self) -> None:
        if self._edit is not None and not self._commit():
            self.cancel_edit()

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character.isprintable()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._edit is not None and action == "move":
            return False  # while editing, arrows are handled in on_key
        return True

    def on_key(self, event: events.Key) -> None:
        edit = self._edit
        key = event.key
        if edit is None:
            if key in ("backspace", "delete"):
                event.stop()
                self._start("")
            elif event.is_printable and event.character:
                event.stop()
                event.prevent_default()
                self._start(event.character)
            return
        handled = True
        if key == "escape":
            self.cancel_edit()
        elif key == "enter":
            self._commit()
        elif key in ("tab", "shift+tab"):
            if self._commit():
                self.action_step(1 if key == "tab" else -1)
        elif key in ("up", "down"):
            if self._commit():
                self.action_move(-1 if key == "up" else 1, 0)
        else:
            changed = edit.key(key, event.character, event.is_printable)
            if changed == TEXT:
                self._changed()
            handled = changed is not None
        if handled:
            event.stop()
            event.prevent_default()
            if self._edit is not None:
                self.refresh_line(self._paths[self._edit.path][0])

    def on_paste(self, event: events.Paste) -> None:
        """A paste goes into the cell as one line of text, as typing it would (and as in the grid)."""
        event.stop()
        text = one_line(event.text)
        if not text:
            return
        if self._edit is None:
            self._start(text)
        else:
            self._edit.insert(text)
            self._changed()

    # -- drawing -----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"funding-table--{name}")

    def _widths(self) -> list[int]:
        return column_widths(self._lines, self.size.width, self._budget)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + len(self._rows)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y >= len(self._lines) or not self._lines[y]:
            return Strip.blank(width, base)
        cells = self._lines[y]
        widths = self._widths()
        segments: list[Segment] = []
        edit = self._edit if self._edit is not None and self._paths[self._edit.path][0] == y else None
        for column, (text, cell_width) in enumerate(zip(cells, widths)):
            if column and not cell_width:
                continue  # a column the form doesn't print
            if column:
                segments.append(Segment(" " * GAP, base))
            style = base
            if y == 0:
                style = base + self._style("header")
            elif column == 0:
                style = base + self._style("label")
            elif y == 1 and column == 6:
                style = base + self._style("score")
            cell = (y, column - 1)
            if edit is not None and self._paths[edit.path] == cell:
                segments.extend(edit_segments(
                    edit.text, edit.caret, cell_width,
                    base + self._style("editor-invalid" if edit.error else "editor"),
                    base + self._style("caret")))
                continue
            if cell == self._cursor and cell in self._editable:
                style = base + self._style("cursor")
            segments.append(Segment(fit(text, cell_width, right=column > 0), style))
        return Strip(segments).crop_extend(0, width, base)
