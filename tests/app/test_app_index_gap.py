"""Keys and damage while a warm start's lines are being checked against their files (issue 16):
the lines off screen are read in the loading thread, never all in the UI thread; a damaged index
row is read from its file, never a crash; Ctrl+R, a sort and Ctrl+Q meanwhile leave no stale line."""

from __future__ import annotations

import threading
from pathlib import Path

from pilot import SIZE, ready, until
from tui.core.rules import load_rules
from tui.core.validation import assess
from tui.store import recordfile
from tui.store.index import FolderIndex
from tui.ui.app import ZipinApp
from tui.ui.screens.documents import entry_for
from test_app_index_check import COUNT, change, folder_of, warm


def truth(path: Path):
    """The list line of `path` made from its record as it is now."""
    project = recordfile.load(path).project
    return entry_for(str(path), project, assess(project, load_rules(project.rules)), path.name, False)


def gate(monkeypatch) -> threading.Event:
    """The loading thread's checks wait until the event is set: the gap, held open."""
    release = threading.Event()
    vouches = FolderIndex.vouches

    def slow_vouches(self, path, row):
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(10)
        return vouches(self, path, row)

    monkeypatch.setattr(FolderIndex, "vouches", slow_vouches)
    return release


async def in_gap(pilot, app):
    await until(pilot, lambda: app.main is not None and len(app.main.list.entries) == COUNT)
    await pilot.pause()
    return app.main


async def test_the_lines_off_screen_are_not_read_in_the_ui_thread(tmp_path, monkeypatch):
    """The loading thread's worker was made without a description, so Textual took the repr of
    its arguments: every one of 10,000 lines read in the UI thread (~90 ms) after the first frame."""
    folder = folder_of(tmp_path)
    await warm(folder)
    release = gate(monkeypatch)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await in_gap(pilot, app)
        last = main.list.entries[str(folder / f"{COUNT:03d}.toml")]
        assert "_text" in last.__dict__  # its row not read yet: the loading thread reads it
        release.set()
        main = await ready(pilot)
        assert "_text" not in last.__dict__ and not main.list.unchecked


async def test_a_damaged_row_on_screen_or_off_is_read_from_its_file_even_sorted_meanwhile(
        tmp_path, monkeypatch):
    import sqlite3

    from tui.store.index import INDEX

    folder = folder_of(tmp_path)
    await warm(folder)
    db = sqlite3.connect(folder / INDEX)
    db.execute("UPDATE records SET line = 'garbage' WHERE file = '002.toml'")  # its stamp unread
    db.execute("UPDATE records SET line = substr(line, 1, instr(line, char(31)) + 3) "
               "WHERE file = '003.toml'")
    db.execute("UPDATE records SET line = substr(line, 1, instr(line, char(31)) + 3) "
               "WHERE file = '055.toml'")  # off screen: its stamp whole, the rest cut short
    db.execute("UPDATE records SET line = replace(line, '.', 'x') WHERE file = '056.toml'")
    db.commit()
    db.close()
    release = gate(monkeypatch)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await in_gap(pilot, app)
        for n in ("002", "003"):
            assert main.list.entries[str(folder / f"{n}.toml")] == truth(folder / f"{n}.toml")
        main.action_sort("total")  # every line's total asked for: a damaged one is blank, unshown
        await pilot.press("end")
        await pilot.pause()
        release.set()
        main = await ready(pilot)
        assert not main.list.unchecked and not main.failures
        for n in ("002", "003", "055", "056"):
            assert main.list.entries[str(folder / f"{n}.toml")] == truth(folder / f"{n}.toml")
        totals = [e.total for e in main.list.rows]
        assert totals == sorted(totals, reverse=True)


async def test_a_listed_file_gone_then_back_is_listed_again_by_ctrl_r(tmp_path):
    """Its line left the list when it could not be read; put back (a new inode: not vouched for),
    Ctrl+R read it as a listed one, unassessed, and the app died (AttributeError)."""
    folder = folder_of(tmp_path)
    await warm(folder)
    app = ZipinApp(folder)
    last = folder / f"{COUNT:03d}.toml"
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        text = last.read_bytes()
        last.unlink()
        main.list.select_key(str(last))  # opened: it can't be read, its line leaves
        await pilot.pause(0.3)
        assert str(last) not in main.list.entries
        last.write_bytes(text)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: str(last) in main.list.entries)
        assert main.list.entries[str(last)] == truth(last)


async def test_last_years_record_is_never_one_whose_id_changed_behind_the_index(tmp_path,
                                                                                 monkeypatch):
    """F4/F5 look for last year's record by the id on each line; a line not checked yet may hold
    an id its file no longer has (the file replaced by another project): that file's record was
    taken as last year's, its figures shown beside this year's."""
    from dataclasses import replace
    import uuid

    folder = folder_of(tmp_path)
    first, last = folder / "001.toml", folder / f"{COUNT:03d}.toml"
    old = recordfile.load(last).project
    successor = replace(recordfile.load(first).project, predecessor=old.id)
    first.write_text(recordfile.dumps(successor, first), encoding="utf-8")
    await warm(folder)
    other = replace(old, id=str(uuid.uuid4()), name="另一个项目")  # last's file now holds another
    last.write_text(recordfile.dumps(other, last), encoding="utf-8")
    release = gate(monkeypatch)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await in_gap(pilot, app)
        await until(pilot, lambda: main.doc is not None)
        assert main.doc.project.predecessor == old.id and str(last) in main.list.unchecked
        found = main.handin.last_year(main.doc.project)
        assert found is None or found.id == old.id
        release.set()
        await ready(pilot)


async def test_a_racily_clean_change_on_screen_and_off_is_caught(tmp_path, monkeypatch):
    """A clock so coarse that a same-size change in place keeps every stamp: only the digest
    tells, for a line checked before the first frame and one checked in the loading thread."""
    import tui.store.index as I

    monkeypatch.setattr(I, "stamp_of", lambda st: (st.st_size, 0, 0, st.st_ino))
    monkeypatch.setattr(I, "RACY_NS", 10**30)  # every row was written in its file's tick
    folder = folder_of(tmp_path)
    await warm(folder)
    changed = [folder / "002.toml", folder / f"{COUNT - 1:03d}.toml"]
    for path in changed:
        before = path.read_bytes()
        after = before.replace(b'adjusted = "', b'adjusted = "1', 1).replace(  # same size
            b'weight = "10.00"\n', b'weight = "10.0"\n', 1)
        assert len(after) == len(before) and after != before
        with open(path, "r+b") as f:  # in place: the same inode
            f.write(after)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        for path in changed:
            assert main.list.entries[str(path)] == truth(path)


async def test_ctrl_c_and_ctrl_q_in_the_gap(tmp_path, monkeypatch):
    """End opens the last line (its record read: checked), Ctrl+C copies its figures as its file
    has them; Ctrl+Q quits, the loading thread let go."""
    folder = folder_of(tmp_path)
    await warm(folder)
    change(folder / f"{COUNT:03d}.toml")  # behind the index: its row's figures are stale
    release = gate(monkeypatch)
    app = ZipinApp(folder)
    copied: list[str] = []
    monkeypatch.setattr(ZipinApp, "copy_to_clipboard", lambda self, text: copied.append(text))
    async with app.run_test(size=SIZE) as pilot:
        main = await in_gap(pilot, app)
        main.list.focus()
        await pilot.press("end", "ctrl+c")
        await pilot.pause()
        last = folder / f"{COUNT:03d}.toml"
        assert main.list.current_key == str(last) and main.list.unchecked
        assert len(copied) == 1 and f"\t{truth(last).total:.2f}\t" in copied[0]
        await pilot.press("ctrl+q")
        release.set()
        await pilot.pause(0.2)
    assert app.return_code in (0, None)


async def test_a_line_replaced_by_a_bundle_and_opened_in_the_gap_leaves_without_a_failure(
        tmp_path, monkeypatch):
    """Opened before the loading thread checked it, the file was read as a record and listed as
    a failure (“字段 generator：未知字段”) where a start skips a bundle: now its line just goes."""
    from tui.exchange.bundle import export_to_file

    folder = folder_of(tmp_path)
    await warm(folder)
    last = folder / f"{COUNT:03d}.toml"
    export_to_file(folder, [recordfile.load(folder / "001.toml")], last, made_by="测试")
    release = gate(monkeypatch)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await in_gap(pilot, app)
        main.list.focus()
        await pilot.press("end")
        await until(pilot, lambda: str(last) not in main.list.entries)
        assert not main.failures
        release.set()
        main = await ready(pilot)
        assert not main.failures and len(main.list.entries) == COUNT - 1 and not main.list.unchecked


async def test_f9_while_the_lines_are_checked_says_why_it_waits(tmp_path, monkeypatch):
    from pilot import messages

    folder = folder_of(tmp_path)
    await warm(folder)
    release = gate(monkeypatch)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await in_gap(pilot, app)
        await pilot.press("f9")
        await pilot.pause()
        assert any("仍在载入项目" in m for m in messages(app))
        release.set()
        await ready(pilot)


async def test_a_folder_given_as_dot_keeps_a_stale_line_in_its_place(tmp_path, monkeypatch):
    """`zipin .`: the index spelled its keys "./001.toml", a record read "001.toml"; a line found
    stale was listed again under the other key, at the end of the list (its own one dropped)."""
    folder = folder_of(tmp_path)
    monkeypatch.chdir(folder)
    await warm(Path("."))
    change(folder / "002.toml")
    app = ZipinApp(Path("."))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        keys = [e.key for e in main.list.rows]
        assert keys == [str(Path(".") / f"{i + 1:03d}.toml") for i in range(COUNT)]
        assert main.list.entries["002.toml"] == truth(Path("002.toml"))
