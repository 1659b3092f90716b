"""The key line at the bottom: the keys that work where the focus is, with their Chinese names.

Textual's Footer recomposes a widget per key on every focus change (measured here: most of the
cost of a Tab between fields); this is one line (a TextLine) whose text is rebuilt, and only
repainted when the keys shown change.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.screen import Screen
from textual.strip import Strip

from tui.ui.widgets.line import ELLIPSIS, TextLine


class KeyBar(TextLine):
    """One line: "Ctrl+S 保存  Ctrl+Z 撤销 …" for the bindings shown by the focused widget and up.
    The key help (F1) stays at the end at any width: keys that don't fit give way before it."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    HELP = "help"  # the action whose key is never cut off

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: tuple = ()
        self._width = -1

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._build()

    def render_line(self, y: int) -> Strip:
        # Built for the width drawn: the first frame comes before the Resize event that tells
        # the bar its width (it showed "⋯ F1 按键" until then).
        if self.size.width != self._width:
            self._build()
        return super().render_line(y)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        keys = []
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append((self.app.get_key_display(binding), binding.description, enabled,
                             binding.action.rsplit(".", 1)[-1] == self.HELP))
        keys_tuple = tuple(keys)
        if keys_tuple == self._keys:
            return
        self._keys = keys_tuple
        self._width = -1
        self._build()

    def _build(self) -> None:
        width = self.size.width
        if width == self._width:
            return
        self._width = width
        last = [k for k in self._keys if k[3]]
        room = width - sum(cell_len(f"{key} {description}  ") for key, description, *_ in last)
        text = Text(no_wrap=True, overflow="crop")
        for key, description, enabled, _help in (k for k in self._keys if not k[3]):
            part = f"{key} {description}  "
            if cell_len(part) > room - 2:  # keep room for the mark of keys left out
                text.append(ELLIPSIS + " ")
                break
            room -= cell_len(part)
            text.append(f"{key} ", style="bold")
            text.append(f"{description}  ", style="" if enabled else "dim")
        for key, description, enabled, _help in last:
            text.append(f"{key} ", style="bold")
            text.append(description, style="" if enabled else "dim")
        self.update(text)
