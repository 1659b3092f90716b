"""The user's settings: one TOML file in the user's config folder (platformdirs), read at start.
No Textual: the app applies them (`tui.ui.app`). Documented in docs/settings.md.

    theme = "zipin-high-contrast"   # a theme's name, as the palette's 查看：切换主题 lists them
    [keys]                           # a keymap: binding id -> keys, comma-separated
    "file.save" = "ctrl+s,f2"
    "grid.add" = "insert"

The theme picked in the app is written back (only `theme` changes; the rest of the file, keys
and all, is kept). ZIPIN_CONFIG_DIR names another folder (tests, a portable install). A file that
can't be read is reported and the defaults are used; it is never overwritten then.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.bounds import parse_toml

FILE_NAME = "settings.toml"


@dataclass
class Settings:
    """The settings file as read: theme, keymap, and what was wrong with it."""
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # what was wrong with the file, in Chinese
    readable: bool = True  # False: the file exists but could not be read (never written then)


def settings_path() -> Path:
    """Where the settings file is: $ZIPIN_CONFIG_DIR/settings.toml, else the platform's user
    config folder (~/.config/zipin on Linux, %APPDATA%\\zipin on Windows)."""
    folder = os.environ.get("ZIPIN_CONFIG_DIR")
    if folder:
        return Path(folder) / FILE_NAME
    from platformdirs import user_config_path

    return user_config_path("zipin", appauthor=False) / FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """The settings in the file (defaults when there is none); problems named, never raised."""
    path = path or settings_path()
    try:
        data = parse_toml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Settings(problems=[f"{path}：无法读取设置（{exc}），本次使用默认设置"], readable=False)
    settings = Settings()
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        settings.problems.append(f"{path}：theme 应为配色名称（文字）")
    elif theme:
        settings.theme = theme
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        settings.problems.append(f"{path}：[keys] 应为“按键编号 = 按键”的表")
        keys = {}
    for binding_id, value in keys.items():
        if isinstance(value, str) and value.strip():
            settings.keys[binding_id] = value
        else:
            settings.problems.append(f"{path}：keys.{binding_id} 应为按键文字，如 \"ctrl+s\"")
    return settings


def save_theme(theme: str, path: Path | None = None) -> None:
    """Write the theme into the settings file, keeping everything else in it (atomic)."""
    import tomli_w  # when a theme is picked, not at start

    from tui.store.atomic import atomic_write

    path = path or settings_path()
    try:
        data = parse_toml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    data["theme"] = theme
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, tomli_w.dumps(data))
