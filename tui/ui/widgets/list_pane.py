"""The list pane: the filter, the project list, how far loading has got, the year line, the files
that can't be read, and the problems of the project in the editor.

It owns the filter (typed in the list or in its box) and the sort; the screen hands it the lines
(`list.add`, `list.update_entry`), the failures and the figures of the year line.
"""

from __future__ import annotations

import builtins
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from tui.core.messages import visible
from tui.store.workspace import RecordError
from tui.ui.widgets.fields import compact
from tui.ui.widgets.problems import ProblemList
from tui.ui.widgets.project_list import SORTS, ProjectList


class ListPane(Vertical):
    """Filter, list, load status, year line, unreadable files, problems."""

    BINDINGS = [
        # Tab from the list: the project opened at the editor's first field (项目名称), as Enter
        # does, not the problems panel next in the screen's order (F6 goes there); Shift+Tab on
        # 项目名称 comes back (header.FormBox).
        Binding("tab", "edit", "到编辑区（项目名称）", show=False, id="list.to_editor"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # From the list with a project in it; elsewhere (the filter, the problems, an empty
        # list) Tab moves on as anywhere else.
        return action != "edit" or (self.screen.focused is self.list and self.list.current_key is not None)

    def action_edit(self) -> None:
        self.list.action_open()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._year_text = ""

    def compose(self) -> ComposeResult:
        yield compact(Input(placeholder="筛选：输入名称、文件名或部门", id="filter"))
        yield ProjectList(id="projects")
        yield Static(id="load-status")
        with VerticalScroll(id="years", can_focus=False):
            yield Static(id="year-line")
        with VerticalScroll(id="failures"):
            yield Static(id="failure-text")
        yield ProblemList(id="problems")

    def on_mount(self) -> None:
        self.list.border_title = "项目"
        self.query_one("#failures").display = False

    @property
    def list(self) -> ProjectList:
        return self.query_one("#projects", ProjectList)

    @property
    def filter(self) -> Input:
        return self.query_one("#filter", Input)

    @property
    def problems(self) -> ProblemList:
        return self.query_one(ProblemList)

    # -- the filter and the sort ---------------------------------------------------------------

    @on(ProjectList.TypedFilter)
    def _typed_filter(self, message: ProjectList.TypedFilter) -> None:
        box = self.filter
        box.value = box.value[:-1] if message.character is None else box.value + message.character

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # Run by the list itself: a message made while this pane handles one (the list's
        # Highlighted, which the screen answers) would bubble no further than this pane.
        self.list.call_later(self.list.set_filter, event.value)
        self.list.border_title = "项目（已筛选，Esc 清除）" if event.value else "项目"

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.list.focus()

    def clear_filter(self) -> None:
        self.filter.value = ""
        self.list.focus()

    def cycle_sort(self) -> str:
        """The next sort; returns how the list is sorted now, in words."""
        projects = self.list
        order = list(SORTS)
        projects.set_sort(order[(order.index(projects.sort) + 1) % len(order)])
        direction = "降序" if projects.descending else "升序"
        return f"按{SORTS[projects.sort]}排序（{direction}）"

    # -- what the pane tells ---------------------------------------------------------------------

    def show_progress(self, done: int, count: int) -> None:
        status = self.query_one("#load-status", Static)
        status.update(Text(f"载入中 {done}/{count}" if done < count else ""))
        status.display = done < count

    def show_year_lines(self, text: Text) -> None:
        """The year line (documents.year_lines); laid out again only when its height changes."""
        if text.plain != self._year_text:
            lines = self._year_text.count("\n")
            self._year_text = text.plain
            self.query_one("#year-line", Static).update(text, layout=text.plain.count("\n") != lines)

    def show_failures(self, failures: builtins.list[RecordError | Exception]) -> None:
        text = Text()
        for i, exc in enumerate(failures):
            if i:
                text.append("\n")
            file = Path(exc.file).name if isinstance(exc, RecordError) else "?"
            where = f"字段 {exc.field}：" if isinstance(exc, RecordError) and exc.field else ""
            message = exc.message if isinstance(exc, RecordError) else str(exc)
            text.append("✗ ", style="bold red")
            text.append(visible(file), style="bold")
            text.append(visible(f"：{where}{message}"))
        box = self.query_one("#failures")
        box.border_title = f"无法载入的文件（{len(failures)}）"
        box.display = bool(failures)  # none left (Ctrl+R found them mended or gone): no box
        self.query_one("#failure-text", Static).update(text)
