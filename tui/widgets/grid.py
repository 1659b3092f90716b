"""The editable indicator table (绩效指标), drawn line by line so one keystroke repaints one row.

`IndicatorGrid` is a line-API widget (`ScrollView.render_line`): line 0 is the column header, the
last line is a status line (the problem or the full text of the cell under the cursor), and the
lines between are the indicators, one per line. Each row is first reduced to a `RowView` (the
texts it shows and the marks of its cells); `show()` compares the new views with the old ones and
refreshes only the lines whose view changed. A row's drawn `Strip` is cached under a key made of
everything it depends on, so a line Textual asks for again costs a dictionary lookup.

The edit field is drawn by the grid itself over the cell (a text buffer and a caret), widened
over its neighbours when the text is long; a keystroke repaints that one line and the status line.

The grid never changes the project itself: it posts `Preview` while a cell is typed in (only for
text `apply_edit` accepts), `Commit` when a cell is accepted, `Cancel` on Esc, and `Replace` with
a whole new project after adding, deleting or moving an indicator. The screen answers each by
calling `show()` with the project and assessment it wants shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..editing import (INDICATOR_FIELDS, add_indicator, apply_edit, delete_indicator,
                       indicator_path, label, move_indicator, value_text)
from ..format import fixed
from ..model import LEVEL1_CHOICES, LEVEL2_CHOICES, TIERS, ParseError, Project, parse_target
from ..validation import ERROR, WARNING, Assessment
from .choice import ChoiceScreen

# The cut mark: ⋯ is one cell in every terminal (… is East-Asian-ambiguous: two cells in many
# Chinese terminals, which would shift every column after it); the project list uses it too.
ELLIPSIS = "⋯"
OTHER = "\x00other"  # the "type another name" entry of a level list


class Column(NamedTuple):
    field: str  # an indicator field, or "" for the row number
    header: str
    least: int  # the narrowest it may be squeezed to
    most: int  # the widest it grows to fit its texts; 0: takes the width left over
    right: bool = False  # right-aligned (numbers)


COLUMNS = (
    Column("", "序号", 4, 4, True),
    Column("level1", "一级指标", 6, 10),
    Column("level2", "二级指标", 8, 18),
    Column("name", "三级指标", 12, 30),
    Column("target", "年度指标值", 8, 16),
    Column("actual", "实际完成值", 8, 26),
    Column("weight", "分值", 6, 6, True),
    Column("score", "得分", 6, 15, True),
    Column("reason", "偏差原因分析", 12, 0),
)
FIELDS = tuple(c.field for c in COLUMNS if c.field)  # the cells a cursor can stand on
# Squeezed, a cell at a time from the widest, when the view is narrow (score and weight never).
SHRINK = ("actual", "name", "level2", "target", "level1", "reason")
OVERRIDE_WIDTH = cell_len("10.00 (算 10.00)")  # 得分 of a row with a recorded score
# A tier that does not fit its cell is shown by the short name a person may also type.
TIER_SHORT = dict(zip(TIERS, ("达成", "部分达成", "未达成")))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PROBLEM_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)")


class RowView(NamedTuple):
    """What one indicator row shows: all a drawn row depends on besides cursor and editor."""

    cells: tuple[str, ...]  # per column, as shown (a level repeated from the row above is "")
    values: tuple[str, ...]  # per column, the full text (levels always)
    marks: tuple[str, ...]  # per column: "", ERROR or WARNING
    override: bool  # the recorded score differs from the computed one


@dataclass
class _Edit:
    """The cell being edited: its path, the text typed so far and the caret (a char index)."""

    row: int
    field: str
    text: str
    caret: int
    base: tuple[Project, Assessment | None]  # what the grid showed before, for Esc
    error: str = ""  # why apply_edit refuses the text ("" when it takes it)
    understood: str = ""  # the text as it would be stored, when that differs from what was typed

    @property
    def path(self) -> str:
        return f"indicators[{self.row}].{self.field}"


def _clean(text: str) -> str:
    """One line of text as a cell may show it (line breaks and tabs become spaces)."""
    return _CONTROL.sub(" ", text)


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with ⋯ when too long, padded with spaces otherwise."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        out, used = [], 0
        for ch in text:
            w = get_character_cell_size(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        return "".join(out) + ELLIPSIS + " " * (width - 1 - used)
    pad = " " * (width - length)
    return pad + text if right else text + pad


def score_text(item_score) -> str:
    """得分 as the grid shows it: the score that counts, and the computed one when it differs."""
    s = item_score
    if s.overridden:
        computed = fixed(s.computed) if s.computed is not None else "-"
        return f"{fixed(s.recorded)} (算 {computed})"
    if s.computed is None and s.recorded is None:
        return "-"
    return fixed(s.score)


class IndicatorGrid(ScrollView, can_focus=True):
    """The indicator table of one project, edited cell by cell from the keyboard."""

    BINDINGS = [
        Binding("enter", "activate", "编辑", id="grid.edit"),
        Binding("f2,e", "edit_text", "改写", id="grid.edit_text"),
        Binding("t", "pick_tier", "选等级", id="grid.pick_tier"),
        Binding("a", "add_below", "添加指标", id="grid.add"),
        Binding("A", "add_above", "上方添加", id="grid.add_above", show=False),
        Binding("d", "delete", "删除指标", id="grid.delete"),
        Binding("ctrl+up", "move_indicator(-1)", "上移指标", id="grid.move_up"),
        Binding("ctrl+down", "move_indicator(1)", "下移指标", id="grid.move_down"),
        Binding("backspace", "clear_cell", "清空重填", id="grid.clear", show=False),
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

    class _GridMessage(Message):
        def __init__(self, grid: IndicatorGrid) -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> IndicatorGrid:
            return self.grid

    class Preview(_GridMessage):
        """Text typed into a cell, accepted by apply_edit: show what it would do."""

        def __init__(self, grid: IndicatorGrid, path: str, text: str) -> None:
            super().__init__(grid)
            self.path, self.text = path, text

    class Commit(_GridMessage):
        """A cell was accepted (Enter, Tab, a pick from a list): make it part of the project."""

        def __init__(self, grid: IndicatorGrid, path: str, text: str) -> None:
            super().__init__(grid)
            self.path, self.text = path, text

    class Cancel(_GridMessage):
        """Esc while editing: show the committed project again."""

    class Replace(_GridMessage):
        """An indicator was added, deleted or moved: this is the whole new project."""

        def __init__(self, grid: IndicatorGrid, project: Project) -> None:
            super().__init__(grid)
            self.project = project

    # ---------------------------------------------------------------------------------------

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._project = Project()
        self._assessment: Assessment | None = None
        self._rows: list[RowView] = []
        self._inputs: list[tuple] = []  # per row, what its view was made from
        self._problems: dict[tuple[int, str], list] = {}
        self._row = 0
        self._col = FIELDS.index("actual")
        self._edit: _Edit | None = None
        # A Preview was posted and its line not yet repainted: the answering show() repaints it,
        # so that the typed character, the new score and the total reach the screen in one frame.
        self._edit_pending = False
        self._widths: tuple[int, ...] = ()
        self._gap = 2  # blank cells between two columns
        self._offsets: tuple[int, ...] = ()
        self._line_width = 0
        self._cache: dict[int, tuple[tuple, Strip]] = {}  # row -> (render key, full-width strip)
        self._styles: dict[str, Style] = {}
        self._status_line: tuple = ()
        self._bound_keys: tuple[object, frozenset[str]] | None = None
        self.row_renders = 0  # strips built for indicator rows (a measure for tests and benches)

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

    def cell_text(self, row: int, field: str) -> str:
        """The full text a cell shows (before any cutting to width)."""
        view = self._rows[row]
        return view.values[self._column_of(field)]

    def show(self, project: Project, assessment: Assessment | None) -> None:
        """Show this project; repaints only the rows whose text or marks changed.

        Safe while a cell is being edited: the edit buffer is kept (the shell calls this with the
        previewed project on every keystroke)."""
        self._project, self._assessment = project, assessment
        problems: dict[tuple[int, str], list] = {}
        if assessment is not None:
            for problem in assessment.problems:
                if m := _PROBLEM_PATH.fullmatch(problem.path):
                    problems.setdefault((int(m[1]), m[2]), []).append(problem)
        self._problems = problems
        old, new = self._rows, self._views(project, assessment, problems)
        self._rows = new
        count = len(new)
        if len(old) != count:
            self._row = max(0, min(self._row, count - 1))
            if self._edit is not None and self._edit.row >= count:
                self._edit = None
                self.refresh_bindings()
            self._cache = {r: v for r, v in self._cache.items() if r < count}
            self._resize_virtual()
            self.refresh()
        if self._edit is None or len(old) != count:
            self._layout_columns()  # widths follow the texts, but not while a cell is typed in
        if len(old) == count:
            for row, (a, b) in enumerate(zip(old, new)):
                if a is not b and a != b:
                    self._refresh_row(row)
        if self._edit_pending:
            self._flush_edit()
        else:
            self._refresh_status()

    def goto(self, path: str) -> None:
        """Put the cursor on the cell of a field path (``indicators[3].actual``) and focus."""
        found = indicator_path(path)
        if found is not None and found[1] in FIELDS and self._rows:
            self._finish_edit_quietly()
            self._move_to(found[0], FIELDS.index(found[1]))
        self.focus()

    def commit_edit(self, move: tuple[int, int] = (0, 0)) -> bool:
        """Accept the cell being edited (posts Commit); False, and stay, if its text is refused."""
        edit = self._edit
        if edit is None:
            return True
        self._check(edit)
        if edit.error:
            self._flush_edit()
            self.app.bell()
            return False
        self._edit = None
        self._edit_pending = False
        self.refresh_bindings()
        self.post_message(self.Commit(self, edit.path, edit.text))
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
        self.post_message(self.Cancel(self))
        self.show(*edit.base)
        self._refresh_row(edit.row)
        self._refresh_status()

    # ---------------------------------------------------------------------------------------
    # Row views

    def _views(self, project: Project, assessment: Assessment | None,
               problems: dict[tuple[int, str], list]) -> list[RowView]:
        """A RowView per indicator; a row whose inputs are those of last time keeps its view."""
        sheet = assessment.sheet if assessment is not None else None
        scores = sheet.indicators if sheet is not None and len(sheet.indicators) == len(project.indicators) else None
        by_row: dict[int, list] = {}
        for (row, _field), found in problems.items():
            by_row.setdefault(row, []).extend(found)
        old_inputs, old_views = self._inputs, self._rows
        inputs: list[tuple] = []
        views: list[RowView] = []
        prev = None
        for i, item in enumerate(project.indicators):
            new_level1 = prev is None or prev.level1 != item.level1
            new_level2 = new_level1 or prev.level2 != item.level2
            score = scores[i] if scores is not None else None
            figures = (score.computed, score.recorded, score.score) if score is not None else None
            key = (item, figures, tuple(by_row.get(i, ())), new_level1, new_level2)
            if i < len(old_inputs) and (old := old_inputs[i])[0] is item and old == key:
                views.append(old_views[i])
            else:
                views.append(self._view(i, item, score, problems, new_level1, new_level2))
            inputs.append(key)
            prev = item
        self._inputs = inputs
        return views

    @staticmethod
    def _view(i: int, item, score, problems, new_level1: bool, new_level2: bool) -> RowView:
        values = (str(i + 1), _clean(item.level1), _clean(item.level2), _clean(item.name),
                  _clean(item.target), _clean(item.actual), fixed(item.weight),
                  score_text(score) if score is not None else "", _clean(item.reason))
        cells = list(values)
        if not new_level1:
            cells[1] = ""
        if not new_level2:
            cells[2] = ""
        marks = ["" for _ in COLUMNS]
        for column, col in enumerate(COLUMNS):
            found = problems.get((i, col.field)) if col.field else None
            if found:
                marks[column] = ERROR if any(p.level == ERROR for p in found) else WARNING
        override = score is not None and score.overridden
        return RowView(tuple(cells), values, tuple(marks), override)

    @staticmethod
    def _column_of(field: str) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.field == field)

    # ---------------------------------------------------------------------------------------
    # Geometry

    def _view_size(self) -> Size:
        return self.scrollable_content_region.size

    def _body_height(self) -> int:
        """Lines available for indicator rows (the view minus header and status line)."""
        return max(1, self._view_size().height - 2)

    def _layout_columns(self) -> None:
        """Column widths for the view's width and the texts shown; a change repaints all."""
        widths, gap = self._column_widths(self._view_size().width)
        if widths != self._widths or gap != self._gap:
            self._widths, self._gap = widths, gap
            offsets, x = [], 0
            for w in widths:
                offsets.append(x)
                x += w + gap
            self._offsets = tuple(offsets)
            self._line_width = x - gap
            self._cache.clear()
            self._resize_virtual()
            self.refresh()

    def _column_widths(self, view_width: int) -> tuple[tuple[int, ...], int]:
        """Each column as wide as its longest text (within its bounds), the reason the rest;
        when that is too wide, gaps shrink to one cell and the SHRINK columns give up a cell at a
        time, the one with most to spare first (a table still too wide scrolls sideways)."""
        want = []
        for column, col in enumerate(COLUMNS):
            if not col.most:
                want.append(col.least)
                continue
            longest = max((cell_len(view.values[column]) for view in self._rows), default=0)
            if col.field == "score" and any(i.score is not None for i in self._project.indicators):
                longest = max(longest, OVERRIDE_WIDTH)  # "(算 …)" may appear while typing
            want.append(max(col.least, min(col.most, max(cell_len(col.header), longest))))
        flex = next(i for i, c in enumerate(COLUMNS) if not c.most)
        for gap in (2, 1):
            used = sum(want) + gap * (len(COLUMNS) - 1)
            if used <= view_width:
                want[flex] += view_width - used
                return tuple(want), gap
        squeezable = [self._column_of(field) for field in SHRINK]
        for _ in range(used - view_width):
            column = max(squeezable, key=lambda c: want[c] - COLUMNS[c].least)
            if want[column] <= COLUMNS[column].least:
                break
            want[column] -= 1
        return tuple(want), 1

    def _resize_virtual(self) -> None:
        size = Size(self._line_width, len(self._rows) + 2)
        if self.virtual_size != size:
            self.virtual_size = size

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns()
        self._scroll_to_cursor()
        self.refresh()

    def on_mount(self) -> None:
        self._layout_columns()
        self._fallback = self.set_interval(0.1, self._fallback_repaint, pause=True)

    def _line_of_row(self, row: int) -> int:
        return row - int(self.scroll_y) + 1

    def _refresh_row(self, row: int) -> None:
        y = self._line_of_row(row)
        size = self._view_size()
        if 1 <= y < size.height - 1:
            self.refresh(Region(0, y, size.width, 1))

    def _refresh_status(self) -> None:
        status = self._status()
        if status != self._status_line:
            self._status_line = status
            size = self._view_size()
            self.refresh(Region(0, size.height - 1, size.width, 1))

    # ---------------------------------------------------------------------------------------
    # Drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.get_component_rich_style(f"indicator-grid--{name}")
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        if not self._widths:
            self._layout_columns()
        size = self._view_size()
        scroll_x = int(self.scroll_x)
        if y == 0:
            strip = self._header_strip()
        elif y == size.height - 1 and y > 0:
            return self._status_strip(size.width)
        else:
            row = y - 1 + int(self.scroll_y)
            if 0 <= row < len(self._rows):
                strip = self._row_strip(row)
            else:
                return Strip.blank(size.width, self._style("base"))
        return strip.crop(scroll_x, scroll_x + size.width).extend_cell_length(size.width, self._style("base"))

    def _header_strip(self) -> Strip:
        header = self._style("header")
        segments = []
        cursor_column = self._column_of(FIELDS[self._col])
        for column, (col, width) in enumerate(zip(COLUMNS, self._widths)):
            if column:
                segments.append(Segment(" " * self._gap, header))
            style = self._style("header-cursor") if column == cursor_column else header
            segments.append(Segment(fit(col.header, width, col.right), style))
        return Strip(segments, self._line_width)

    def _row_strip(self, row: int) -> Strip:
        view = self._rows[row]
        on_row = row == self._row
        cursor_column = self._column_of(FIELDS[self._col]) if on_row else -1
        edit = self._edit if self._edit is not None and self._edit.row == row else None
        edit_key = (edit.field, edit.text, edit.caret, edit.error) if edit else None
        key = (view, cursor_column, edit_key)
        cached = self._cache.get(row)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._render_row(view, cursor_column, edit)
        self._cache[row] = (key, strip)
        return strip

    def _render_row(self, view: RowView, cursor_column: int, edit: _Edit | None) -> Strip:
        self.row_renders += 1
        row_style = self._style("cursor-row" if cursor_column >= 0 else "base")
        segments: list[Segment] = []
        for column, (col, width) in enumerate(zip(COLUMNS, self._widths)):
            if column:
                segments.append(Segment(" " * self._gap, row_style))
            text = view.cells[column]
            style = row_style
            mark = view.marks[column]
            if mark:
                style = self._style("error" if mark == ERROR else "warning")
            if col.field == "score" and view.override:
                style = style + self._style("override")
            if column == cursor_column:
                if not text and view.values[column]:
                    text = view.values[column]  # a level shown once: show it where the cursor is
                style = self._style("cursor")
                if mark:
                    style += Style(underline=True, bold=True)
            if col.field == "actual" and text in TIER_SHORT and cell_len(text) > width:
                text = TIER_SHORT[text]
            segments.append(Segment(fit(text, width, col.right), style))
        strip = Strip(segments, self._line_width)
        if edit is not None:
            strip = self._overlay_editor(strip, edit)
        return strip

    def _overlay_editor(self, strip: Strip, edit: _Edit) -> Strip:
        """Draw the edit field over its cell, widened leftwards/rightwards for long text."""
        column = self._column_of(edit.field)
        x, width = self._offsets[column], self._widths[column]
        text = _clean(edit.text)
        want = max(width, cell_len(text) + 1)
        end = min(x + want, self._line_width)
        start = max(0, min(x, end - want))
        field_width = end - start
        style = self._style("editor-invalid" if edit.error else "editor")
        caret_style = self._style("caret")
        caret = min(edit.caret, len(text))
        segments: list[Segment]
        if not text and edit.field == "score":
            hint = "留空：按规则计算"
            segments = [Segment(" ", caret_style),
                        Segment(fit(hint, field_width - 1), self._style("placeholder") + Style(bgcolor=style.bgcolor))]
        else:
            # Scroll the text so the caret stays visible: the caret at the right edge if needed.
            first = 0
            caret_char = text[caret] if caret < len(text) else " "
            room = field_width - cell_len(caret_char)
            while cell_len(text[first:caret]) > room:
                first += 1
            before, after = text[first:caret], text[caret + 1:]
            used = cell_len(before) + cell_len(caret_char)
            tail = fit(after, field_width - used) if field_width > used else ""
            segments = [Segment(before, style), Segment(caret_char, caret_style), Segment(tail, style)]
        editor = Strip(segments).extend_cell_length(field_width, style).crop(0, field_width)
        return Strip.join([strip.crop(0, start), editor, strip.crop(end, self._line_width)])

    def _status(self) -> tuple[str, str]:
        """(text, style) of the status line for the cursor's cell."""
        if not self._rows:
            return "没有绩效指标：按 a 添加", "status"
        path = self.cursor_path
        edit = self._edit
        if edit is not None:
            if edit.error:
                return f"{label(path)}：{edit.error}", "status-error"
            if edit.understood:
                return f"{label(path)}：理解为 {edit.understood}", "status"
            return f"{label(path)}：Enter 确认并下移  Tab 确认并右移  Esc 取消", "status"
        found = self._problems.get((self._row, FIELDS[self._col]))
        if found:
            worst = "status-error" if any(p.level == ERROR for p in found) else "status-warning"
            text = "；".join(("错误：" if p.level == ERROR else "提醒：") + p.message for p in found)
            return f"{label(path)}  {text}", worst
        column = self._column_of(FIELDS[self._col])
        value = self._rows[self._row].values[column]
        return f"{label(path)}：{value}", "status"

    def _status_strip(self, width: int) -> Strip:
        text, style_name = self._status_line or self._status()
        style = self._style(style_name)
        return Strip([Segment(fit(" " + _clean(text), width), style)], width)

    # ---------------------------------------------------------------------------------------
    # Cursor

    def _move_to(self, row: int, col: int) -> None:
        count = len(self._rows)
        row = max(0, min(row, count - 1)) if count else 0
        col = max(0, min(col, len(FIELDS) - 1))
        if (row, col) == (self._row, self._col):
            self._scroll_to_cursor()
            return
        old_row, old_col = self._row, self._col
        self._row, self._col = row, col
        self._refresh_row(old_row)
        self._refresh_row(row)
        if col != old_col:
            self.refresh(Region(0, 0, self._view_size().width, 1))
        self._scroll_to_cursor()
        self._refresh_status()

    def _step(self, drow: int, dcol: int) -> None:
        """Move like Tab/Enter do: across columns wrapping to the next/previous row."""
        row, col = self._row + drow, self._col + dcol
        if col >= len(FIELDS):
            row, col = row + 1, 0
        elif col < 0:
            row, col = row - 1, len(FIELDS) - 1
        if 0 <= row < len(self._rows):
            self._move_to(row, col)

    def _scroll_to_cursor(self) -> None:
        if not self._rows:
            return
        body = self._body_height()
        top = int(self.scroll_y)
        if self._row < top:
            self.scroll_to(y=self._row, animate=False)
        elif self._row >= top + body:
            self.scroll_to(y=self._row - body + 1, animate=False)
        if self._offsets:
            column = self._column_of(FIELDS[self._col])
            x, width = self._offsets[column], self._widths[column]
            left, view = int(self.scroll_x), self._view_size().width
            if x < left:
                self.scroll_to(x=0 if column <= 1 else x, animate=False)  # show 序号 with the first
            elif x + width > left + view:
                self.scroll_to(x=x + width - view, animate=False)

    def action_cursor(self, drow: int, dcol: int) -> None:
        self._move_to(self._row + drow, self._col + dcol)

    def action_page(self, direction: int) -> None:
        self._move_to(self._row + direction * self._body_height(), self._col)

    def action_cursor_to(self, row: int | None, col: int | None) -> None:
        row = self._row if row is None else (row if row >= 0 else len(self._rows) - 1)
        col = self._col if col is None else (col if col >= 0 else len(FIELDS) - 1)
        self._move_to(row, col)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._rows:
            return
        y = offset.y
        if not 1 <= y < self._view_size().height - 1:
            return
        row = y - 1 + int(self.scroll_y)
        x = offset.x + int(self.scroll_x)
        col = self._col
        for column, (c, start, width) in enumerate(zip(COLUMNS, self._offsets, self._widths)):
            if c.field and start <= x < start + width + self._gap:
                col = FIELDS.index(c.field)
        if row < len(self._rows):
            self._finish_edit_quietly()
            self._move_to(row, col)
            if event.chain >= 2:
                self.action_activate()

    # ---------------------------------------------------------------------------------------
    # Editing

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Printable keys start (or continue) an edit, except the grid's own letter bindings."""
        if character is None or not character.isprintable():
            return False
        return self._edit is not None or not self._is_bound(key)

    def _is_bound(self, key: str) -> bool:
        """Whether the grid has a binding for this key (after the app's keymap)."""
        keymap = self.app._keymap
        if self._bound_keys is None or self._bound_keys[0] is not keymap:
            bindings = self._bindings.copy()
            if keymap:
                bindings.apply_keymap(keymap)
            self._bound_keys = (keymap, frozenset(bindings.key_to_bindings))
        return key in self._bound_keys[1]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a cell is edited its keys go to the edit field (on_key); hide the rest.
        return self._edit is None

    def _start_edit(self, text: str | None = None) -> None:
        """Edit the cursor's cell: with its own text, or replaced by `text` (typing starts it)."""
        if not self._rows:
            return
        field = FIELDS[self._col]
        path = self.cursor_path
        own = value_text(self._project, path)
        start = own if text is None else text
        self._edit = _Edit(self._row, field, start, len(start), (self._project, self._assessment))
        self.refresh_bindings()
        if text is None:
            self._check(self._edit)
            self._flush_edit()
        else:
            self._changed()

    def _check(self, edit: _Edit) -> bool:
        """Whether apply_edit takes the text; sets the edit's error and understood text."""
        try:
            project = apply_edit(self._project, edit.path, edit.text)
        except ParseError as exc:
            edit.error, edit.understood = str(exc), ""
            return False
        edit.error = ""
        stored = value_text(project, edit.path)
        edit.understood = stored if stored != edit.text else ""
        return True

    def _changed(self) -> None:
        """The edit buffer changed: check it, and post Preview when it is taken (the show() that
        answers repaints the line), else repaint the line now, marked invalid."""
        edit = self._edit
        assert edit is not None
        if self._check(edit):
            self._edit_pending = True
            self.post_message(self.Preview(self, edit.path, edit.text))
            self._fallback.reset()  # repaint anyway if no show() answers
            self._fallback.resume()
        else:
            self._flush_edit()

    def _flush_edit(self) -> None:
        """Repaint the edited line and the status line."""
        self._edit_pending = False
        self._fallback.pause()
        if self._edit is not None:
            self._refresh_row(self._edit.row)
        self._refresh_status()

    def _fallback_repaint(self) -> None:
        if self._edit_pending:
            self._flush_edit()
        self._fallback.pause()

    def _finish_edit_quietly(self) -> None:
        """Before jumping elsewhere: commit text that is taken, drop text that is not."""
        if self._edit is not None and not self.commit_edit():
            self.cancel_edit()

    async def on_key(self, event: events.Key) -> None:
        edit = self._edit
        if edit is None:
            if event.is_printable and event.character and not self._is_bound(event.key):
                event.stop()
                event.prevent_default()
                self._start_edit(event.character)
            return
        key = event.key
        handled = True
        if key == "escape":
            self.cancel_edit()
        elif key == "enter":
            self.commit_edit((1, 0)) if self._row + 1 < len(self._rows) else self.commit_edit()
        elif key == "tab":
            self.commit_edit((0, 1))
        elif key == "shift+tab":
            self.commit_edit((0, -1))
        elif key == "up":
            self.commit_edit((-1, 0))
        elif key == "down":
            self.commit_edit((1, 0))
        elif key == "left":
            self._caret(max(0, edit.caret - 1))
        elif key == "right":
            self._caret(min(len(edit.text), edit.caret + 1))
        elif key in ("home", "ctrl+a"):
            self._caret(0)
        elif key in ("end", "ctrl+e"):
            self._caret(len(edit.text))
        elif key == "backspace":
            if edit.caret:
                edit.text = edit.text[:edit.caret - 1] + edit.text[edit.caret:]
                edit.caret -= 1
                self._changed()
        elif key == "delete":
            if edit.caret < len(edit.text):
                edit.text = edit.text[:edit.caret] + edit.text[edit.caret + 1:]
                self._changed()
        elif key == "ctrl+u":
            edit.text, edit.caret = "", 0
            self._changed()
        elif event.is_printable and event.character:
            self._insert(event.character)
        else:
            handled = False
        if handled:
            event.stop()
            event.prevent_default()

    def on_blur(self, event: events.Blur) -> None:
        """Focus left the grid (a click elsewhere, a dialog): keep what was typed if it is taken."""
        self._finish_edit_quietly()

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        text = _clean(event.text).strip() if "\n" in event.text else _clean(event.text)
        if not text:
            return
        if self._edit is None:
            self._start_edit(text)
        else:
            self._insert(text)

    def _insert(self, text: str) -> None:
        edit = self._edit
        assert edit is not None
        edit.text = edit.text[:edit.caret] + text + edit.text[edit.caret:]
        edit.caret += len(text)
        self._changed()

    def _caret(self, caret: int) -> None:
        assert self._edit is not None
        self._edit.caret = caret
        self._refresh_row(self._edit.row)

    # ---------------------------------------------------------------------------------------
    # Actions (not editing)

    def action_activate(self) -> None:
        """Enter: a list for levels and qualitative actuals, the text editor for the rest."""
        if not self._rows:
            return
        field = FIELDS[self._col]
        if field in ("level1", "level2"):
            self._pick_level(field)
        elif field == "actual" and self._qualitative(self._row):
            self.action_pick_tier()
        else:
            self._start_edit()

    def action_edit_text(self) -> None:
        self._start_edit()

    def action_clear_cell(self) -> None:
        self._start_edit("")

    def _qualitative(self, row: int) -> bool:
        item = self._project.indicators[row]
        if item.actual in TIERS:
            return True
        try:
            return not parse_target(item.target).numeric
        except ParseError:
            return False

    def _anchor(self) -> Offset:
        """Screen offset of the cursor's cell (for a list opened beside it)."""
        region = self.scrollable_content_region
        column = self._column_of(FIELDS[self._col])
        return Offset(region.x + self._offsets[column] - int(self.scroll_x),
                      region.y + self._line_of_row(self._row))

    def _choose(self, title: str, choices: list[tuple[str, str]], current: str, row: int, field: str) -> None:
        values = [v for v, _ in choices]
        highlighted = values.index(current) if current in values else 0

        def picked(value: str | None) -> None:
            if value is None or self._row != row or FIELDS[self._col] != field:
                return
            if value == OTHER:
                self._start_edit()
                return
            path = f"indicators[{row}].{field}"
            try:
                apply_edit(self._project, path, value)
            except ParseError as exc:  # pragma: no cover - the lists hold valid values
                self.notify(str(exc), severity="error", markup=False)
                return
            self.post_message(self.Commit(self, path, value))
            if row + 1 < len(self._rows):
                self._move_to(row + 1, self._col)

        self.app.push_screen(ChoiceScreen(title, choices, anchor=self._anchor(), highlighted=highlighted),
                             picked)

    def action_pick_tier(self) -> None:
        """t: pick the actual's tier (达成 / 部分达成 / 未达成) from a list."""
        if not self._rows:
            return
        self._move_to(self._row, FIELDS.index("actual"))
        item = self._project.indicators[self._row]
        self._choose(f"第 {self._row + 1} 项 {item.name}：实际完成值", [(t, t) for t in TIERS],
                     item.actual, self._row, "actual")

    def _pick_level(self, field: str) -> None:
        item = self._project.indicators[self._row]
        if field == "level1":
            options = list(LEVEL1_CHOICES)
        else:
            options = list(LEVEL2_CHOICES.get(item.level1, ()))
            if not options:
                options = [name for names in LEVEL2_CHOICES.values() for name in names]
        current = getattr(item, field)
        choices = [(o, o) for o in options] + [(OTHER, "其他（自行输入）⋯")]
        self._choose(f"第 {self._row + 1} 项：{INDICATOR_FIELDS[field]}", choices, current,
                     self._row, field)

    def _replace(self, project: Project, row: int) -> None:
        """Post the new project; the cursor goes to `row` (which the answering show() brings)."""
        old, self._row = self._row, max(0, row)
        self._refresh_row(old)
        self._refresh_row(self._row)
        self.refresh(Region(0, 0, self._view_size().width, 1))
        self.post_message(self.Replace(self, project))

    def action_add_below(self) -> None:
        self._add(self._row + 1 if self._rows else 0)

    def action_add_above(self) -> None:
        self._add(self._row)

    def _add(self, index: int) -> None:
        self._col = FIELDS.index("name")
        self._replace(add_indicator(self._project, index), index)

    def action_delete(self) -> None:
        if not self._rows:
            return
        row = self._row
        item = self._project.indicators[row]
        title = f"删除第 {row + 1} 项指标“{item.name or '（未命名）'}”？"

        def answered(value: str | None) -> None:
            if value == "delete" and row < len(self._project.indicators):
                self._replace(delete_indicator(self._project, row), min(row, len(self._project.indicators) - 2))

        self.app.push_screen(ChoiceScreen(title, [("delete", "删除"), ("keep", "取消")],
                                          anchor=self._anchor()), answered)

    def action_move_indicator(self, delta: int) -> None:
        if not self._rows:
            return
        project, new = move_indicator(self._project, self._row, delta)
        if new != self._row:
            self._replace(project, new)

