"""Keys by the names a person reads on the keyboard ("Ctrl+S", "F2", "Ctrl+↑", "Shift+Tab"):
one naming for the key bar, the help, the palette and the messages that mention a key."""

from __future__ import annotations

from textual.keys import format_key

_NAMES = {"up": "↑", "down": "↓", "left": "←", "right": "→", "escape": "Esc", "enter": "Enter",
          "tab": "Tab", "backspace": "Backspace", "delete": "Delete", "insert": "Insert",
          "home": "Home", "end": "End", "pageup": "PgUp", "pagedown": "PgDn", "space": "空格"}
_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta", "super": "Super"}


def key_name(key: str) -> str:
    """One key as shown: "ctrl+up" -> "Ctrl+↑", "f2" -> "F2", "A" -> "A", "ctrl+s" -> "Ctrl+S"."""
    *modifiers, base = key.strip().split("+") if key.strip() != "+" else ["+"]
    if base in _NAMES:
        name = _NAMES[base]
    elif len(base) > 1 and base[0] == "f" and base[1:].isdigit():
        name = base.upper()
    elif len(base) == 1:
        name = base.upper() if modifiers else base
    else:
        name = format_key(base)
    return "+".join([*(_MODIFIERS.get(m, m.title()) for m in modifiers), name])


def keys_name(keys: str) -> str:
    """A binding's keys ("f2,e") as shown: "F2 / e"."""
    return " / ".join(key_name(k) for k in keys.split(",") if k.strip())
