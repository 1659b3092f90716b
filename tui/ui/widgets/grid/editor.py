"""Typing into the grid's cells: the keys of an edit and what the grid posts of it.

`EditKeys` is the part of `IndicatorGrid` that starts an edit (a `cell.CellEdit`), feeds it keys
and reports it (Preview, Commit, Cancel: widgets/edits.py).
"""

from __future__ import annotations

import asyncio
import time

from textual import events

from tui.core.editing import value_text
from tui.ui.clipboard import is_table
from tui.ui.widgets.celledit import CARET, TEXT, one_line
from tui.ui.widgets.grid.cell import CellEdit
from tui.ui.widgets.grid.columns import FIELDS
from tui.ui.widgets.grid.state import GridState

FALLBACK = 0.1  # seconds: the edited line is repainted this long after a Preview nobody answered
# Keys that accept the edit and move the cursor (row, column); Enter moves down unless last.
MOVES = {"tab": (0, 1), "shift+tab": (0, -1), "up": (-1, 0), "down": (1, 0)}


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
            self._edit.check(self.judge)
            self._flush_edit()
        else:
            self._changed()

    def _changed(self) -> None:
        """The edit buffer changed: check it, and post Preview when it is taken (the show() that
        answers repaints the line), else repaint the line now, marked invalid."""
        edit = self._edit
        assert edit is not None
        if edit.check(self.judge):
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
