"""The top line: ⭘ (a click opens the command palette) and the screen's title — sub-title.

What Textual's `Header` shows, drawn by one widget instead of four (Header, HeaderIcon,
HeaderTitle, HeaderClockSpace): each widget is mounted, styled twice and drawn before the first
frame, and the app's start-up is counted in widgets (measured on Textual 8.2.8). It looks the
same: the icon in the first 8 cells, the title centred between them and the clock's 10 cells;
a click elsewhere on it makes it three lines tall, and back. A title too long is cut with ⋯.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

ICON = "⭘"
ELLIPSIS = "⋯"  # one cell in every terminal (… is East-Asian-ambiguous), as the grid and list cut
ICON_WIDTH = 8  # HeaderIcon: width 8, padding 0 1
CLOCK_WIDTH = 10  # HeaderClockSpace


class TitleBar(Widget):
    """The app's title line (a drop-in for Textual's Header without a clock)."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
    }
    TitleBar.-tall { height: 3; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._icon_hover = False

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    @property
    def screen_title(self) -> str:
        title = self.screen.title
        return title if title is not None else self.app.title

    @property
    def screen_sub_title(self) -> str:
        sub_title = self.screen.sub_title
        return sub_title if sub_title is not None else self.app.sub_title

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        pad = Style(bgcolor=base.bgcolor)
        if y != self.size.height // 2:
            return Strip([Segment(" " * width, pad)], width)
        # The segments (and their styles) Header's three widgets make, so frames and snapshots
        # are the same: padding, content, and the "not reverse" fill of an aligned line.
        fill = base + Style(reverse=False)
        icon_pad, icon, icon_fill = pad, base, fill
        if self._icon_hover and base.color and base.bgcolor:  # HeaderIcon:hover
            tint = Style(bgcolor=Color.from_rich_color(base.bgcolor).blend(
                Color.from_rich_color(base.color), 0.1).rich_color)
            icon_pad, icon, icon_fill = pad + tint, icon + tint, fill + tint
        segments = [Segment(" ", icon_pad), Segment(ICON, icon),
                    Segment(" " * (ICON_WIDTH - 3), icon_fill), Segment(" ", icon_pad)]
        room = max(0, width - ICON_WIDTH - CLOCK_WIDTH)
        title = self.app.format_title(self.screen_title, self.screen_sub_title)
        if title.cell_length > room:
            title = title.truncate(max(0, room - 1)).rstrip() + ELLIPSIS if room else Content()
        left = (room - title.cell_length) // 2
        right = room - title.cell_length - left
        if left:
            segments.append(Segment(" " * left, fill))
        # Offsets as Textual gives rendered text (for selection); they also keep the title's
        # pieces apart, as Header's are.
        segments.extend(Strip(title.render_segments(self.visual_style)).apply_offsets(0, 0))
        if right:
            segments.append(Segment(" " * right, fill))
        segments += [Segment(" ", pad), Segment("", base), Segment(" " * (CLOCK_WIDTH - 1), pad)]
        return Strip(segments).crop_extend(0, width, pad)

    def _on_icon(self, x: int) -> bool:
        return x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._on_icon(event.x)
        if hover != self._icon_hover:
            self._icon_hover = hover
            self.tooltip = "Open the command palette" if hover else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._icon_hover:
            self._icon_hover = False
            self.tooltip = None
            self.refresh()

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        if self._on_icon(event.x):
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")
