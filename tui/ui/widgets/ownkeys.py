"""Keys of a text widget taken in the order they were typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.dom import NoScreen

if TYPE_CHECKING:  # mixed into widgets: to the type checker it is one
    from textual.widget import Widget as _Widget
else:
    _Widget = object


class OwnKeysFirst(_Widget):
    """Run the widget's own key bindings (Backspace, arrows, Ctrl+U…) as soon as the key arrives.

    Textual 8.2.8 runs a focused widget's bindings only after the key has bubbled up to the app,
    while printable keys are inserted at once; so characters queued behind a Backspace were
    inserted before it ran (typing x y ⌫ z fast gave "xy", not "xz": Textualize/textual#6605),
    and in the tables → 5 typed fast put the 5 into the cell left of the cursor. Mixed in before
    the widget's class (Input, TextArea, the funding table, the grid); a key it runs is not
    handled again. A printable key is the widget's to type unless it is bound (the grid's t, a,
    d), and one whose action is not allowed now (check_action) goes on up as before."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            try:
                focused = self.screen.focused
            except NoScreen:
                focused = None
            if focused is not None and focused is not self:
                # Queued here before a key ahead of it moved the focus (↓ on 项目名称, ↑ off the
                # funding table): it goes where the focus went, as if typed after the move
                # (↓ → → 1200 typed fast on 项目名称 put 1200 into 年度).
                focused._forward_event(events.Key(event.key, event.character))
                return
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key, ())
        if event.is_printable and not bindings:
            return  # the widget's own key handler types it
        for binding in bindings:
            if binding.priority or not binding.action:
                continue
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()  # stops the walk down the MRO: Input._on_key won't see it
                return
