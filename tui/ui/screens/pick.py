"""A short list to pick from, opened next to a cell: tiers, standard indicator levels, yes/no.

`PickScreen` is a small modal: arrows and Enter pick, a digit picks that line at once, Esc
cancels (the screen's result is then None). Every label is shown literally (rich Text), so text
such as ``[/x]`` in a project's own words is never read as markup.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.geometry import Offset
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class PickScreen(ModalScreen[str | None]):
    """Pick one of `choices` ((value, label) pairs); dismisses with the value, or None."""

    DEFAULT_CSS = """
    PickScreen {
        background: $background 30%;
        align: left top;
    }
    PickScreen > #choice-box {
        width: auto;
        height: auto;
        max-width: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    PickScreen #choice-title { width: auto; color: $text-muted; }
    PickScreen OptionList { width: auto; height: auto; border: none; padding: 0; }
    """

    BINDINGS = [Binding("escape", "cancel", "取消", id="choice.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], *, anchor: Offset | None = None,
                 highlighted: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.anchor_at = anchor  # not `anchor`: that is a Widget method
        self.highlighted = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(Text(self.title_text), id="choice-title")
            yield OptionList(*(Option(Text(f"{n} {label}" if n < 10 else label), id=str(i))
                               for i, (n, (_value, label)) in enumerate(
                                   zip(range(1, len(self.choices) + 1), self.choices))),
                             id="choice-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = max(0, min(self.highlighted, len(self.choices) - 1))
        options.focus()
        if self.anchor_at is not None:
            self._place(self.anchor_at)

    def _place(self, anchor: Offset) -> None:
        """Put the box just below the anchor cell, or above it when it would not fit."""
        width = max([cell_len(self.title_text)] + [cell_len(label) + 2 for _v, label in self.choices]) + 4
        height = len(self.choices) + 3
        screen_w, screen_h = self.app.size
        x = max(0, min(anchor.x, screen_w - width))
        y = anchor.y + 1
        if y + height > screen_h:
            y = max(0, anchor.y - height)
        self.query_one("#choice-box").styles.offset = (x, y)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)][0])

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.choices):
                event.stop()
                self.dismiss(self.choices[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)

    def dismiss(self, result: str | None = None):
        """Answer once. Keys queued behind the one that answered (Enter Enter, "1" "2") reach this
        screen after it is gone, and Textual's dismiss would run the answer again (a second delete)
        and pop the screen below it (ScreenStackError: the app died)."""
        if not self.is_active:
            return None
        return super().dismiss(result)
