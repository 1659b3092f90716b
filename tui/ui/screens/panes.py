"""Where the main screen's panes go for the terminal's size, and F6 / Ctrl+B between them.

A plain controller holding the screen (`main`): the list beside the editor when there is room
(or as Ctrl+B said), over it as a drawer on a narrow terminal, and at few lines the goal texts
folded away until the focus goes to them.
"""

from __future__ import annotations

from textual.widget import Widget

from tui.core.editing import indicator_path
from tui.ui.screens.host import Host
from tui.ui.widgets.fields import FieldInput

NARROW = 130  # columns: below this the list folds away by itself (Ctrl+B brings it back)
BOTH = 110  # columns: below this a list brought back covers the editor until a project is opened
SHORT = 34  # lines: below this the goal texts fold away (F6 opens them) and the form is unframed


class Panes:
    """The layout of the main screen's panes, and moving the focus between them."""

    def __init__(self, main: Host) -> None:
        self.main = main
        self.choice: bool | None = None  # the list shown / hidden by Ctrl+B; None: by the width
        self.problem = -1  # the problem F8 went to last (-1: none yet in this project)

    def fit(self) -> None:
        """The list beside the editor when there is room for both (or as Ctrl+B said); at few
        lines the goal texts only while being edited, so the grid keeps ten rows at 80×24."""
        main = self.main
        width, height = main.size
        left = main.left
        shown = self.choice if self.choice is not None else width >= NARROW
        body = main.body
        body.set_class(width < NARROW, "-narrow")
        body.set_class(height < SHORT, "-short")
        drawer = shown and width < BOTH
        body.set_class(drawer, "-drawer")
        editor = main.editor
        if editor.display == drawer:
            editor.display = not drawer
        if left.display != shown:
            left.display = shown
            if not shown and main.focused is not None and left in main.focused.ancestors:
                main.set_focus(editor.grid)
        self.fold_goals(main.focused)

    def fold_goals(self, focused: Widget | None) -> None:
        self.main.editor.fold_goals(focused, self.main.body.has_class("-short"))

    def toggle_list(self) -> None:
        self.choice = not self.main.left.display
        self.fit()
        if self.choice:
            self.main.set_focus(self.main.list)

    def picked(self) -> None:
        """A project was opened from the list: a list drawn over the editor goes."""
        if self.main.body.has_class("-drawer"):
            self.choice = None
            self.fit()

    def next_problem(self) -> None:
        """F8: the next problem of the project in the editor, round to the first."""
        problems = self.main.left.problems
        if not problems.problems:
            self.main.say("本项目没有错误或提醒", timeout=2)
            return
        self.problem = (self.problem + 1) % len(problems.problems)
        problems.highlighted = self.problem
        self.jump(problems.problems[self.problem].path)

    def jump(self, path: str) -> None:
        """Focus the cell or field a problem's path names."""
        editor = self.main.editor
        if indicator_path(path) is not None:
            editor.grid.goto(path)
            return
        for field in editor.query(FieldInput):  # 资金得分的原因 is a field, when it is shown
            if field.path == path and field.display and field.parent is not None \
                    and field.parent.display:
                field.focus()
                return
        if path.startswith("funding.") or path == "weights":
            editor.funding.goto("funding.weight" if path == "weights" else path)
            return
        from tui.ui.widgets.goals import GoalArea  # mounted (and imported) after the first frame

        for area in editor.query(GoalArea):
            if area.path == path:
                area.focus()
                return

    def _panes(self) -> list[Widget]:
        left = self.main.left
        listed = left.display  # a folded list is not a pane to go to
        return [*([left.list] if listed else []), *self.main.editor.panes(),
                *([left.problems] if listed else [])]

    def step(self, step: int) -> None:
        """F6 / Shift+F6: the focus to the next / previous pane."""
        panes = self._panes()
        focused = self.main.focused
        index = 0
        for i, pane in enumerate(panes):
            if focused is not None and (focused is pane or pane.id in ("head-name", "goal-expected")
                                        and pane.parent in focused.ancestors_with_self):
                index = i
                break
        target = panes[(index + step) % len(panes)]
        self.fold_goals(target)  # folded goal texts open when F6 goes to them
        # set_focus now, not Widget.focus() (which waits for call_later): keys queued behind F6
        # are dispatched to whatever has focus when they are taken.
        self.main.set_focus(target)
