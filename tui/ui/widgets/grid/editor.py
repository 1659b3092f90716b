"""Typing into the grid's cells: the keys of an edit and what the grid posts of it. A part the
grid holds (state.py): it starts an edit (a `cell.CellEdit`), feeds it keys and reports it
(Preview, Commit, Cancel: widgets/edits.py).
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
from tui.ui.widgets.grid.copying import Clipboard
from tui.ui.widgets.grid.state import GridView

FALLBACK = 0.1  # seconds: the edited line is repainted this long after a Preview nobody answered
# Keys that accept the edit and move the cursor (row, column); Enter moves down unless last.
MOVES = {"tab": (0, 1), "shift+tab": (0, -1), "up": (-1, 0), "down": (1, 0)}


class Typing:
    """Typing into `grid`'s cells (a paste of rows goes to `clipboard`)."""

    def __init__(self, grid: GridView, clipboard: Clipboard) -> None:
        self.grid = grid
        self.clipboard = clipboard

    def consumes(self, key: str, character: str | None) -> bool:
        """Printable keys start (or continue) an edit, except the grid's own letter bindings."""
        if character is None or not character.isprintable():
            return False
        return self.grid._edit is not None or not self.is_bound(key)

    def is_bound(self, key: str) -> bool:
        """Whether the grid has a binding for this key (after the app's keymap)."""
        grid = self.grid
        keymap = grid.app._keymap
        if grid._bound_keys is None or grid._bound_keys[0] is not keymap:
            bindings = grid._bindings.copy()
            if keymap:
                bindings.apply_keymap(keymap)
            grid._bound_keys = (keymap, frozenset(bindings.key_to_bindings))
        return key in grid._bound_keys[1]

    def start(self, text: str | None = None) -> None:
        """Edit the cursor's cell: with its own text, or replaced by `text` (typing starts it)."""
        grid = self.grid
        if not grid._model.views:
            return
        own = value_text(grid._project, grid.cursor_path)
        start = own if text is None else text
        grid._edit = CellEdit(grid._row, FIELDS[grid._col], start, len(start),
                              (grid._project, grid._assessment))
        grid.refresh_bindings()
        if text is None:
            grid._edit.check(grid.judge)
            self.flush()
        else:
            self.changed()

    def changed(self) -> None:
        """The edit buffer changed: check it, and post Preview when it is taken (the show() that
        answers repaints the line), else repaint the line now, marked invalid."""
        grid = self.grid
        edit = grid._edit
        assert edit is not None
        if edit.check(grid.judge):
            grid._edit_pending = True
            grid._post_preview(edit.path, edit.text)
            self._repaint_anyway()
        else:
            self.flush()

    def flush(self) -> None:
        """Repaint the edited line and the status line."""
        grid = self.grid
        grid._edit_pending = False
        grid._repaint((grid._edit.row,) if grid._edit is not None else ())

    def _repaint_anyway(self) -> None:
        """Repaint the edited line FALLBACK seconds after the last Preview if no show() answered
        it (a host that ignores Preview still sees what is typed). One event-loop timer handle,
        re-armed when it fires early: a Textual Timer woke a task twice per keystroke."""
        grid = self.grid
        grid._preview_time = time.monotonic()
        if grid._fallback is None:
            grid._fallback = asyncio.get_running_loop().call_later(FALLBACK, self._fallback_due)

    def _fallback_due(self) -> None:
        grid = self.grid
        grid._fallback = None
        if not grid._edit_pending or not grid.is_attached:
            return
        remaining = grid._preview_time + FALLBACK - time.monotonic()
        if remaining > 0.005:
            grid._fallback = asyncio.get_running_loop().call_later(remaining, self._fallback_due)
        else:
            self.flush()

    def finish_quietly(self) -> None:
        """Before jumping elsewhere: commit text that is taken, drop text that is not."""
        if self.grid._edit is not None and not self.grid.commit_edit():
            self.grid.cancel_edit()

    def key(self, event: events.Key) -> None:
        grid = self.grid
        edit = grid._edit
        if edit is None:
            if event.is_printable and event.character and not self.is_bound(event.key):
                event.stop()
                event.prevent_default()
                self.start(event.character)
            return
        key = event.key
        if key == "escape":
            grid.cancel_edit()
        elif key == "enter":
            grid.commit_edit((1, 0) if grid._row + 1 < len(grid._model.views) else (0, 0))
        elif key in MOVES:
            grid.commit_edit(MOVES[key])
        else:
            changed = edit.key(key, event.character, event.is_printable)
            if changed is None:
                return
            if changed == TEXT:
                self.changed()
            elif changed == CARET:
                grid._refresh_row(edit.row)
        event.stop()
        event.prevent_default()

    def paste(self, event: events.Paste) -> None:
        event.stop()
        grid = self.grid
        if grid._edit is None and is_table(event.text):
            self.clipboard.paste_table(event.text)  # cells from a spreadsheet
            return
        text = one_line(event.text)
        if not text:
            return
        if grid._edit is None:
            self.start(text)
        else:
            grid._edit.insert(text)
            self.changed()
