"""The main screen's navigation: the list and its filter and sort, jumping to a problem's cell,
moving between panes, Esc.
"""

from __future__ import annotations

from textual import on
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from ..editing import indicator_path
from ..widgets.fields import FieldInput
from ..widgets.header import GoalArea
from ..widgets.problems import ProblemList
from ..widgets.project_list import SORTS, ProjectList


class NavigationPart(Screen):
    """The list, the filter, problems and panes (a part of MainScreen: see main.py)."""

    # -- the list and its filter -------------------------------------------------------------

    @on(ProjectList.Highlighted)
    def _highlighted(self, message: ProjectList.Highlighted) -> None:
        self.open(message.key)

    @on(ProjectList.Opened)
    def _opened(self, message: ProjectList.Opened) -> None:
        self.open(message.key)
        self.query_one("#head-name", FieldInput).focus()

    @on(ProjectList.TypedFilter)
    def _typed_filter(self, message: ProjectList.TypedFilter) -> None:
        box = self.query_one("#filter", Input)
        box.value = box.value[:-1] if message.character is None else box.value + message.character

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.list.set_filter(event.value)
        self.list.border_title = "项目（已筛选，Esc 清除）" if event.value else "项目"

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.list.focus()

    # -- problems ----------------------------------------------------------------------------

    @on(ProblemList.Jump)
    def _jump(self, message: ProblemList.Jump) -> None:
        self.jump(message.path)

    def jump(self, path: str) -> None:
        """Focus the cell or field a problem's path names."""
        if indicator_path(path) is not None:
            self.grid.goto(path)
            return
        for field in self.query(FieldInput):  # 资金得分的原因 is a field, when it is shown
            if field.path == path and field.id != "filter" and field.display and field.parent.display:
                field.focus()
                return
        if path.startswith("funding.") or path == "weights":
            self.funding.goto("funding.weight" if path == "weights" else path)
            return
        for area in self.query(GoalArea):
            if area.path == path:
                area.focus()
                return

    def action_next_problem(self) -> None:
        problems = self.query_one(ProblemList).problems
        if not problems:
            self.say("本项目没有错误或提醒", timeout=2)
            return
        self._problem_index = (self._problem_index + 1) % len(problems)
        self.query_one(ProblemList).highlighted = self._problem_index
        self.jump(problems[self._problem_index].path)

    # -- actions -----------------------------------------------------------------------------

    def action_escape(self) -> None:
        if self._pending is not None:
            self._drop_pending()
        elif self.focused in (self.query_one("#filter"), self.list):
            self.query_one("#filter", Input).value = ""
            self.list.focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self, sort: str) -> None:
        self.list.set_sort(sort)

    def action_cycle_sort(self) -> None:
        order = list(SORTS)
        self.list.set_sort(order[(order.index(self.list.sort) + 1) % len(order)])
        direction = "降序" if self.list.descending else "升序"
        self.say(f"按{SORTS[self.list.sort]}排序（{direction}）", timeout=2)

    def _panes(self) -> list[Widget]:
        goals = self.query("#goal-expected")  # mounted just after the first frame (GoalsForm)
        return [self.list, self.query_one("#head-name"), self.funding,
                *goals, self.grid, self.query_one(ProblemList)]

    def action_pane(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        index = 0
        for i, pane in enumerate(panes):
            if focused is not None and (focused is pane or i in (1, 3)
                                        and pane.parent in focused.ancestors_with_self):
                index = i
                break
        # set_focus now, not Widget.focus() (which waits for call_later): keys queued behind F6
        # are dispatched to whatever has focus when they are taken.
        self.set_focus(panes[(index + step) % len(panes)])

