"""A goal text of the form (预期目标, 实际完成情况): a multi-line editor bound to a field path.

In a module of its own so that Textual's TextArea (and its document machinery) is imported only
when the goal areas are mounted, just after the first frame (header.GoalsForm), not at start.
"""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import TextArea

from tui.core.editing import value_text
from tui.core.model import Project
from tui.ui.widgets.fields import safe_strip
from tui.ui.widgets.ownkeys import OwnKeysFirst


class GoalArea(OwnKeysFirst, TextArea):
    """A multi-line goal text bound to `path`; committed when it loses focus."""

    DEFAULT_CSS = """
    GoalArea { height: 1fr; width: 1fr; }
    """

    def __init__(self, path: str, title: str, *, text: str = "", id: str | None = None) -> None:
        super().__init__(text, id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.path = path
        self.border_title = title
        self.raw = text

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y), self.size.width)

    def show(self, project: Project, force: bool = False) -> None:
        self.raw = value_text(project, self.path)
        if (force or not self.has_focus) and self.text != self.raw:
            with self.prevent(TextArea.Changed):  # shown, not typed: nothing to preview
                self.load_text(self.raw)

    def mark(self, reason: str | None, pending: bool = False) -> None:
        self.set_class(pending, "-pending")
