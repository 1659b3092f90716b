"""Posting an editor's messages straight to the widget that answers them."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.message import Message
from textual.widget import Widget


def post_up(widget: Widget, message: Message) -> None:
    """Post `message` to the nearest ancestor that answers edits (one whose class sets
    `TAKES_EDITS`: the editor pane), else to the widget's screen, which bubbles it on to the app.
    Straight there: each hop through a container is another turn of the event loop on every
    keystroke. One target per widget, so its messages keep their order. A widget not yet on a
    screen (a bare test host) posts to itself."""
    target: Widget
    for node in widget.ancestors:
        if getattr(node, "TAKES_EDITS", False) and isinstance(node, Widget):
            node.post_message(message)
            return
    try:
        target = widget.screen
    except NoScreen:
        target = widget
    target.post_message(message)
