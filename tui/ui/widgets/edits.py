"""The one message set of typed text, posted by every editor of a field (the funding table, the
indicator grid) and answered by the editor pane (widgets/editor.py) through the `Document`.

A table never builds a project from what is typed: it asks its `judge` (the document's `check`)
whether the text can be taken, to draw the cell, and posts the text with its field path:
`Preview` on each keystroke, `Commit` when the cell is accepted, `Cancel` when it is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual.message import Message

Source = Literal["field", "table", "grid"]

# (field path, typed text) -> ("", how it is understood, "" when as typed) or (why not, "").
Judge = Callable[[str, str], tuple[str, str]]


def taken(path: str, text: str) -> tuple[str, str]:
    """The judge of a table no document is behind yet: every text is taken as typed."""
    return "", ""


class Typed(Message):
    """Text typed into the field `path` of the project shown, by a `source` editor."""

    def __init__(self, source: Source, path: str, text: str) -> None:
        super().__init__()
        self.source, self.path, self.text = source, path, text


class Preview(Typed):
    """A keystroke: show what the text would make of the project (scores follow)."""


class Commit(Typed):
    """The cell was accepted (Enter, Tab, an arrow, a pick from a list): make it part of the
    project."""


class Cancel(Typed):
    """Esc, or the edit was dropped: show the committed project again (`text` is "")."""
