"""What the main screen's controllers (loading, files, exchange, hand-in) ask of it, in one place.

The controllers are plain classes, not parts of the screen: each holds the screen by reference,
typed by `Host`, which names every piece of state and every call they use (MainScreen has them;
mypy checks it where the screen makes its controllers).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, Protocol

from textual.app import App
from textual.geometry import Size
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker

from tui.core.document import Document
from tui.core.model import Project
from tui.core.rules import Rules
from tui.core.validation import Assessment
from tui.store.workspace import Loaded, RecordError, Workspace
from tui.ui.session import EditSession
from tui.ui.widgets.editor_pane import EditorPane
from tui.ui.widgets.list_pane import ListPane
from tui.ui.widgets.project_list import ProjectList

Severity = Literal["information", "warning", "error"]


class Reader(Protocol):
    """Records read when they are needed (the screen's loading.Loader): those the folder's index
    listed are not read at the start."""

    def record(self, key: str) -> tuple[Loaded, Assessment | None]: ...
    def unread(self, keys: Iterable[str] | None = None) -> builtins.list[str]: ...
    async def read_all(self, keys: Iterable[str] | None = None) -> None: ...
    def with_records(self, keys: Iterable[str] | None, then: Callable[[], object]) -> None: ...
    def rescan(self) -> tuple[int, int]: ...


class Host(Protocol):
    """The main screen as its controllers see it."""

    folder: Path
    workspace: Workspace  # every read and write of the folder
    loaded: dict[str, Loaded]  # key -> the record as loaded
    docs: dict[str, Document]  # key -> document, for projects opened
    rules: dict[str, Rules]
    failures: builtins.list[RecordError | Exception]
    current: str | None  # the key of the project in the editor
    reading: bool  # the folder is still being read
    edit: EditSession  # typed text not yet committed, wherever it is typed
    title: str | None
    focused: Widget | None

    @property
    def size(self) -> Size: ...
    @property
    def body(self) -> Widget: ...

    @property
    def app(self) -> App[Any]: ...
    @property
    def is_attached(self) -> bool: ...
    @property
    def loader(self) -> Reader: ...  # records the index listed, read when needed
    @property
    def list(self) -> ProjectList: ...
    @property
    def left(self) -> ListPane: ...
    @property
    def editor(self) -> EditorPane: ...
    @property
    def doc(self) -> Document | None: ...

    def say(self, message: str, *, severity: Severity = "information",
            timeout: float | None = None) -> None: ...
    def run_worker(self, work: Any, name: str | None = "", group: str = "default",
                   description: str = "", exit_on_error: bool = True, start: bool = True,
                   exclusive: bool = False, thread: bool = False) -> Worker[Any]: ...
    def set_timer(self, delay: float, callback: Any = None, *, name: str | None = None,
                  pause: bool = False) -> Timer: ...
    def call_after_refresh(self, callback: Any, *args: Any, **kwargs: Any) -> bool: ...
    def set_focus(self, widget: Widget | None, scroll_visible: bool = True,
                  from_app_focus: bool = False) -> None: ...

    def rules_for(self, name: str) -> Rules: ...
    def document(self, key: str) -> Document: ...
    def is_dirty(self, key: str) -> bool: ...
    def unsaved(self) -> builtins.list[str]: ...
    def open(self, key: str) -> None: ...
    def show_current(self) -> None: ...
    def update_year_line(self) -> None: ...
    def changed(self, key: str | None = None, force: bool = False) -> None: ...
    def refresh_views(self, project: Project, assessment: Assessment, force: bool = False,
                      ) -> None: ...
