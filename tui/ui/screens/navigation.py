"""The main screen's navigation: the list and its filter and sort, jumping to a problem's cell,
moving between panes, Esc.
"""

from __future__ import annotations

from textual import events, on
from textual.widget import Widget
from textual.widgets import Input

from tui.core.editing import indicator_path
from tui.ui.widgets.fields import FieldInput
from tui.ui.widgets.header import GoalArea
from tui.ui.widgets.problems import ProblemList
from tui.ui.widgets.project_list import SORTS, ProjectList
from tui.ui.screens.parts import MainParts


NARROW = 130  # columns: below this the list folds away by itself (Ctrl+B brings it back)
BOTH = 110  # columns: below this a list brought back covers the editor until a project is opened
SHORT = 34  # lines: below this the goal texts fold away (F6 opens them) and the form is unframed


class NavigationPart(MainParts):
    """The list, the filter, problems and panes (a part of MainScreen: see main.py)."""

    _list_choice: bool | None = None  # the list shown / hidden by Ctrl+B; None: by the width

    # -- layout for the terminal's size ------------------------------------------------------

    @on(events.Resize)
    def _fit_to_size(self, event: events.Resize) -> None:
        self.fit_layout()

    def fit_layout(self) -> None:
        """The list beside the editor when there is room for both (or as Ctrl+B said); at few
        lines the goal texts only while being edited, so the grid keeps ten rows at 80×24."""
        width, height = self.size
        left = self.query_one("#left")
        shown = self._list_choice if self._list_choice is not None else width >= NARROW
        body = self.query_one("#body")
        body.set_class(width < NARROW, "-narrow")
        body.set_class(height < SHORT, "-short")
        drawer = shown and width < BOTH
        body.set_class(drawer, "-drawer")
        editor = self.query_one("#editor")
        if editor.display == drawer:
            editor.display = not drawer
        if left.display != shown:
            left.display = shown
            if not shown and self.focused is not None and left in self.focused.ancestors:
                self.set_focus(self.grid)
        self._fold_goals(self.focused)

    def _fold_goals(self, focused: Widget | None) -> None:
        goals = self.query_one("#goals")
        inside = focused is not None and goals in focused.ancestors_with_self
        show = inside or not self.query_one("#body").has_class("-short")
        if goals.display != show:
            goals.display = show

    def action_toggle_list(self) -> None:
        left = self.query_one("#left")
        self._list_choice = not left.display
        self.fit_layout()
        if self._list_choice:
            self.set_focus(self.list)

    # -- the list and its filter -------------------------------------------------------------

    @on(ProjectList.Highlighted)
    def _highlighted(self, message: ProjectList.Highlighted) -> None:
        self.open(message.key)

    @on(ProjectList.Opened)
    def _opened(self, message: ProjectList.Opened) -> None:
        self.open(message.key)
        if self.query_one("#body").has_class("-drawer"):
            self._list_choice = None  # the list over the editor: it goes once a project is picked
            self.fit_layout()
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
            if field.path == path and field.id != "filter" and field.display and field.parent is not None \
                    and field.parent.display:
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
        if self.edit.source == "field":
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
        listed = self.query_one("#left").display  # a folded list is not a pane to go to
        return [*([self.list] if listed else []), self.query_one("#head-name"), self.funding,
                *goals, self.grid, *([self.query_one(ProblemList)] if listed else [])]

    def action_pane(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        index = 0
        for i, pane in enumerate(panes):
            if focused is not None and (focused is pane or pane.id in ("head-name", "goal-expected")
                                        and pane.parent in focused.ancestors_with_self):
                index = i
                break
        target = panes[(index + step) % len(panes)]
        self._fold_goals(target)  # folded goal texts open when F6 goes to them
        # set_focus now, not Widget.focus() (which waits for call_later): keys queued behind F6
        # are dispatched to whatever has focus when they are taken.
        self.set_focus(target)

