"""Errors and warnings of the project on screen; Enter on one jumps to its cell."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.editing import label
from tui.core.validation import ERROR, Problem


def problem_text(problem: Problem) -> Text:
    """One line per problem; the message holds user text, so it is never markup."""
    kind, style = ("错误", "bold red") if problem.level == ERROR else ("提醒", "bold yellow")
    return Text.assemble((kind, style), " ", (label(problem.path), "bold"), "\n",
                         problem.message)


class ProblemList(OptionList):
    """The current project's problems, errors first."""

    DEFAULT_CSS = """
    ProblemList { height: 10; }
    """

    class Jump(Message):
        """The user chose a problem: show its cell."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.problems: list[Problem] = []
        self.border_title = "错误与提醒"

    def show(self, problems: list[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: p.level != ERROR)
        if ordered == self.problems:
            return
        old, self.problems = self.problems, ordered
        if old and len(old) == len(ordered):
            # The same problems with new figures (each keystroke): replace only the changed
            # lines; clearing the list would resize it twice, and each resize costs a layout.
            for index, (a, b) in enumerate(zip(old, ordered)):
                if a != b:
                    self.replace_option_prompt_at_index(index, problem_text(b))
        else:
            self._refill(ordered)
        # the counts in the title, whichever way the lines changed (an error that became a
        # warning keeps the number of lines)
        errors = sum(1 for p in ordered if p.level == ERROR)
        self.border_title = f"错误与提醒（{errors} 错误，{len(ordered) - errors} 提醒）"

    def _refill(self, ordered: list[Problem]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        if ordered:
            self.add_options([Option(problem_text(p)) for p in ordered])
            if highlighted is not None:
                self.highlighted = min(highlighted, len(ordered) - 1)
        else:
            self.add_option(Option(Text("没有错误或提醒", style="dim"), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.problems):
            self.post_message(self.Jump(self.problems[event.option_index].path))
