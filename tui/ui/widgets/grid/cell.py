"""The grid's edit field: the text typed into one cell and its caret (`CellEdit`, whose keys are
every table's, celledit.LineEdit), and how it is drawn over its cell (`draw_editor`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.core.messages import visible
from tui.core.model import Project
from tui.core.validation import Assessment
from tui.ui.widgets.celledit import LineEdit
from tui.ui.widgets.edits import Judge
from tui.ui.widgets.grid.columns import COLUMN_OF, Layout, fit

@dataclass
class CellEdit(LineEdit):
    """The cell being edited: its path, the text typed so far and the caret (a char index); the
    keys are every table's (celledit.LineEdit)."""

    row: int
    field: str
    text: str
    caret: int
    base: tuple[Project, Assessment | None]  # what the grid showed before, for Esc
    error: str = ""  # why the text can't be taken ("" when it takes it)
    understood: str = ""  # the text as it would be stored, when that differs from what was typed

    @property
    def path(self) -> str:
        return f"indicators[{self.row}].{self.field}"

    def check(self, judge: Judge) -> bool:
        """Whether the text can be taken (asked of `judge`: the document); sets `error` and
        `understood`."""
        self.error, self.understood = judge(self.path, self.text)
        return not self.error


def draw_editor(strip: Strip, edit: CellEdit, layout: Layout, style: Callable[[str], Style],
                ) -> Strip:
    """`strip` (a drawn row) with the edit field over its cell, widened leftwards/rightwards
    for long text; `style` gives the grid's component styles by name."""
    column = COLUMN_OF[edit.field]
    x, width = layout.offsets[column], layout.widths[column]
    line_width = layout.line_width
    text = visible(edit.text)
    want = max(width, cell_len(text) + 1)
    end = min(x + want, line_width)
    start = max(0, min(x, end - want))
    field_width = end - start
    field_style = style("editor-invalid" if edit.error else "editor")
    caret_style = style("caret")
    caret = min(edit.caret, len(text))
    segments: list[Segment]
    if not text and edit.field == "score":
        hint = "留空：按规则计算"
        segments = [Segment(" ", caret_style),
                    Segment(fit(hint, field_width - 1),
                            style("placeholder") + Style(bgcolor=field_style.bgcolor))]
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
        segments = [Segment(before, field_style), Segment(caret_char, caret_style),
                    Segment(tail, field_style)]
    editor = Strip(segments).extend_cell_length(field_width, field_style).crop(0, field_width)
    return Strip.join([strip.crop(0, start), editor, strip.crop(end, line_width)])
