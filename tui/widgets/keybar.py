"""The key line at the bottom: the keys that work where the focus is, with their Chinese names.

Textual's Footer recomposes a widget per key on every focus change (measured here: most of the
cost of a Tab between fields); this is one line (a TextLine) whose text is rebuilt, and only
repainted when the keys shown change.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen

from .line import TextLine


class KeyBar(TextLine):
    """One line: "^s 保存  ^z 撤销 …" for the bindings shown by the focused widget and up."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: tuple = ()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        keys = []
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append((self.app.get_key_display(binding), binding.description, enabled))
        keys_tuple = tuple(keys)
        if keys_tuple == self._keys:
            return
        self._keys = keys_tuple
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, description, enabled in keys:
            text.append(f"{key} ", style="bold")
            text.append(f"{description}  ", style="" if enabled else "dim")
        self.update(text)
