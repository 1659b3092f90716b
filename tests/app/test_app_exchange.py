"""Exchange in the app (issues 5 and 7): export, import a bundle through the review screen, import
printed forms' text through the preview. Keys through Pilot, on copies in tmp_path; each test
checks what is on screen and what reaches the disk.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tui.exchange import bundle as B
from tui.exchange import bundleapply, bundleplan, ledger
from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import ChoiceDialog, PathDialog
from tui.ui.screens.review import ImportReviewScreen
from tui.ui.screens.textpreview import TextPreviewScreen
from tui.store.recordfile import load, load_folder
from tui.store.saving import save

from conftest import NO_SEED, SEED, copy_samples
from pilot import SIZE, answer_path, messages, plain, ready, until

INFO = "信息化运维项目"  # samples/2023/12-…
INFO_FILE = "12-信息化运维项目.toml"


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    return copy_samples(tmp_path / "mine")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the folder, but the index (a cache the app writes as it reads: tui.store.index)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith("index.sqlite")}


def edit(folder: Path, name: str, **changes) -> None:
    loaded = next(r for r in load_folder(folder).records if r.project.name == name)
    save(replace(loaded.project, **changes), loaded.path, loaded.digest)


def exchanged_pair(tmp_path: Path, mine: Path) -> Path:
    """A colleague's folder that took in all of `mine` once (both ledgers know the versions)."""
    theirs = tmp_path / "theirs"
    sent = tmp_path / "sent.toml"
    B.export_to_file(mine, load_folder(mine).records, sent, made_by="张三")
    plan = bundleplan.plan_import(B.load_bundle(sent), load_folder(theirs), theirs)
    bundleapply.apply_import(plan)
    return theirs


def bundle_of(folder: Path, out: Path) -> Path:
    B.export_to_file(folder, load_folder(folder).records, out, made_by="李四")
    return out


# ---------------------------------------------------------------------------------------------
# export


async def test_export_all_then_the_marked_ones(mine: Path, tmp_path: Path):
    out = tmp_path / "all.toml"
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, PathDialog))
        dialog = app.screen
        assert "导出全部 12 个项目" in dialog.message.plain
        assert dialog.query_one(Input).value == str(tmp_path / "2023-上海市残疾人联合会-自评.toml")
        await answer_path(pilot, out)
        await until(pilot, lambda: any("已导出 12 个项目" in m for m in messages(app)))
        assert app.screen is main
        bundle = B.load_bundle(out)
        assert len(bundle.records) == 12
        assert set(ledger.read_ledger(mine)) == {r.id for r in bundle.records}  # note_exported
        # Space marks two projects (the cursor moves on); Ctrl+E now takes only those.
        await pilot.press("space", "space")
        assert len(main.list.marked) == 2
        assert "（12，✓2）" in main.list.render_line(0).text
        assert main.list.render_line(1).text.startswith("✓")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, PathDialog))
        assert "导出已标记的 2 个项目" in app.screen.message.plain
        # The dialog names what will go out.
        assert "残疾人基本保障和帮扶经费、残疾人基层组织建设和助残工作经费" in app.screen.message.plain
        # The last bundle is the default: an existing file takes a second Enter.
        assert app.screen.query_one(Input).value == str(out)
        await pilot.press("enter")
        assert "再按 Enter 覆盖" in plain(app.screen.query_one("#path-error"))
        await pilot.press("enter")
        await until(pilot, lambda: any("已导出 2 个项目" in m for m in messages(app)))
    names = [r.project.name for r in B.load_bundle(out).records]
    assert names == ["残疾人基本保障和帮扶经费", "残疾人基层组织建设和助残工作经费"]


async def test_export_takes_the_saved_version_and_says_so(mine: Path, tmp_path: Path):
    out = tmp_path / "saved.toml"
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        main.query_one("#head-department").focus()
        await pilot.press("ctrl+u", *"未保存的部门", "enter")
        assert main.doc.dirty
        main.list.focus()
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, PathDialog))
        assert "未保存的修改" in app.screen.message.plain
        assert "残疾人基本保障和帮扶经费" in app.screen.message.plain
        await answer_path(pilot, out)
        await until(pilot, out.exists)
    departments = {r.project.department for r in B.load_bundle(out).records}
    assert departments == {"上海市残疾人联合会"}


# ---------------------------------------------------------------------------------------------
# import a bundle


async def test_a_conflict_is_reviewed_and_resolved_by_keys(mine: Path, tmp_path: Path):
    theirs = exchanged_pair(tmp_path, mine)
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, achieved="已完成运维（李四修订）", implementer="李四的单位")
    back = bundle_of(theirs, tmp_path / "back.toml")
    before = snapshot(mine)
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        review = app.screen
        # Every record is listed with its outcome; the cursor starts on the conflict.
        items = review.query_one(OptionList)
        assert items.option_count == 12
        prompts = [str(items.get_option_at_index(i).prompt) for i in range(12)]
        assert sum("相同" in p for p in prompts) == 11
        assert review.item.name == INFO and review.item.status == bundleplan.CONFLICT
        assert "冲突" in prompts[items.highlighted] and "未选择" in prompts[items.highlighted]
        detail = plain(review.query_one("#review-fields"))
        for words in ("实际完成情况", "我这边改过", "已完成运维（李四修订）", "实施单位", "李四的单位"):
            assert words in detail
        # Esc would write nothing; B takes the bundle's version, Ctrl+S confirms.
        await pilot.press("b")
        assert "采用包内版本" in str(items.get_option_at_index(items.highlighted).prompt)
        assert snapshot(mine) == before  # nothing written before the confirmation
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("已导入" in m for m in messages(app)))
        assert app.screen is main
        # The list shows the record as written, without a reload of the folder.
        key = str(mine / INFO_FILE)
        assert main.loaded[key].project.achieved == "已完成运维（李四修订）"
        assert main.list.entries[key].name == INFO
    assert load(mine / INFO_FILE).project.achieved == "已完成运维（李四修订）"
    assert load(mine / INFO_FILE).project.implementer == "李四的单位"


async def test_a_conflict_is_resolved_field_by_field(mine: Path, tmp_path: Path):
    from tui.ui.screens.fields import FieldsScreen

    theirs = exchanged_pair(tmp_path, mine)
    name = "信息化[/x]运维[b]项目"  # markup in user text is shown as it is, never parsed
    path = mine / INFO_FILE
    loaded_mine = load(path)
    save(replace(loaded_mine.project, name=name, achieved="我这边改过"), path, loaded_mine.digest)
    edit(theirs, INFO, achieved="李四修订", implementer="李四的单位")
    back = bundle_of(theirs, tmp_path / "back.toml")
    mine_before = load(mine / INFO_FILE).project
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        review = app.screen
        assert review.item.status == bundleplan.CONFLICT
        items = review.query_one(OptionList)
        await pilot.press("enter", "b", "escape")  # Esc leaves the record's choice as it was
        await until(pilot, lambda: app.screen is review)
        assert "未选择" in str(items.get_option_at_index(items.highlighted).prompt)
        await pilot.press("enter")  # open the record to its fields
        await until(pilot, lambda: isinstance(app.screen, FieldsScreen))
        fields = app.screen
        rows = fields.query_one(OptionList)
        assert rows.option_count == 3  # 项目名称, 实施单位, 实际完成情况: both values of each
        shown = [plain(Static(rows.get_option_at_index(i).prompt)) for i in range(3)]
        assert "项目名称" in shown[0] and name in shown[0] and f"包内：{INFO}" in shown[0]
        assert "实施单位" in shown[1] and "李四的单位" in shown[1]
        assert "● 本机：我这边改过" in shown[2] and "○ 包内：李四修订" in shown[2]
        await pilot.press("m", "b", "m")  # keep my name, take their 实施单位, keep my 实际完成情况
        assert "采用包内 1 处，保留本机 2 处" in plain(fields.query_one("#fields-summary"))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is review)
        assert "逐项：包内 1 处" in str(items.get_option_at_index(items.highlighted).prompt)
        detail = plain(review.query_one("#review-fields"))
        assert "实施单位采用包内的值，其余保留本机" in detail and "✓李四的单位" in detail
        assert load(mine / INFO_FILE).project == mine_before  # nothing written yet
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("已导入" in m for m in messages(app)))
    got = load(mine / INFO_FILE).project
    assert got == replace(mine_before, implementer="李四的单位")
    kept = sorted(p.name.rsplit("-", 1)[1] for p in (mine / ".zipin" / "replaced").glob("*.toml"))
    assert kept == ["包内.toml", "本机.toml"]  # both sides, whole, kept


async def test_keep_mine_and_cancel_write_nothing_of_theirs(mine: Path, tmp_path: Path):
    theirs = exchanged_pair(tmp_path, mine)
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, achieved="李四修订")
    back = bundle_of(theirs, tmp_path / "back.toml")
    before = snapshot(mine)
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        await pilot.press("escape")
        await until(pilot, lambda: any("已取消导入" in m for m in messages(app)))
        assert snapshot(mine) == before
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        await pilot.press("m", "ctrl+s")
        await until(pilot, lambda: any("已导入" in m for m in messages(app)))
    assert load(mine / INFO_FILE).project.achieved == "我这边改过"
    # The set-aside version is remembered: the next import of that bundle finds nothing to ask.
    plan = bundleplan.plan_import(B.load_bundle(back), load_folder(mine), mine)
    assert [i.status for i in plan.items].count(bundleplan.CONFLICT) == 0


async def test_unresolved_conflict_asks_before_importing_the_rest(mine: Path, tmp_path: Path):
    theirs = exchanged_pair(tmp_path, mine)
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, achieved="李四修订")
    edit(theirs, "残疾人事业宣传经费", implementer="只有对方改过")
    back = bundle_of(theirs, tmp_path / "back.toml")
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "还有 1 个冲突没有选择" in app.screen.message.plain
        await pilot.press("w")  # import the rest
        await until(pilot, lambda: any("1 个冲突未选择" in m for m in messages(app)))
    assert load(mine / INFO_FILE).project.achieved == "我这边改过"
    assert {r.project.implementer for r in load_folder(mine).records
            if r.project.name == "残疾人事业宣传经费"} == {"只有对方改过"}


async def test_a_file_changed_during_the_review_is_planned_again(mine: Path, tmp_path: Path):
    theirs = exchanged_pair(tmp_path, mine)
    edit(theirs, INFO, achieved="李四修订")
    back = bundle_of(theirs, tmp_path / "back.toml")
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        assert app.screen.item.status == bundleplan.SAME  # no conflict: the cursor is on the first record
        first = app.screen
        edit(mine, INFO, achieved="别的程序在核对期间改了它")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen) and app.screen is not first)
        assert any("在核对期间被修改" in m for m in messages(app))
        review = app.screen
        assert review.item.name == INFO and review.item.status == bundleplan.CONFLICT  # planned again
        await pilot.press("escape")
    assert load(mine / INFO_FILE).project.achieved == "别的程序在核对期间改了它"


async def test_unsaved_edits_of_an_updated_record_are_not_clobbered(mine: Path, tmp_path: Path):
    theirs = exchanged_pair(tmp_path, mine)
    edit(theirs, INFO, achieved="李四修订")
    back = bundle_of(theirs, tmp_path / "back.toml")
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        key = str(mine / INFO_FILE)
        main.list.select_key(key)
        await pilot.pause()
        main.query_one("#head-department").focus()
        await pilot.press("ctrl+u", *"我正在改", "enter")
        main.list.focus()
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        review = app.screen
        items = review.query_one(OptionList)
        index = next(i for i, item in enumerate(review.plan.items) if item.name == INFO)
        assert review.plan.items[index].status == bundleplan.UPDATE
        assert "＊" in str(items.get_option_at_index(index).prompt)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "编辑中的内容保持不变" in app.screen.message.plain
        await pilot.press("o")
        assert main.doc.project.department == "我正在改" and main.doc.dirty
        # Saving now asks: the file changed on disk (it holds the import).
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("k")
    assert load(mine / INFO_FILE).project.achieved == "李四修订"
    assert load(mine / INFO_FILE).project.department == "上海市残疾人联合会"


async def test_a_tampered_bundle_is_refused_and_nothing_is_written(mine: Path, tmp_path: Path):
    theirs = exchanged_pair(tmp_path, mine)
    edit(theirs, INFO, achieved="李四修订")
    back = bundle_of(theirs, tmp_path / "back.toml")
    back.write_text(back.read_text(encoding="utf-8").replace("李四修订", "李四修订[/x]"), encoding="utf-8")
    before = snapshot(mine)
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        message = app.screen.message.plain
        assert "back.toml" in message and INFO in message and "校验值" in message
        assert "未写入任何文件" in message
        await pilot.press("enter")
        assert app.screen is main
    assert snapshot(mine) == before


async def test_a_plan_with_problems_can_not_be_confirmed(mine: Path, tmp_path: Path):
    theirs = exchanged_pair(tmp_path, mine)
    back = bundle_of(theirs, tmp_path / "back.toml")
    (mine / "99-[bold]坏.toml").write_text("not toml [", encoding="utf-8")  # the bundle may hold it
    before = snapshot(mine)
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, back)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        summary = plain(app.screen.query_one("#review-summary"))
        assert "99-[bold]坏.toml" in summary and "不能导入" in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportReviewScreen)
        assert any("不能导入" in m for m in messages(app))
        await pilot.press("escape")
    assert snapshot(mine) == before


async def test_the_palette_offers_the_exchange(mine: Path):
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
    for title in ("交换：导出…", "交换：导入…", "交换：导入纸质表文本…", "项目列表：清除标记"):
        assert title in titles


async def test_a_missing_file_is_named_in_the_path_dialog(mine: Path, tmp_path: Path):
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, tmp_path / "nowhere.toml")
        assert isinstance(app.screen, PathDialog)
        assert "文件不存在" in plain(app.screen.query_one("#path-error"))
        await pilot.press("escape")


# ---------------------------------------------------------------------------------------------
# import printed forms' text


@pytest.mark.skipif(not SEED.is_file(), reason=NO_SEED)
async def test_import_text_of_the_seed_previews_twelve_forms_and_writes_them(tmp_path: Path):
    folder = tmp_path / "empty"
    folder.mkdir()
    source = tmp_path / "2023-seed.txt"
    shutil.copy(SEED, source)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        assert not main.list.entries
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"导入纸质表文本")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await answer_path(pilot, source)
        await until(pilot, lambda: isinstance(app.screen, TextPreviewScreen))
        preview = app.screen
        assert len(preview.plan.forms) == 12 and preview.plan.writable
        summary = plain(preview.query_one("#preview-summary"))
        assert "找到 12 张表" in summary and "全部可以导入" in summary
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "残疾人基本保障和帮扶经费" in shown and "与表上一致" in shown
        assert list(folder.iterdir()) == []  # nothing before the confirmation
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("已导入 12 张表" in m for m in messages(app)))
        assert app.screen is main
        assert len(main.list.entries) == 12
        assert main.current is not None and main.doc.project.year == 2023
    records = load_folder(folder)
    assert len(records.records) == 12 and not records.failures


async def test_import_text_of_a_cut_form_writes_nothing(tmp_path: Path, mine: Path):
    if not SEED.is_file():
        pytest.skip(NO_SEED)
    seed = SEED.read_text(encoding="utf-8")
    source = tmp_path / "2023-cut.txt"
    source.write_text(seed[:seed.index("残联微博\n粉丝量")], encoding="utf-8")
    before = snapshot(mine)
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        main.action_import_text()
        await answer_path(pilot, source)
        await until(pilot, lambda: isinstance(app.screen, TextPreviewScreen))
        assert not app.screen.plan.writable
        assert "无法导入" in plain(app.screen.query_one("#preview-summary"))
        await pilot.press("ctrl+s")  # refused
        assert isinstance(app.screen, TextPreviewScreen)
        await pilot.press("escape")
    assert snapshot(mine) == before
