"""The form's header (项目名称, 年度, 主管部门, 实施单位), the box holding it with the funding table
(moves between them by arrows), and its two goal texts (年度总体目标)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from tui.core.editing import value_text
from tui.printed.layout import layout_or_default
from tui.core.model import Project

from tui.ui.widgets.fields import FieldInput

if TYPE_CHECKING:
    from tui.ui.widgets.goals import GoalArea

HEADER_FIELDS = (("name", "项目名称"), ("year", "年度"), ("department", "主管部门"),
                 ("implementer", "实施单位"))
GOAL_FIELDS = (("expected", "预期目标"), ("achieved", "实际完成情况"))


def goal_area() -> type[GoalArea]:
    """The goal areas' class (goals.py), imported when first asked: they and Textual's TextArea
    come just after the first frame (GoalsForm)."""
    from tui.ui.widgets.goals import GoalArea

    return GoalArea


class HeaderForm(Horizontal):
    """Four labelled one-line fields, the name widest."""

    DEFAULT_CSS = """
    HeaderForm { height: auto; }
    HeaderForm > .label { width: auto; color: $text-muted; padding: 0 1 0 0; }
    HeaderForm > .label.next { padding: 0 1 0 2; }
    HeaderForm > #head-name { width: 3fr; }
    HeaderForm > #head-year { width: 6; }
    HeaderForm > #head-department, HeaderForm > #head-implementer { width: 2fr; max-width: 20; }
    """

    def compose(self) -> ComposeResult:
        self.labels: dict[str, Static] = {}
        self._layout = ""
        for i, (path, title) in enumerate(HEADER_FIELDS):
            self.labels[path] = Static(Text(title), classes="label next" if i else "label")
            yield self.labels[path]
            yield FieldInput(path, "text", id=f"head-{path}")

    def on_mount(self) -> None:
        self.fields = {field.path: field for field in self.query(FieldInput)}

    def show(self, project: Project, force: bool = False) -> None:
        if project.layout != self._layout:  # the labels its form prints (实施单位（盖章）…)
            self._layout = project.layout
            form = layout_or_default(project.layout)
            for path, title in HEADER_FIELDS:
                self.labels[path].update(Text(form.label(path) if path != "year" else title))
        for field in self.fields.values():
            field.show(project, force)


class FormBox(Vertical):
    """表头与项目资金: the header fields, the funding table and 资金得分的原因 under it, moved
    between by arrows as one form — ↓ from a header field to the table, ↑ from the table's first
    line back to the header field last used, ↓ from its last line to 资金得分的原因 (when shown)
    and ↑ back; → at the end of a header field's text (← at its start) to the next (previous)
    field. Tab and F6 move as before; Shift+Tab from 项目名称 goes back to the project list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last = "head-name"  # the header field ↑ from the table returns to

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if (event.widget.id or "").startswith("head-"):
            self._last = event.widget.id or self._last

    def _focus(self, widget_id: str) -> None:
        found = self.query(f"#{widget_id}")
        if found and found.first() in self.screen.focus_chain:  # shown (资金得分的原因 may not be)
            # Now, not Widget.focus() (a message later): keys typed right behind the arrow are
            # already queued for the widget it leaves, which passes them on (OwnKeysFirst) —
            # ↓ → → 1200 typed fast on 项目名称 put 1200 into 年度.
            self.screen.set_focus(found.first())

    def on_key(self, event: events.Key) -> None:
        # Shift+Tab from 项目名称 back to the project list, where Tab came from (ProjectList's
        # Tab opens the project here), rather than to the problems panel between them.
        focused = self.screen.focused
        if event.key != "shift+tab" or focused is None or focused.id != "head-name":
            return
        for widget in self.screen.focus_chain:  # the list when it is shown
            if widget.id == "projects":
                event.stop()
                event.prevent_default()
                self.screen.set_focus(widget)
                return

    def beyond(self, direction: int) -> None:
        """↑ on the funding table's first line or ↓ on its last (`direction` -1 or 1)."""
        self._focus(self._last if direction < 0 else "funding-reason")

    def arrow_from(self, field: FieldInput, key: str) -> None:
        """An arrow key that leaves a field: ↓ or ↑, → at the end of its text or ← at its start."""
        order = [f"head-{path}" for path, _title in HEADER_FIELDS]
        if field.id in order and key in ("left", "right"):
            n = order.index(field.id) + (1 if key == "right" else -1)
            if 0 <= n < len(order):
                self._focus(order[n])
        elif (field.id in order and key == "down") or (field.id == "funding-reason" and key == "up"):
            self._focus("funding")


class FundingReason(Horizontal):
    """资金得分的原因: one line under the funding table, there only while the funding score is
    given by hand (typed into its cell) or a reason is written. Mounted the first time a project
    needs it (`needed`), so the screen of a folder that never does is laid out as before."""

    DEFAULT_CSS = """
    FundingReason { height: 1; display: none; }
    FundingReason.-shown { display: block; }
    FundingReason > .label { width: auto; color: $text-muted; padding: 0 1 0 0; }
    FundingReason > FieldInput { width: 1fr; }
    """

    def __init__(self, project: Project, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._project = project

    @staticmethod
    def needed(project: Project) -> bool:
        return project.funding.score is not None or bool(project.funding.reason)

    def compose(self) -> ComposeResult:
        yield Static(Text("资金得分的原因"), classes="label")
        yield FieldInput("funding.reason", "text", id="funding-reason")

    def on_mount(self) -> None:
        self.show(self._project, True)

    def show(self, project: Project, force: bool = False) -> None:
        self._project = project
        self.set_class(self.needed(project), "-shown")
        for field in self.query(FieldInput):
            field.show(project, force)


class GoalsForm(Horizontal):
    """预期目标 and 实际完成情况 side by side.

    The two TextAreas are mounted just after the first frame (measured on Textual 8.2.8: mounting,
    styling and drawing them was a sixth of the app's start-up); until then the form keeps the
    project it was asked to show, and its space on screen is already laid out (a fixed height)."""

    DEFAULT_CSS = """
    GoalsForm { height: 7; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fields: dict[str, GoalArea] = {}
        self._project: Project | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_areas)

    def _mount_areas(self) -> None:
        if self.fields:  # F6 went to them before the first frame (first_area)
            return
        project = self._project or Project()
        areas = [goal_area()(path, title, text=value_text(project, path), id=f"goal-{path}")
                 for path, title in GOAL_FIELDS]
        self.fields = {area.path: area for area in areas}
        self.mount_all(areas)

    def first_area(self) -> GoalArea:
        """预期目标, where F6 goes: mounted now if F6 was typed before the first frame (and the
        keys behind it go to the area, taken once it is mounted)."""
        self._mount_areas()
        return self.fields["expected"]

    def show(self, project: Project, force: bool = False) -> None:
        self._project = project
        form = layout_or_default(project.layout)
        titles = {"expected": form.expected_label, "achieved": form.achieved_label}
        for area in self.fields.values():
            area.border_title = titles[area.path]  # as its form prints them (项目年度目标…)
            area.show(project, force)
