"""Posting a widget's messages straight to its screen."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.message import Message
from textual.widget import Widget


def post_to_screen(widget: Widget, message: Message) -> None:
    """Post `message` to the widget's screen, which bubbles it on to the app: nothing between them
    handles the editors' messages, and each hop through a container is another turn of the event
    loop on every keystroke. One target per widget, so its messages keep their order. A widget
    not yet on a screen (a bare test host) posts to itself."""
    target: Widget
    try:
        target = widget.screen
    except NoScreen:
        target = widget
    target.post_message(message)
