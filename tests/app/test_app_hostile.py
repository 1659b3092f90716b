"""The app's side of issue 10: it recovers a save that died before showing the folder (finding 1),
a name's escape sequences never reach the terminal from the printed preview's title (3), a file
with huge numbers is listed as failed with its reason and the app lives on (4), and `zipin`
exits non-zero when the app died."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tui import cli

from tui.store import recordfile, saving
from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import PrintedScreen
from tui.ui.screens.main import MainScreen

from pilot import SIZE, ready
from hostile_cases import BAD_RECORDS, TITLE, kill_save_all, sample_text


async def test_a_save_that_died_is_recovered_on_open_and_the_users_save_wins(folder, tmp_path):
    first, second = recordfile.record_files(folder)[:2]
    kill_save_all(first, second)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert main.doc.path == first
        assert main.doc.project.name == "死掉的导入"  # rolled forward before it was shown
        await pilot.press("f6")
        assert main.focused.id == "head-name"
        await pilot.press("ctrl+u", *"用户的保存", "enter", "ctrl+s")
        await pilot.pause(0.3)
        assert not main.doc.dirty
    assert cli.main(["export", str(folder), "-o", str(tmp_path / "b.toml")]) == 0
    assert recordfile.load(first).project.name == "用户的保存"
    assert recordfile.load(second).project.name == "死掉的导入"
    assert not list(folder.glob(".zipin-journal.*"))


async def test_the_printed_preview_title_shows_escapes_instead_of_sending_them(folder):
    path = recordfile.record_files(folder)[0]
    loaded = recordfile.load(path)
    saving.save(loaded.project.__class__(**{**loaded.project.__dict__, "name": f"项目{TITLE}"}),
                 path, loaded.digest)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PrintedScreen)
        assert "\x1b" not in app.screen.title and "\x07" not in app.screen.title
        assert "␛]0;TITLE␇" in app.screen.title
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "\x07" not in screen


@pytest.mark.parametrize("kind", ["huge-weight", "tiny-target", "deep"])
async def test_a_record_with_huge_numbers_is_listed_as_failed_and_the_app_lives(folder, kind):
    (folder / "00-坏.toml").write_text(BAD_RECORDS[kind](sample_text()), encoding="utf-8")
    (folder / "99-坏.toml").write_text(BAD_RECORDS[kind](sample_text()), encoding="utf-8")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert sorted(Path(f.file).name for f in main.failures) == ["00-坏.toml", "99-坏.toml"]
        assert len(main.list.entries) == 12
        for _ in range(14):  # ↓ through every project
            await pilot.press("down")
        await pilot.pause()
        text = main.query_one("#failure-text").render().plain
        assert "00-坏.toml" in text and "99-坏.toml" in text
    assert app.return_code in (None, 0)


def test_zipin_exits_non_zero_when_the_app_died(folder, monkeypatch, capsys):
    def explode(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(MainScreen, "on_mount", explode)
    run = ZipinApp.run
    monkeypatch.setattr(ZipinApp, "run", lambda self: run(self, headless=True, size=SIZE))
    assert cli.main([str(folder)]) == 1


async def test_quit_discarding_in_a_read_only_folder_closes_cleanly(folder: Path, monkeypatch):
    """QA (tmux, the samples on a read-only bind mount: an amount typed, Ctrl+Q, 放弃修改并退出):
    the app ended with a traceback — removing the (never written) draft raised EROFS, which a
    read-only file system answers even for a file that is not there. Here unlink in the folder
    answers as such a file system does."""
    real = os.unlink

    def read_only(path, *args, **kwargs):
        if str(path).startswith(str(folder)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path, *args, **kwargs)

    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        main.grid.focus()
        await pilot.press("7", "enter")
        assert main.unsaved()
        monkeypatch.setattr(os, "unlink", read_only)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    monkeypatch.setattr(os, "unlink", real)
    assert app.return_code == 0
