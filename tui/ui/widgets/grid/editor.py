"""The grid's edit field: the text typed into one cell, its keys, and how it is drawn.

`CellEdit` is the state of an edit: the keys that change the text or move the caret, and whether
`apply_edit` takes the text. `EditKeys` is the part of `IndicatorGrid` that starts an edit, feeds
it keys and reports it (Preview, Commit, Cancel). `draw_editor` lays the field over its cell in a
drawn row, widened over the neighbouring cells when the text is long.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip

from tui.ui.clipboard import is_table
from tui.core.editing import apply_edit, value_text
from tui.core.messages import visible
from tui.core.model import ParseError, Project
from tui.core.validation import Assessment
from tui.ui.widgets.celledit import CARET, TEXT, LineEdit, one_line
from tui.ui.widgets.grid.columns import COLUMN_OF, FIELDS, Layout, fit
from tui.ui.widgets.grid.state import GridState

FALLBACK = 0.1  # seconds: the edited line is repainted this long after a Preview nobody answered
# Keys that accept the edit and move the cursor (row, column); Enter moves down unless last.
MOVES = {"tab": (0, 1), "shift+tab": (0, -1), "up": (-1, 0), "down": (1, 0)}


@dataclass
class CellEdit(LineEdit):
    """The cell being edited: its path, the text typed so far and the caret (a char index); the
    keys are every table's (celledit.LineEdit)."""

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

    def check(self, project: Project) -> bool:
        """Whether apply_edit takes the text into `project`; sets `error` and `understood`."""
        try:
            edited = apply_edit(project, self.path, self.text)
        except ParseError as exc:
            self.error, self.understood = str(exc), ""
            return False
        self.error = ""
        stored = value_text(edited, self.path)
        self.understood = stored if stored != self.text else ""
        return True


class EditKeys(GridState):
    """Typing into the grid's cells (a part of IndicatorGrid, mixed into it; not a widget)."""

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
        if not self._model.views:
            return
        own = value_text(self._project, self.cursor_path)
        start = own if text is None else text
        self._edit = CellEdit(self._row, FIELDS[self._col], start, len(start),
                              (self._project, self._assessment))
        self.refresh_bindings()
        if text is None:
            self._edit.check(self._project)
            self._flush_edit()
        else:
            self._changed()

    def _changed(self) -> None:
        """The edit buffer changed: check it, and post Preview when it is taken (the show() that
        answers repaints the line), else repaint the line now, marked invalid."""
        edit = self._edit
        assert edit is not None
        if edit.check(self._project):
            self._edit_pending = True
            self._post_preview(edit.path, edit.text)
            self._repaint_anyway()
        else:
            self._flush_edit()

    def _flush_edit(self) -> None:
        """Repaint the edited line and the status line."""
        self._edit_pending = False
        self._repaint((self._edit.row,) if self._edit is not None else ())

    def _repaint_anyway(self) -> None:
        """Repaint the edited line FALLBACK seconds after the last Preview if no show() answered
        it (a host that ignores Preview still sees what is typed). One event-loop timer handle,
        re-armed when it fires early: a Textual Timer woke a task twice per keystroke."""
        self._preview_time = time.monotonic()
        if self._fallback is None:
            self._fallback = asyncio.get_running_loop().call_later(FALLBACK, self._fallback_due)

    def _fallback_due(self) -> None:
        self._fallback = None
        if not self._edit_pending or not self.is_attached:
            return
        remaining = self._preview_time + FALLBACK - time.monotonic()
        if remaining > 0.005:
            self._fallback = asyncio.get_running_loop().call_later(remaining, self._fallback_due)
        else:
            self._flush_edit()

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
        if key == "escape":
            self.cancel_edit()
        elif key == "enter":
            self.commit_edit((1, 0) if self._row + 1 < len(self._model.views) else (0, 0))
        elif key in MOVES:
            self.commit_edit(MOVES[key])
        else:
            changed = edit.key(key, event.character, event.is_printable)
            if changed is None:
                return
            if changed == TEXT:
                self._changed()
            elif changed == CARET:
                self._refresh_row(edit.row)
        event.stop()
        event.prevent_default()

    def on_blur(self, event: events.Blur) -> None:
        """Focus left the grid (a click elsewhere, a dialog): keep what was typed if it is taken."""
        self._finish_edit_quietly()

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        if self._edit is None and is_table(event.text):
            self.paste_table(event.text)  # copying.py: cells from a spreadsheet
            return
        text = one_line(event.text)
        if not text:
            return
        if self._edit is None:
            self._start_edit(text)
        else:
            self._edit.insert(text)
            self._changed()


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
