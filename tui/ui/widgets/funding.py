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

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.core.editing import apply_edit, value_text
from tui.core.format import amount, cell, fixed
from tui.printed.layout import layout_or_default
from tui.core.model import AMOUNT_FIELDS, FUNDING_ROWS, ParseError, Project
from tui.core.validation import Assessment
from tui.ui.widgets.celledit import TEXT, LineEdit, one_line
from tui.ui.widgets.post import post_to_screen

LABEL_WIDTH = 16
SMALL = 8  # 分值, 执行率, 得分
GAP = 1
COLUMNS = tuple(key for key, _ in AMOUNT_FIELDS) + ("weight", "rate", "score")


def layout(keys: tuple[str, ...], budget: bool = True) -> dict[tuple[int, int], str]:
    """The cells that can be edited, (line, column) -> field path, for a row set's keys: every
    amount (the total row's are the form's stated 年度资金总额), the weight and the funding score.
    Without `budget` (a form that prints no 年初预算数) that column is neither shown nor edited."""
    editable = {(1 + r, c): f"funding.{row}.{field}"
                for r, row in enumerate(("total",) + keys)
                for c, field in enumerate(COLUMNS[:3]) if budget or field != "budget"}
    editable[(1, 3)] = "funding.weight"
    editable[(1, 5)] = "funding.score"
    return editable


CENTRAL = tuple(key for key, _ in FUNDING_ROWS)
PATHS = {path: cell for cell, path in layout(CENTRAL).items()}  # the central template's cells


def _fit(text: str, width: int, right: bool = True) -> str:
    if cell_len(text) > width:
        from rich.cells import set_cell_size
        return set_cell_size(text, max(0, width - 1)) + "⋯"
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


@dataclass
class _Edit(LineEdit):
    """The cell being edited; its keys are every table's (celledit.LineEdit)."""

    path: str
    text: str
    caret: int
    error: str = ""


class FundingTable(Widget, can_focus=True):
    """项目资金 as five lines; the nine amounts of the sub-rows and the weight are editable."""

    BINDINGS = [
        Binding("up", "move(-1, 0)", "上一行", show=False, id="funding.up"),
        Binding("down", "move(1, 0)", "下一行", show=False, id="funding.down"),
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

    class Edited(Message):
        """A keystroke in the cell being edited; `error` says why the text can't be taken."""

        def __init__(self, path: str, text: str, error: str) -> None:
            super().__init__()
            self.path, self.text, self.error = path, text, error

    class Commit(Message):
        """Enter, Tab or an arrow accepted the cell (the text was checked)."""

        def __init__(self, path: str, text: str) -> None:
            super().__init__()
            self.path, self.text = path, text

    class Cancel(Message):
        """Esc: the edit is dropped; show the committed project again."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._project = Project()
        self._lines: list[tuple[str, ...]] = [(), (), (), (), ()]
        self._cursor = (2, 2)  # 当年财政拨款 / 全年执行数: the amount most often typed
        self._set_rows(CENTRAL)
        self._edit: _Edit | None = None
        self._styles_cache_: dict[str, Style] = {}

    def _post(self, message: Message) -> None:
        post_to_screen(self, message)

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
        rates = {row.key: row.rate for row in sheet.rows}
        funding = project.funding
        budget = funding.budget_column and "budget" in form.funding_columns
        if ("total",) + funding.keys != self._rows or budget != self._budget:
            self._edit = None
            self._set_rows(funding.keys, budget)
            self.refresh()
        # a record in the default layout keeps the table's own headings (分值, not the seed's 分数)
        heads = tuple(form.funding_heading(k) for k in COLUMNS) if project.layout else \
            tuple(t for _k, t in AMOUNT_FIELDS) + ("分值", "执行率", "得分")
        lines: list[tuple[str, ...]] = [(f"项目资金（{project.money_unit or '万元'}）",) + heads]
        for row in self._rows:
            amounts = funding.row(row)
            rate = cell(sheet.show(rates[row], "rate"))
            if row == "total":
                score = sheet.show(sheet.funding_score, "funding_score")
                tail = (fixed(sheet.funding_weight), rate, score + ("*" if funding.score is not None else ""))
            else:
                tail = ("-", rate, "-")
            label = funding.label(row)
            if row == "total" and not dict(funding.labels).get("total") and form.total_label:
                label = form.total_label
            lines.append((label,)
                         + tuple(cell(amount(getattr(amounts, f))) for f, _t in AMOUNT_FIELDS) + tail)
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
            line = self._paths[self._edit.path][0]
            self._edit = None
            self.refresh_bindings()
            self.refresh_line(line)
            self._post(self.Cancel())

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
        try:
            apply_edit(self._project, edit.path, edit.text)
            edit.error = ""
        except ParseError as exc:
            edit.error = str(exc)

    def _changed(self) -> None:
        edit = self._edit
        assert edit is not None
        self._check(edit)
        self.refresh_line(self._paths[edit.path][0])
        self._post(self.Edited(edit.path, edit.text, edit.error))

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
        self._post(self.Commit(edit.path, edit.text))
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
        """Column widths for the table's width; numbers are never cut. When room is short, text
        gives way first: the label (to 年度资金总额's 12 cells), the small columns' spare, the
        amounts' headers (年初预算数 down to the widest figure), then the label to 8 cells.
        Room to spare goes to the amounts. A hidden 年初预算数 column has none (and no gap)."""
        lines = [line for line in self._lines[1:] if line]
        need = [max((cell_len(line[c]) for line in lines), default=4) for c in range(1, 7)]
        least = [8, *need[:3], *(max(n, cell_len(h)) for n, h in zip(need[3:], ("分值", "执行率", "得分")))]
        widths = [LABEL_WIDTH, *(max(n, 10) for n in need[:3]), *(max(n, SMALL) for n in least[4:])]
        over = sum(widths) + GAP * 6 - self.size.width
        for columns, floor in (((0,), 12), ((4, 5, 6), None), ((1, 2, 3), None), ((0,), 8)):
            for c in columns:
                if over <= 0:
                    break
                give = min(over, widths[c] - max(least[c], floor or 0))
                if give > 0:
                    widths[c] -= give
                    over -= give
        spare = max(0, -over)
        for c in (1, 2, 3):
            widths[c] += spare // 3
        widths[3] += spare % 3
        if not self._budget:  # a form that prints no 年初预算数: its room (and gap) to the others
            freed, widths[1] = widths[1] + GAP, 0
            widths[2] += freed // 2
            widths[3] += freed - freed // 2
        return widths

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
                segments.extend(self._editor(edit, cell_width))
                continue
            if cell == self._cursor and cell in self._editable:
                style = base + self._style("cursor")
            segments.append(Segment(_fit(text, cell_width, right=column > 0), style))
        return Strip(segments).crop_extend(0, width, base)

    def _editor(self, edit: _Edit, width: int) -> list[Segment]:
        style = self.rich_style + self._style("editor-invalid" if edit.error else "editor")
        caret_style = self.rich_style + self._style("caret")
        text, caret = edit.text, min(edit.caret, len(edit.text))
        caret_char = text[caret] if caret < len(text) else " "
        first = 0
        room = max(1, width - cell_len(caret_char))
        while cell_len(text[first:caret]) > room:
            first += 1
        before, after = text[first:caret], text[caret + 1:]
        used = cell_len(before) + cell_len(caret_char)
        tail = _fit(after, max(0, width - used), right=False) if width > used else ""
        return [Segment(before, style), Segment(caret_char, caret_style), Segment(tail, style)]
