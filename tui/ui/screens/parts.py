"""What the main screen's parts share, in one place.

`MainScreen` (main.py) is put together from parts by role (loading, documents, edits, tables,
files, navigation, exchange, hand-in). They share the screen's state through `self`; this base
class names every piece of it with its type, and every method one part calls in another, so a
reader following a call finds where it goes (and mypy checks each call). The state is set by
`MainScreen.__init__`; the methods declared under TYPE_CHECKING are defined by the part named
beside them.
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.screen import Screen
from textual.timer import Timer

from tui.core.document import Document
from tui.core.messages import visible
from tui.core.rules import Rules
from tui.store.workspace import Loaded, RecordError, Workspace
from tui.ui.widgets.funding import FundingTable
from tui.ui.widgets.grid import IndicatorGrid
from tui.ui.widgets.project_list import ProjectList
from tui.ui.screens.session import EditSession

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.core.model import Project
    from tui.core.validation import Assessment

Severity = Literal["information", "warning", "error"]


class MainParts(Screen):
    """The main screen's shared state and the calls between its parts (see the module doc).
    (The `list` property shadows the builtin in the class body: annotations say builtins.list.)"""

    folder: Path
    workspace: Workspace  # every read and write of the folder
    loaded: dict[str, Loaded]  # key -> the record as loaded
    docs: dict[str, Document]  # key -> document, for projects opened
    rules: dict[str, Rules]
    failures: builtins.list[RecordError | Exception]
    current: str | None  # the key of the project in the editor
    reading: bool  # the folder is still being read
    edit: EditSession  # typed text not yet committed, wherever it is typed
    _draft_keys: set[str]
    _draft_timer: Timer | None
    _problem_index: int
    _recoveries: builtins.list[tuple[str, Project, bool]]
    _year_text: str
    _last_change: float
    _trashed: builtins.list[tuple]  # projects deleted this session, for Ctrl+Z (files.py)

    @property
    def list(self) -> ProjectList:
        return self.query_one("#projects", ProjectList)

    @property
    def funding(self) -> FundingTable:
        return self.query_one("#funding", FundingTable)

    @property
    def grid(self) -> IndicatorGrid:
        return self.query_one("#grid", IndicatorGrid)

    @property
    def doc(self) -> Document | None:
        return self.docs.get(self.current) if self.current else None

    def say(self, message: str, *, severity: Severity = "information", timeout: float | None = None,
            ) -> None:
        """A notification; `message` may hold user text, so it is never read as markup."""
        self.app.notify(visible(message, lines=True), severity=severity, timeout=timeout, markup=False)

    if TYPE_CHECKING:
        dirty: bool  # a reactive of MainScreen: the score bar marks unsaved work

        # loading.LoadingPart
        def rules_for(self, name: str) -> Rules: ...
        def start_loading(self) -> None: ...

        # documents.DocumentsPart
        def _document(self, key: str) -> Document: ...
        def is_dirty(self, key: str) -> bool: ...
        def unsaved(self) -> builtins.list[str]: ...
        def open(self, key: str) -> None: ...
        def show_current(self) -> None: ...
        def refresh_views(self, project: Project, assessment: Assessment, force: bool = False,
                          ) -> None: ...
        def _update_year_line(self) -> None: ...
        def _changed(self, key: str | None = None, force: bool = False) -> None: ...

        # edits.EditingPart
        def flush(self) -> bool: ...
        def _commit_text(self, path: str, text: str, project: Project | None = None) -> None: ...
        def _discard_unflushed(self) -> None: ...
        def _drop_pending(self, notify: bool = False) -> None: ...

        # tables.TablesPart
        def _table_cancel(self) -> None: ...
        def _grid_cancel(self) -> None: ...

        # files.FilesPart
        def schedule_draft(self, key: str | None) -> None: ...
        def warn_duplicate_name(self, key: str | None) -> None: ...
        def restore_trashed(self) -> bool: ...

        # navigation.NavigationPart
        def _fold_goals(self, focused: Widget | None) -> None: ...

        # exchange.ExchangePart
        def _busy(self) -> bool: ...
        def export_selection(self) -> tuple[builtins.list[Loaded], builtins.list[str], builtins.list[str]]: ...
        def took_in(self, paths: builtins.list[Path]) -> builtins.list[str]: ...
        async def write_previewed(self, plan, path: Path) -> None: ...
        def offer_merge_review(self) -> None: ...

        # handin.HandInPart
        def last_year_view(self, project, sheet): ...
        last_year_shown: bool
        def show_last_year(self, tell: bool = False) -> None: ...
