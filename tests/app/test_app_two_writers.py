"""Two writers on one file: two app instances on the same folder (both running at once, driven by
Pilot), and a file changed, rewritten or deleted on disk while it is open.

A save over a file that changed since it was loaded is refused with the 文件在磁盘上已被修改 dialog
(重新载入 / 继续编辑), by Ctrl+S, by the quit guard's 全部保存并退出 and by 全部保存; the file keeps the
other writer's bytes, checked byte for byte. Nothing is ever silently overwritten.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Button, Input

from tui.store import recordfile, saving
from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import ChoiceDialog
from pilot import ready

SIZE = (160, 48)
FIRST = "01-残疾人基本保障和帮扶经费.toml"
DEPARTMENT = "上海市残疾人联合会"


async def type_into(pilot, field_id: str, text: str) -> None:
    """Tab to a header field, replace its text and press Enter, as a user would."""
    main = pilot.app.main
    for _ in range(60):
        if main.focused is not None and main.focused.id == field_id:
            break
        await pilot.press("f6" if main.focused in (main.funding, main.grid) else "tab")
    else:
        raise AssertionError(f"never reached {field_id}")
    await pilot.press("end", "ctrl+u", *text, "enter")


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    for _ in range(50):  # the dialog is pushed by a worker
        await pilot.pause()
        if isinstance(pilot.app.screen, ChoiceDialog) or not pilot.app.main.doc.dirty:
            return


def is_changed_on_disk_dialog(screen) -> bool:
    if not isinstance(screen, ChoiceDialog) or screen.title_text != "文件在磁盘上已被修改":
        return False
    labels = [str(button.label) for button in screen.query(Button)]
    assert any("重新载入" in label for label in labels) and any("继续编辑" in label for label in labels)
    return True


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_two_apps_on_one_file_never_overwrite_each_other(folder: Path):
    path = folder / FIRST
    original = path.read_bytes()
    a, b = ZipinApp(folder), ZipinApp(folder)
    async with a.run_test(size=SIZE, notifications=True) as pa, \
            b.run_test(size=SIZE, notifications=True) as pb:
        ma, mb = await ready(pa), await ready(pb)
        assert ma.current == mb.current == str(path)
        # Both open the same record; A changes the department, B the implementer.
        await type_into(pa, "head-department", "甲改的部门")
        await type_into(pb, "head-implementer", "乙改的单位")
        await save(pa)
        assert not ma.doc.dirty
        after_a = path.read_bytes()
        assert after_a != original and after_a == recordfile.dumps(ma.doc.project, path).encode()

        # B's save is refused: the dialog, and the file keeps A's bytes.
        await save(pb)
        assert is_changed_on_disk_dialog(b.screen)
        assert path.read_bytes() == after_a
        await pb.press("k")  # 继续编辑: B keeps its edit, unsaved
        await pb.pause()
        assert b.screen is mb and mb.doc.dirty and mb.doc.project.implementer == "乙改的单位"
        assert path.read_bytes() == after_a

        # The quit guard's 全部保存并退出 refuses too, and B stays open with its edit.
        await pb.press("ctrl+q")
        await pb.pause()
        assert isinstance(b.screen, ChoiceDialog) and "退出" in b.screen.title_text
        await pb.press("s")
        await pb.pause()
        assert b.return_code is None and b.screen is mb and mb.doc.dirty
        assert any("已被修改" in m for m in messages(b))
        assert path.read_bytes() == after_a

        # So does 全部保存 (the palette's 文件：全部保存): it asks, and writes nothing.
        mb.action_save_all()
        await pb.pause()
        assert is_changed_on_disk_dialog(b.screen)
        await pb.press("escape")  # Esc is 继续编辑
        await pb.pause()
        assert b.screen is mb and path.read_bytes() == after_a

        # 重新载入: B takes A's version (its own edit can be had back with Ctrl+Z).
        await save(pb)
        assert is_changed_on_disk_dialog(b.screen)
        await pb.press("r")
        await pb.pause()
        assert mb.doc.project == ma.doc.project and not mb.doc.dirty
        assert mb.query_one("#head-department").value == "甲改的部门"
        assert path.read_bytes() == after_a
        # B makes its change again on top of A's, and saves: both changes are in the file.
        await type_into(pb, "head-implementer", "乙改的单位")
        await save(pb)
        assert not mb.doc.dirty and b.screen is mb
        after_b = path.read_bytes()
        saved = recordfile.load(path).project
        assert (saved.department, saved.implementer) == ("甲改的部门", "乙改的单位")

        # Now A holds the stale copy: its next save is refused in turn.
        await type_into(pa, "head-name", "甲的新名称")
        await save(pa)
        assert is_changed_on_disk_dialog(a.screen)
        assert path.read_bytes() == after_b
        await pa.press("k")
        await pa.pause()
        assert a.screen is ma and ma.doc.dirty
    assert path.read_bytes() == after_b


async def test_changes_on_disk_while_open_are_found_at_save(folder: Path):
    path = folder / FIRST
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await type_into(pilot, "head-department", "我的修改")

        # Another program saves through storage (as a second zipin would): refused.
        theirs = recordfile.load(path)
        saving.save(theirs.project.__class__(**{**theirs.project.__dict__, "name": "别人的名称"}),
                     path, theirs.digest)
        their_bytes = path.read_bytes()
        await save(pilot)
        assert is_changed_on_disk_dialog(app.screen)
        await pilot.press("k")
        await pilot.pause()
        assert path.read_bytes() == their_bytes and main.doc.dirty

        # Reloaded, then the same bytes written again (a checkout, a sync tool touching the
        # file): the contents are what was loaded, so the save goes ahead.
        await save(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert main.doc.project.name == "别人的名称"
        os.utime(path, (1, 1))
        path.write_bytes(path.read_bytes())
        await type_into(pilot, "head-department", "再改一次")
        await save(pilot)
        assert app.screen is main and not main.doc.dirty
        assert recordfile.load(path).project.department == "再改一次"
        mine = path.read_bytes()

        # The file deleted while open: the save is refused (it would re-create a file someone
        # removed), and 重新载入 says it can't read the file instead of failing.
        await type_into(pilot, "head-department", "删除之后的修改")
        path.unlink()
        await save(pilot)
        assert is_changed_on_disk_dialog(app.screen)
        assert not path.exists()
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is main and app.return_code is None
        assert main.doc.project.department == "删除之后的修改" and main.doc.dirty
        assert any("无法读取" in m for m in messages(app))

        # A file put back with other contents: still refused, never overwritten.
        path.write_bytes(mine.replace("再改一次".encode(), "第三方".encode()))
        back = path.read_bytes()
        await save(pilot)
        assert is_changed_on_disk_dialog(app.screen)
        await pilot.press("k")
        await pilot.pause()
        assert path.read_bytes() == back
    assert recordfile.load(path).project.department == "第三方"


async def test_after_a_reload_the_focused_fields_caret_is_at_its_end(folder: Path):
    path = folder / FIRST
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await type_into(pilot, "head-implementer", "乙改的单位")  # the caret ends at 5
        loaded = recordfile.load(path)
        saving.save(loaded.project.__class__(**{**loaded.project.__dict__, "name": "别人的名称"}),
                     path, loaded.digest)
        await save(pilot)
        await pilot.press("r")  # 重新载入: the field shows 上海市残疾人联合会 again, still focused
        await pilot.pause()
        field = main.query_one("#head-implementer", Input)
        assert field.has_focus and field.value == DEPARTMENT
        await pilot.press("ctrl+u", *"新单位")
        assert field.value == "新单位"  # now: 新单位人联合会
