"""Typing into one cell of a table: the text, the caret, the editing keys and a paste.

One cell editor for every table of the app (the funding table, the indicator grid): the same
keys do the same thing in both (Ctrl+D deletes, Ctrl+U empties, a paste inserts one line). Each
table keeps its own state of what is edited (which cell, what it showed before) in a dataclass
that inherits `LineEdit`, and its own drawing; the table posts what the text became, and the
editor pane previews and commits it through the document (widgets/editor_pane.py).
"""

from __future__ import annotations

import re

TEXT = "text"  # a key changed the text
CARET = "caret"  # a key moved the caret (or left it at an end)
KEPT = "kept"  # a key the field takes that changes nothing (backspace at the start)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(pasted: str) -> str:
    """Pasted text as one cell's input: line breaks, tabs and other control characters become
    spaces (what is typed is taken; what is shown goes through tui.core.messages.visible); text of
    several lines loses the spaces its line breaks leave at the ends."""
    text = _CONTROL.sub(" ", pasted)
    return text.strip() if "\n" in pasted else text


class LineEdit:
    """The keys of a one-line edit field, over `text` and `caret` (a character index) that the
    dataclass inheriting it declares."""

    text: str
    caret: int

    def insert(self, text: str) -> None:
        self.text = self.text[:self.caret] + text + self.text[self.caret:]
        self.caret += len(text)

    def key(self, key: str, character: str | None, printable: bool) -> str | None:
        """Apply an editing key: TEXT when the text changed, CARET when the caret was moved,
        KEPT when the key changes nothing, None for a key the field does not take."""
        text, caret = self.text, self.caret
        if key == "left":
            self.caret = max(0, caret - 1)
        elif key == "right":
            self.caret = min(len(text), caret + 1)
        elif key in ("home", "ctrl+a"):
            self.caret = 0
        elif key in ("end", "ctrl+e"):
            self.caret = len(text)
        elif key == "backspace":
            if not caret:
                return KEPT
            self.text, self.caret = text[:caret - 1] + text[caret:], caret - 1
            return TEXT
        elif key in ("delete", "ctrl+d"):
            if caret >= len(text):
                return KEPT
            self.text = text[:caret] + text[caret + 1:]
            return TEXT
        elif key == "ctrl+u":
            self.text, self.caret = "", 0
            return TEXT
        elif printable and character:
            self.insert(character)
            return TEXT
        else:
            return None
        return CARET
