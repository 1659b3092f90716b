"""Keys of a text widget taken in the order they were typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:  # mixed into widgets: to the type checker it is one
    from textual.widget import Widget as _Widget
else:
    _Widget = object


class OwnKeysFirst(_Widget):
    """Run the widget's own key bindings (Backspace, arrows, Ctrl+U…) as soon as the key arrives.

    Textual 8.2.8 runs a focused widget's bindings only after the key has bubbled up to the app,
    while printable keys are inserted at once; so characters queued behind a Backspace were
    inserted before it ran (typing x y ⌫ z fast gave "xy", not "xz": Textualize/textual#6605).
    Mixed in before Input or TextArea; a key it runs is not handled again."""

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # the widget's own _on_key inserts it, next in the MRO
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority or not binding.action:
                continue
            event.stop()
            event.prevent_default()  # stops the walk down the MRO: Input._on_key won't see it
            await self.run_action(binding.action)
            return
