"""A clerk's day on main (session 5): defects found using the app as a new user, each by keys
and checked on what the app shows or holds."""

from __future__ import annotations

from pathlib import Path

from pilot import SIZE, plain, ready, until
from test_app_small import assert_nothing_cut, line
from textual.widgets import Static

from conftest import OTHER, copy_samples
from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import HelpScreen


async def export_and_review(pilot, bundle: Path) -> None:
    """Ctrl+E every project into `bundle`, then Ctrl+O it back: its review is up."""
    from pilot import answer_path

    from tui.ui.screens.review import ImportReviewScreen

    await pilot.press("ctrl+e")
    await answer_path(pilot, bundle)
    await until(pilot, lambda: bundle.exists())
    await pilot.press("ctrl+o")
    await answer_path(pilot, bundle)
    await until(pilot, lambda: isinstance(pilot.app.screen, ImportReviewScreen))


async def test_tab_from_the_list_goes_to_the_name_and_shift_tab_comes_back(folder: Path):
    """Tab from the project list went to the problems panel (F6 to the header): 项目名称 was two
    keys away and not where a clerk looks. Tab opens the project under the cursor at 项目名称,
    as Enter does; Shift+Tab there goes back to the list; F1 says so."""
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert main.focused is main.list
        await pilot.press("down", "tab")
        assert main.focused is not None and main.focused.id == "head-name"
        assert main.doc.project.name == "残疾人基层组织建设和助残工作经费"
        await pilot.press("tab")  # on along the header as before
        assert main.focused.id == "head-year"
        await pilot.press("shift+tab", "shift+tab")
        assert main.focused is main.list
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = plain(app.screen.query_one(Static))
        assert "到编辑区（项目名称）" in help_text and "项目名称：回到项目列表" in help_text


async def test_tab_from_the_list_over_the_editor_opens_the_project(folder: Path):
    """At 80×24 the list brought back by Ctrl+B covers the editor: Tab there opens the project
    at 项目名称 and the list folds away, as Enter does."""
    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+b")
        assert main.focused is main.list and not main.editor.display
        await pilot.press("down", "down", "tab")
        assert main.focused is not None and main.focused.id == "head-name"
        assert main.editor.display and not main.left.display
        assert main.doc.project.name == "残疾人教育和就业经费"
        await pilot.press("shift+tab")  # the list is folded: Shift+Tab moves as anywhere else
        assert main.focused is not None and main.focused is not main.list


async def test_tab_from_an_empty_list_moves_on(tmp_path: Path):
    """A folder with no project yet: Tab leaves the list (nothing to open)."""
    app = ZipinApp(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert main.focused is main.list
        await pilot.press("tab")
        assert main.focused is not main.list


async def test_room_kept_for_a_recorded_score_gives_way_first_at_80_columns(tmp_path: Path):
    """A record with a recorded score (湖北鄂州: 18 (算 17)) kept 得分 16 cells wide at 80×24 for
    any "(算 …)" typing might bring, and cut 年度指标值 / 实际完成值 and 三级指标 to 6 cells. That
    room goes first now; with room to spare (160×48, the list folded) it is kept."""
    from tui.ui.widgets.grid.columns import COLUMN_OF, OVERRIDE_WIDTH

    folder = copy_samples(tmp_path / "other", OTHER)
    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(pilot)
        assert main.doc.project.name == "市民中心运行维护费"
        grid = main.grid
        await pilot.pause()
        heading = line(grid, 0)
        assert "年度指标值" in heading and "实际完成值" in heading, heading
        assert "18 (算 17)" in line(grid, 1)
        assert grid._painter.layout.widths[COLUMN_OF["name"]] >= 10
        assert_nothing_cut(main)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: not main.left.display)
        await pilot.pause()
        assert main.grid._painter.layout.widths[COLUMN_OF["score"]] >= OVERRIDE_WIDTH


async def test_a_key_typed_right_behind_enter_in_the_path_dialog_stays_out_of_the_path(
        folder: Path, tmp_path: Path):
    """tmux: Ctrl+O, the bundle's path, Enter and b sent together: the b went into the path
    before Enter was taken (“….tomlb”, 文件不存在) — Enter is a binding, run once the key has
    bubbled to the app, the b inserted at once. The path box takes its own keys in order now."""
    from test_app_keys import queued

    from tui.ui.screens.dialogs import PathDialog
    from tui.ui.screens.review import ImportReviewScreen

    bundle = tmp_path / "b.toml"
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, PathDialog))
        app.screen.query_one("#path").value = str(bundle)
        await pilot.press("enter")
        await until(pilot, lambda: bundle.exists())
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, PathDialog))
        app.screen.query_one("#path").value = str(bundle)
        await queued(pilot, ["enter", "b"])
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))


async def test_the_review_shows_a_total_no_longer_stated_as_the_rows_sum(tmp_path: Path):
    """An amount typed into 当年财政拨款 makes 年度资金总额 the rows' sum (no longer stated in the
    file); the import review then said 年度资金总额的年初预算数 1248.00 | 包内（无）, as if the
    colleague's record had no budget. It says （未填：各行合计 1248.00）, and the executed total
    the sum of the new amount."""
    from pilot import answer_path, cell, to_cell

    from tui.ui.screens.dialogs import PathDialog
    from tui.ui.screens.review import ImportReviewScreen

    theirs, mine = copy_samples(tmp_path / "theirs"), copy_samples(tmp_path / "mine")
    bundle = tmp_path / "b.toml"
    app = ZipinApp(theirs)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await to_cell(pilot, "funding.appropriation.executed")
        await pilot.press(*"1240", "enter", "ctrl+s")
        assert cell(main, "funding.total.executed") == "1,240.00"
        assert main.doc.project.funding.stated_total is None
        await pilot.press("ctrl+e")
        await answer_path(pilot, bundle)
        await until(pilot, lambda: bundle.exists())
    app = ZipinApp(mine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await answer_path(pilot, bundle)
        await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
        await pilot.pause()
        detail = plain(app.screen.query_one("#review-fields", Static), width=200)
        assert "（未填：各行合计 1248.00）" in detail and "（未填：各行合计 1240.00）" in detail
        assert "（无）" not in detail
        assert "双方都改过，或此前没有交换过" in detail  # the two copies were never exchanged
        await pilot.press("enter")  # field by field: the whole total row named, not funding.total
        await until(pilot, lambda: type(app.screen).__name__ == "FieldsScreen")
        await pilot.pause()
        rows = app.screen.query_one("#fields-list")
        listed = "\n".join(plain(Static(rows.get_option_at_index(i).prompt), width=160)
                            for i in range(rows.option_count))
        assert "年度资金总额" in listed and "funding.total" not in listed, listed
        assert "包内：（未填：各行合计）" in listed
        assert not isinstance(app.screen, PathDialog)


async def test_f1_on_the_import_review_lists_the_reviews_keys(folder: Path, tmp_path: Path):
    """F1 on an import's review listed the editor's keys (Ctrl+S 保存, F5 打印预览…) — there Ctrl+S
    is 确认导入 and B / M choose a side. It lists the review's own keys, then the app's."""


    bundle = tmp_path / "b.toml"
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await export_and_review(pilot, bundle)
        review = app.screen
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = plain(app.screen.query_one(Static))
        for words in ("本页", "b", "采用包内版本", "Ctrl+S", "确认导入", "逐项选择", "Ctrl+Q", "退出"):
            assert words in help_text, words
        assert "保存" not in help_text and "打印预览" not in help_text
        await pilot.press("f1")  # F1 again closes it, as Esc does
        await until(pilot, lambda: app.screen is review)


async def test_the_path_dialog_fits_80_columns_and_keeps_its_warning_in_sight(folder: Path):
    """At 80×24 the path dialog (96 wide) ran off the screen's right edge, and the list of projects
    above the path pushed its last lines out of the box: 文件已存在：再按 Enter 覆盖它 was not
    shown, the first Enter seemed to do nothing. The box fits the width, the list gives way."""
    from test_app_polish import shown

    from tui.ui.screens.dialogs import PathDialog

    existing = folder.parent / "b.toml"
    existing.write_text("", encoding="utf-8")
    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, PathDialog))
        box = app.screen.query_one("#path")
        box.value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog) and existing.read_text(encoding="utf-8") == ""
        drawn = shown(app)
        assert "文件已存在：再按 Enter 覆盖它" in drawn and "Enter 导出，Esc 取消" in drawn
        assert app.screen.query_one("Vertical").region.right <= 80


async def test_the_import_review_at_80_columns_leaves_room_for_the_differences(folder: Path,
                                                                               tmp_path: Path):
    """At 80×24 the review's list of records kept 64 columns and left the differences 14, one
    word to a line (编号 e36c104b-7 / 28e-4437-9…). The list takes at most half."""


    bundle = tmp_path / "b.toml"
    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await export_and_review(pilot, bundle)
        await pilot.pause()
        assert app.screen.query_one("#review-detail").region.width >= 38
        assert app.screen.query_one("#review-items").region.width >= 30


async def test_a_figure_typed_right_behind_an_arrow_goes_into_the_cell_moved_to(folder: Path):
    """Keys that come together (a fast typist, a busy machine, a laggy SSH link): → 5 Enter in
    the funding table put the 5 into 年初预算数, the cell the arrow was leaving — a wrong figure,
    silently — since Textual runs a widget's bound keys only once they have bubbled to the app
    and the 5 started an edit at once (textual#6605). Both tables take their keys in order."""
    from pilot import to_cell
    from test_app_keys import queued

    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        before = main.doc.project.funding.appropriation
        await to_cell(pilot, "funding.appropriation.budget")
        await queued(pilot, ["right", "5", "enter"])
        now = main.doc.project.funding.appropriation
        assert (now.budget, str(now.adjusted)) == (before.budget, "5")
        main.grid.focus()
        await pilot.pause()
        actuals = [i.actual for i in main.doc.project.indicators]
        await queued(pilot, ["down", "9", "enter"])  # the cursor on the first 实际完成值
        now_actuals = [i.actual for i in main.doc.project.indicators]
        assert now_actuals[0] == actuals[0] and now_actuals[2:] == actuals[2:]
        assert now_actuals[1] == "9(人次)"  # the second row's, with its target's unit


async def test_keys_behind_an_arrow_that_leaves_a_header_field_follow_the_focus(folder: Path):
    """tmux: Tab from the list, then ↓ → → 1200 sent together: ↓ left 项目名称 for the funding
    table by a message, the focus moved a moment later, and → → 1200 had been queued for 项目名称
    meanwhile — they walked to 年度 and made it 1200 (saved so with Ctrl+S). The form box moves
    the focus at once, and keys queued for the field left go on to the table."""
    from test_app_keys import queued

    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("tab")
        assert main.focused.id == "head-name"
        await queued(pilot, ["down", "right", "right", "1", "2", "0", "0", "enter"])
        await pilot.pause()
        project = main.doc.project
        assert project.year == 2023 and project.name == "残疾人基本保障和帮扶经费"
        assert str(project.funding.appropriation.executed) == "1200"
        assert main.focused is main.funding
        funding = main.doc.project.funding
        await queued(pilot, ["up", "up", "up", "up", "x"])  # ↑ off the table's first line
        assert main.focused.id == "head-name" and main.query_one("#head-name").value == "x"
        assert not main.funding.editing and main.doc.project.funding == funding
