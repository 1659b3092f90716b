"""The settings file (docs/settings.md): theme and keymap read at start, the theme picked kept."""

from __future__ import annotations

import os
from pathlib import Path

from pilot import ready

from tui.ui.app import ZipinApp
from tui.store.settings import load_settings, settings_path

SIZE = (160, 48)


def write(text: str) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_lives_in_the_config_folder_named_by_the_environment():
    assert settings_path() == Path(os.environ["ZIPIN_CONFIG_DIR"]) / "settings.toml"
    assert load_settings().theme is None and load_settings().keys == {}


async def test_theme_and_keymap_from_the_settings_file(folder: Path):
    write('theme = "zipin-high-contrast"\n[keys]\n"file.save" = "f2"\n"grid.add" = "insert"\n')
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert app.theme == "zipin-high-contrast"
        assert "F2 保存" in main.query_one("KeyBar").plain  # the key bar shows the keymap
        await pilot.press("f6", "f6", "f6", "f6")
        assert main.focused is main.grid
        count = len(main.doc.project.indicators)
        await pilot.press("insert")
        await pilot.pause()
        assert len(main.doc.project.indicators) == count + 1
        await pilot.press("escape", "f2")  # saves
        await pilot.pause()
        assert not main.doc.dirty
        keys = dict(k for _area, keys in app.key_groups() for k in keys)
        assert keys.get("F2") == "保存" and keys.get("Insert") == "添加指标"


async def test_a_theme_picked_is_written_back_keeping_the_rest(folder: Path):
    path = write('# mine\n[keys]\n"file.save" = "ctrl+s"\n')
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.theme = "zipin-high-contrast"  # as the palette's 查看：切换主题 sets it
        await pilot.pause()
    settings = load_settings(path)
    assert settings.theme == "zipin-high-contrast" and settings.keys == {"file.save": "ctrl+s"}
    assert ZipinApp(folder).theme == "zipin-high-contrast"  # the next start


async def test_bad_settings_are_named_and_never_overwritten(folder: Path):
    path = write('theme = "no-such-theme"\n[keys]\n"no.such" = "f9"\n')
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        shown = [n.message for n in app._notifications]
        assert any("配色“no-such-theme”不存在" in m for m in shown)
        assert any("按键编号不存在：no.such" in m for m in shown)
    path.write_text("theme = [", encoding="utf-8")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert any("无法读取设置" in n.message for n in app._notifications)
        app.theme = "nord"
        await pilot.pause()
    assert path.read_text(encoding="utf-8") == "theme = ["


def test_a_settings_file_nested_thousands_deep_is_named_not_raised():
    """Read as records are (bounds.parse_toml): the parser's RecursionError stopped the app."""
    path = write("theme = " + "[" * 20000 + "]" * 20000)
    settings = load_settings()
    assert not settings.readable and settings.theme is None
    assert len(settings.problems) == 1 and str(path) in settings.problems[0]
    assert "嵌套层数过多" in settings.problems[0]
