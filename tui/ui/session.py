"""The one edit in progress on the main screen.

Typed text reaches the document from three kinds of editor (a header field or goal area, a
funding-table cell, an indicator-grid cell). Whichever it is, there is one `EditSession`: where
the text is being typed, and what it makes of the project. The editor pane keeps it up to date
and the screen and its controllers hold the same object; every question they ask ("is the
current project dirty?", "what does the summary, a draft or F5 show?", "does Ctrl+Z drop invalid
text?") is answered from it, so leaving a project, undoing or reloading clears one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tui.core.model import Project

Source = Literal["field", "table", "grid"]


@dataclass
class EditSession:
    """Typed text not yet committed to the document (`source` None: nothing is being typed)."""

    source: Source | None = None
    # The header field or goal area typed in (source "field"): flush() reads its text, a drop
    # shows the committed value in it again.
    field: object | None = None
    # What the text makes of the project; None while it can't be taken (the reason is shown).
    preview: Project | None = None
    # A grid edit flush() already committed: the grid's own Commit message for the same
    # (path, text) follows and must not commit it again.
    flushed: tuple[str, str] | None = None

    @property
    def active(self) -> bool:
        return self.source is not None

    @property
    def invalid(self) -> bool:
        """Text is typed that can't be taken."""
        return self.source is not None and self.preview is None

    def typing(self, source: Source, preview: Project | None, field: object | None = None) -> None:
        """Text typed in `source`; `preview` is what it makes of the project (None: refused)."""
        self.source, self.preview, self.field = source, preview, field

    def clear(self, source: Source | None = None) -> None:
        """The edit ended (committed, dropped, or typed back to what was there). With `source`,
        only an edit of that kind ends."""
        if source is None or self.source == source:
            self.source, self.preview, self.field = None, None, None

    def shown(self, project: Project) -> Project:
        """The project as the views show it: the preview while one is typed, else `project`."""
        return self.preview if self.preview is not None else project
