"""Drawing the grid's lines as strips: the column header, indicator rows, the status line.

A row's strip is cached under a key made of everything it depends on (its view, the cursor's
column on it, the edit field over it), so a line Textual asks for again costs a dictionary lookup
and only a row whose key changed is drawn again.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.core.messages import visible
from tui.core.validation import ERROR
from tui.ui.widgets.grid.columns import COLUMNS, LEVELS, TIER_SHORT, Layout, fit, level_short
from tui.ui.widgets.grid.cell import CellEdit, draw_editor
from tui.ui.widgets.grid.rows import RowView


# The grid's component classes (the styles lines are drawn with) and their defaults.
GRID_COMPONENTS = {
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

GRID_CSS = """
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


class Painter:
    """Strips of the grid's lines for a Layout; `component` gives a component style by name
    ("header" -> the widget's indicator-grid--header style; "base" -> the widget's own)."""

    def __init__(self, component: Callable[[str], Style]) -> None:
        self._component = component
        self.layout = Layout()
        self._styles: dict[str, Style] = {}
        self._cache: dict[int, tuple[tuple, Strip]] = {}  # row -> (render key, strip)
        self.row_renders = 0  # strips built for indicator rows (a measure for tests and benches)
        self.headings: dict[str, str] = {}  # field -> the heading the project's form layout prints

    def style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self._component(name)
        return style

    def restyle(self) -> None:
        """The widget's styles changed (theme, focus): every strip is drawn again."""
        self._styles.clear()
        self._cache.clear()

    def set_layout(self, layout: Layout) -> bool:
        """Take a new layout; True (and every row to be drawn again) if it differs."""
        if layout == self.layout:
            return False
        self.layout = layout
        self._cache.clear()
        return True

    def forget_rows(self, count: int) -> None:
        """Only `count` rows are left: drop the strips of the others."""
        self._cache = {r: v for r, v in self._cache.items() if r < count}

    def header(self, cursor_column: int) -> Strip:
        header = self.style("header")
        layout = self.layout
        segments = []
        for column, (col, width) in enumerate(zip(COLUMNS, layout.widths)):
            if column:
                segments.append(Segment(" " * layout.gap, header))
            style = self.style("header-cursor") if column == cursor_column else header
            segments.append(Segment(fit(self.headings.get(col.field, col.header), width, col.right), style))
        return Strip(segments, layout.line_width)

    def row(self, row: int, view: RowView, cursor_column: int, edit: CellEdit | None,
            selected: bool = False) -> Strip:
        """Row `row` drawn from its view; `cursor_column` -1 when the cursor is elsewhere;
        `selected`: one of the rows Shift+↑/↓ took in (for Ctrl+C)."""
        edit_key = (edit.field, edit.text, edit.caret, edit.error) if edit else None
        key = (view, cursor_column, edit_key, selected)
        cached = self._cache.get(row)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._draw_row(view, cursor_column, selected)
        if edit is not None:
            strip = draw_editor(strip, edit, self.layout, self.style)
        self._cache[row] = (key, strip)
        return strip

    def _draw_row(self, view: RowView, cursor_column: int, selected: bool = False) -> Strip:
        self.row_renders += 1
        layout = self.layout
        row_style = self.style("selected" if selected
                               else "cursor-row" if cursor_column >= 0 else "base")
        segments: list[Segment] = []
        for column, (col, width) in enumerate(zip(COLUMNS, layout.widths)):
            if column:
                segments.append(Segment(" " * layout.gap, row_style))
            text = view.cells[column]
            style = row_style
            mark = view.marks[column]
            if mark:
                style = self.style("error" if mark == ERROR else "warning")
            if col.field == "score" and view.override:
                style = style + self.style("override")
            if column == cursor_column:
                if not text and view.values[column]:
                    text = view.values[column]  # a level shown once: show it where the cursor is
                style = self.style("cursor")
                if mark:
                    style += Style(underline=True, bold=True)
            if col.field == "actual" and text in TIER_SHORT and cell_len(text) > width:
                text = TIER_SHORT[text]
            elif col.field in LEVELS and cell_len(text) > width:
                text = level_short(text)
            segments.append(Segment(fit(text, width, col.right), style))
        return Strip(segments, layout.line_width)

    def status(self, text: str, style_name: str, width: int) -> Strip:
        return Strip([Segment(fit(" " + visible(text), width), self.style(style_name))], width)
