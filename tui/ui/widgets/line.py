"""`TextLine`: one line of text that repaints cheaply, for labels updated on every keystroke.

A `Static` given a new `Text` builds a visual, renders it through Rich and wraps it on its next
frame: measured on Textual 8.2.8, about 0.7 ms for a one-line score bar, a sixth of a keystroke's
frame. A TextLine keeps the line's strip until its text or its styles change and draws it
directly: the same segments a Static draws (so frames and snapshots are the same), cut at the
width instead of wrapped (with ⋯ when the Text's overflow is "ellipsis"). The text is a `rich.text.Text`: user text is never read as markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget


ELLIPSIS = "⋯"  # one cell in every terminal (… is East-Asian-ambiguous), as the grid and list cut


class TextLine(Widget):
    """A one-line label; `update(text)` repaints it only when the text changed."""

    DEFAULT_CSS = """
    TextLine { height: 1; }
    """

    def __init__(self, text: Text | str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._line = text if isinstance(text, Text) else Text(text)
        self._strip: Strip | None = None
        self._styles: tuple[VisualStyle, Style] | None = None  # (text, background): see _style

    @property
    def plain(self) -> str:
        return self._line.plain

    def update(self, text: Text | str, *, layout: bool = False) -> None:
        """Show `text` (a label keeps its size: `layout` is accepted and ignored)."""
        line = text if isinstance(text, Text) else Text(text)
        if line == self._line:
            return
        self._line = line
        self._strip = None
        self.refresh()

    def render(self) -> Text:
        return self._line

    def fitted(self, width: int) -> Text:
        """The text drawn at `width` cells: the line (a label with shorter forms says which)."""
        return self._line

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip = None
        self._styles = None

    def _style(self) -> tuple[VisualStyle, Style]:
        """The text's style and the background's, kept until the styles change (working them
        out walks every ancestor: more than drawing the line)."""
        if self._styles is None:
            self._styles = (self.visual_style, Style(bgcolor=self.rich_style.bgcolor))
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        text_style, fill = self._style()
        if y:
            return Strip.blank(width, fill)
        strip = self._strip
        if strip is None or strip.cell_length != width:
            # Offsets as Textual gives rendered text (for selection); they keep the pieces of
            # the line apart in a frame, as a Static's are. The rest is the background.
            line = self.fitted(width)
            content = Content.from_rich_text(line)
            if line.overflow == "ellipsis" and content.cell_length > width:
                content = content.truncate(max(0, width - 1)).rstrip() + ELLIPSIS
            segments = Strip(content.render_segments(text_style))
            strip = self._strip = segments.apply_offsets(0, 0).crop_extend(0, width, fill)
        return strip
