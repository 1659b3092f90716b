"""A warm start checks the index's lines against their files (issue 16) in two steps: those on
screen before the first frame, the others in the loading thread. Until its file is checked a
line is drawn without its figures and the year line adds nothing up; a file changed behind the
index, even after the folder was listed, is read and its line made from the record."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from pathlib import Path

from pilot import SIZE, ready, until
from tui.core.rules import load_rules
from tui.core.validation import assess
from tui.store import recordfile
from tui.store.index import FolderIndex
from tui.store.workspace import Workspace
from tui.ui.app import ZipinApp
from tui.ui.screens.documents import entry_for
from conftest import SAMPLES

COUNT = 60  # more than a screenful at 160x48


def folder_of(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    sources = [recordfile.load(p).project for p in recordfile.record_files(SAMPLES)]
    for i in range(COUNT):
        base = sources[i % len(sources)]
        project = replace(base, id=str(uuid.uuid4()), name=f"{base.name}（{i + 1:03d}）")
        path = folder / f"{i + 1:03d}.toml"
        path.write_text(recordfile.dumps(project, path), encoding="utf-8")
    return folder


def change(path: Path) -> None:
    """Another program changes a record: its first indicator's actual value, so its total."""
    project = recordfile.load(path).project
    changed = project.with_indicator(0, reason="说明", actual="0.00(人)")
    path.write_text(recordfile.dumps(changed, path), encoding="utf-8")


def line_text(main, key: str) -> str:
    """The list's line of `key` as drawn now (scrolled into view)."""
    projects = main.list
    projects.select_key(key)
    y = projects.on_screen(projects.size.height).index(key) + 1
    return "".join(seg.text for seg in projects.render_line(y))


async def warm(folder: Path) -> None:
    async with ZipinApp(folder).run_test(size=SIZE) as pilot:
        await ready(pilot)


async def test_lines_not_checked_show_no_figure_and_a_file_changed_after_the_listing_is_read(
        tmp_path, monkeypatch):
    folder = folder_of(tmp_path)
    await warm(folder)
    last = folder / f"{COUNT:03d}.toml"
    listing = Workspace.listing

    def listing_then_change(self, check=True):
        found = listing(self, check)
        change(last)  # after the folder was listed, before its line is checked
        return found

    monkeypatch.setattr(Workspace, "listing", listing_then_change)
    release = threading.Event()
    vouches = FolderIndex.vouches

    def slow_vouches(self, path, row):  # the loading thread's checks wait for the test
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(10)
        return vouches(self, path, row)

    monkeypatch.setattr(FolderIndex, "vouches", slow_vouches)
    before = recordfile.load(last).project
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.main is not None and len(app.main.list.entries) == COUNT)
        await pilot.pause()
        main = app.main
        on_screen = main.list.on_screen(main.list.size.height)
        assert on_screen and not set(on_screen) & main.list.unchecked  # checked before shown
        assert str(last) in main.list.unchecked
        text = line_text(main, str(last))
        assert "核对中" in text and main.list.entries[str(last)].name[:4] not in text
        assert "正在核对" in main.left._year_text  # no sum of lines not checked
        release.set()
        main = await ready(pilot)
        assert not main.list.unchecked
        project = recordfile.load(last).project
        truth = entry_for(str(last), project, assess(project, load_rules(project.rules)), last.name,
                          False)
        assert project != before and main.list.entries[str(last)] == truth  # the record's figures
        text = line_text(main, str(last))
        assert truth.name[:6] in text and f"{truth.total:.2f}" in text
        assert f"2023年 {COUNT} 项" in main.left._year_text


async def test_a_line_found_stale_on_screen_before_the_first_frame_is_made_from_its_record(
        tmp_path):
    folder = folder_of(tmp_path)
    await warm(folder)
    second = folder / "002.toml"
    change(second)
    project = recordfile.load(second).project
    truth = entry_for(str(second), project, assess(project, load_rules(project.rules)), second.name,
                      False)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.main is not None and len(app.main.list.entries) == COUNT)
        main = app.main
        assert str(second) not in main.list.unchecked and main.list.entries[str(second)] == truth
        await ready(pilot)
        assert main.list.entries[str(second)] == truth


async def test_a_listed_record_replaced_by_a_bundle_behind_the_index_leaves_the_list(tmp_path):
    """Off screen, so found in the loading thread; read again it is no project: its line goes,
    and the year line adds up the others."""
    from tui.exchange.bundle import export_to_file

    folder = folder_of(tmp_path)
    await warm(folder)
    last = folder / f"{COUNT:03d}.toml"
    export_to_file(folder, [recordfile.load(folder / "001.toml")], last, made_by="测试")
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert str(last) not in main.list.entries and not main.list.unchecked
        assert len(main.list.entries) == COUNT - 1 and not main.failures
        assert f"2023年 {COUNT - 1} 项" in main.left._year_text
