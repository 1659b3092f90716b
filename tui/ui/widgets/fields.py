"""An Input bound to one field path of the project (``name``, ``funding.other.executed``…).

It only shows text and marks itself invalid; the screen previews and commits what is typed
(through `Document`). A money field shows the printed form (``1,248.00``) while it is not being
edited and the stored digits (``1248.00``) once it has focus.
"""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets.input import Selection

from tui.core.editing import value_text
from tui.core.format import amount, fixed
from tui.core.model import Project
from tui.ui.widgets.grid.columns import ELLIPSIS, fit
from tui.ui.widgets.ownkeys import OwnKeysFirst

_CONTROLS = {i: 0x2400 + i for i in range(0x20)} | {0x7F: 0x2421}


def safe_strip(strip: Strip, width: int) -> Strip:
    """A drawn line with control characters shown as their pictures (␛ for ESC): user text in a
    record must never send escape sequences to the terminal."""
    if not any(ord(ch) < 0x20 or ch == "\x7f" for seg in strip for ch in seg.text):
        return strip
    return Strip([seg._replace(text=seg.text.translate(_CONTROLS)) for seg in strip]
                 ).crop_extend(0, width, None)


def _mark_cuts(strip: Strip, value: str, start: int, width: int) -> Strip:
    """The `width` cells of a scrolled field from `start`, a wide character cut at either edge
    shown as ⋯ (cut, a terminal would draw half of it as a space)."""
    left = right = False
    x = 0
    for ch in value:
        size = get_character_cell_size(ch)
        left = left or x < start < x + size
        right = right or x < start + width < x + size
        x += size
    line = strip.crop(0, width)
    if left and width > 1:
        head, rest = line.divide([1, width])
        line = Strip.join([Strip([Segment(ELLIPSIS, next(iter(head)).style)], 1), rest])
    if right and width > 1:
        rest, tail = line.divide([width - 1, width])
        line = Strip.join([rest, Strip([Segment(ELLIPSIS, next(iter(tail)).style)], 1)])
    return line


def compact(field: Input) -> Input:
    """`field` made compact (no border) as `Input(compact=True)` makes it, without the restyle
    that setting `compact` in the constructor asks for (of a widget not yet mounted, styled
    again as it mounts: a start's 5 fields made 5 passes for nothing)."""
    field.add_class("-textual-compact", update=False)
    field.set_reactive(Input.compact, True)
    return field


class FieldInput(OwnKeysFirst, Input):
    """A one-line editor of `path`; `kind` is "text", "amount" (money) or "number"."""

    # Input sets its virtual size (text length + 1) on every keystroke, and Widget.virtual_size
    # asks for a layout of the whole screen when it changes: measured here, that relayout is
    # most of a keystroke's cost. A one-line field of fixed width needs no layout for it.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [  # ↑ ↓ in place of the scrolling a one-line Input inherits
        Binding("down", "leave('down')", show=False),
        Binding("up", "leave('up')", show=False),
    ]

    DEFAULT_CSS = """
    FieldInput.-bad { background: $error 30%; color: $text; }
    FieldInput.-pending { text-style: italic; }
    """

    def __init__(self, path: str, kind: str = "text", *, placeholder: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        # No validators: validate_on=() spares a restyle per value set (Input flips -valid).
        super().__init__(placeholder=placeholder, id=id, classes=classes, select_on_focus=False,
                         validate_on=())  # on_focus selects
        compact(self)
        self.path = path
        self.kind = kind
        self.raw = ""  # what the field holds, as typed text (value_text)
        self.shown = ""  # what it shows when not focused
        self.reason: str | None = None  # why the text typed can't be taken

    def show(self, project: Project, force: bool = False) -> None:
        """Show the committed value; the text being edited is left alone unless `force`."""
        self.raw = value_text(project, self.path)
        self.shown = self.display_text(self.raw)
        if force or not self.has_focus:
            self.reason = None
            self.set_class(False, "-bad", "-pending")
            if self.tooltip is not None:
                self.tooltip = None
            text = self.raw if self.has_focus else self.shown
            if self.value != text:
                with self.prevent(Input.Changed):  # shown, not typed: nothing to preview
                    self.value = text
                # Unfocused: show the start of a long name. Focused (a reload or an undo under
                # the caret): put the caret at the end, as if the text had just been typed.
                self.cursor_position = len(text) if self.has_focus else 0

    def display_text(self, raw: str) -> str:
        if self.kind == "amount" and raw:
            return amount(Decimal(raw))
        if self.kind == "number" and raw:
            return fixed(Decimal(raw))
        return raw

    def mark(self, reason: str | None, pending: bool = False) -> None:
        """Mark the text as not taken (`reason`), or as typed but not yet committed."""
        self.reason = reason
        self.set_class(reason is not None, "-bad")
        self.set_class(pending and reason is None, "-pending")
        self.tooltip = Text(reason) if reason else None  # user text: never markup

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y or cell_len(self.value) <= width:
            return safe_strip(super().render_line(y), width)
        if not self.has_focus:  # its start, cut with ⋯ as the grid cuts (wherever typing ended)
            line = Strip([Segment(fit(self.value, width))], width).apply_style(self.rich_style)
            return safe_strip(line, width)
        return safe_strip(_mark_cuts(super().render_line(y), self.value, int(self.scroll_x), width),
                          width)

    def action_leave(self, key: str) -> None:
        """An arrow key that leaves the field: ↓ or ↑ (Input would only scroll), → at the end of
        the text or ← at its start with nothing selected. The form box around the header moves
        the focus at once (header.FormBox.arrow_from); elsewhere the key does nothing."""
        for node in self.ancestors:
            arrow_from = getattr(node, "arrow_from", None)
            if arrow_from is not None:
                arrow_from(self, key)
                return

    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.selection.is_empty and self.cursor_at_end:
            self.action_leave("right")
        else:
            super().action_cursor_right(select)

    def action_cursor_left(self, select: bool = False) -> None:
        if not select and self.selection.is_empty and self.cursor_at_start:
            self.action_leave("left")
        else:
            super().action_cursor_left(select)

    def on_blur(self) -> None:
        self.cursor_position = 0  # a long name shows its start again, not where typing ended

    def on_focus(self, event: events.Focus) -> None:
        if self.value != self.raw:
            with self.prevent(Input.Changed):
                self.value = self.raw
        if not event.from_app_focus:
            # All selected (typing replaces it), the caret at the start: a long name shows its
            # start, as it did a moment ago, not its end (Input's select-all puts the caret there).
            self.selection = Selection(len(self.value), 0)

