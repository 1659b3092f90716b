"""The indicator grid, driven by keys as a person would, in a host app that answers its messages
as the project screen does (tests/grid_host.py). Sample 11 (信息化建设项目) has a recorded score
that differs from the computed one, qualitative targets and long reasons."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from decimal import Decimal

import pytest
from grid_host import GridHost, sample
from textual import events
from textual.app import App
from textual.widgets import OptionList

from tui.core.editing import apply_edit
from tui.core.document import Document
from tui.core.rules import load_rules
from tui.core.validation import assess
from tui.ui.screens.pick import PickScreen
from tui.ui.widgets.grid import COLUMNS, ELLIPSIS, FIELDS, IndicatorGrid, fit

SIZE = (160, 48)


def line_text(grid: IndicatorGrid, y: int) -> str:
    return "".join(segment.text for segment in grid.render_line(y))


def kinds(app: GridHost) -> list[str]:
    return [type(m).__name__ for m in app.messages]


@pytest.fixture
def project():
    return sample("11")


async def test_arrows_move_the_cursor(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        assert grid.has_focus
        assert grid.cursor_path == "indicators[0].actual"
        await pilot.press("down", "down", "right")
        assert grid.cursor_path == "indicators[2].weight"
        await pilot.press("left", "left", "up")
        assert grid.cursor_path == "indicators[1].target"
        await pilot.press("home")
        assert grid.cursor_path == "indicators[1].level1"
        await pilot.press("end", "ctrl+end")
        assert grid.cursor_path == f"indicators[{len(project.indicators) - 1}].reason"
        await pilot.press("up", "ctrl+home")
        assert grid.cursor == (0, "reason")
        # The status line names the cell and shows its whole text.
        assert grid.status_text.startswith("第 1 项指标的偏差原因分析：")
        assert project.indicators[0].reason in grid.status_text


async def test_typing_an_actual_previews_the_score_and_enter_commits(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        assert grid.cell_text(0, "score") == "7.00"  # 70% of =100(%), weight 10
        await pilot.press("5", "0")
        assert grid.editing and grid.edit_text == "50"
        assert grid.cell_text(0, "score") == "5.00"  # previewed while typing
        assert "总分" in str(app.total.render())
        assert app.doc.project.indicators[0].actual == "70.00(%)"  # not committed yet
        assert kinds(app) == ["Preview", "Preview"]
        assert "理解为 50(%)" in grid.status_text
        await pilot.press("enter")
        assert not grid.editing
        assert app.doc.project.indicators[0].actual == "50(%)"
        assert grid.cell_text(0, "score") == "5.00"
        assert grid.cursor_path == "indicators[1].actual"  # Enter moves down
        assert kinds(app)[-1] == "Commit"
        # The row drawn on screen carries the new figures.
        row = line_text(grid, 1)
        assert "50(%)" in row and "5.00" in row


async def test_tab_and_shift_tab_commit_and_move_across(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("8", "0", "tab")
        assert app.doc.project.indicators[0].actual == "80(%)"
        assert grid.cursor_path == "indicators[0].weight"
        await pilot.press("e", "backspace", "backspace", "backspace", "backspace", "backspace", "9", "shift+tab")
        assert app.doc.project.indicators[0].weight == Decimal("9")
        assert grid.cursor_path == "indicators[0].actual"
        assert grid.cell_text(0, "score") == "7.20"  # 80% of weight 9
        await pilot.press("end")
        assert grid.cursor_path == "indicators[0].reason"
        await pilot.press("x", "tab")  # Tab wraps to the next row's first cell
        assert grid.cursor_path == "indicators[1].level1"
        assert app.doc.project.indicators[0].reason.endswith("x")


async def test_tab_without_editing_moves_cell_to_cell_and_never_leaves(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("tab")
        assert grid.has_focus and grid.cursor_path == "indicators[0].weight"
        await pilot.press("tab", "tab", "tab")  # score, reason, then the next row's first cell
        assert grid.cursor_path == "indicators[1].level1"
        await pilot.press("shift+tab")
        assert grid.cursor_path == "indicators[0].reason"
        await pilot.press("ctrl+home", "home", "shift+tab")  # the very first cell: stays
        assert grid.has_focus and grid.cursor_path == "indicators[0].level1"
        last = len(project.indicators) - 1
        await pilot.press("ctrl+end", "end", "tab")  # the very last: stays
        assert grid.has_focus and grid.cursor_path == f"indicators[{last}].reason"
        assert app.doc.project == project  # moving changed nothing


async def test_delete_clears_a_cell_and_undo_brings_it_back(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("end", "delete")  # 偏差原因分析
        assert not grid.editing
        assert app.doc.project.indicators[0].reason == ""
        assert grid.cell_text(0, "reason") == ""
        app.doc.undo()
        assert app.doc.project.indicators[0].reason == project.indicators[0].reason
        await pilot.press("left", "left", "delete")  # 分值 can't be empty: opens, saying why
        assert grid.editing and grid.edit_text == ""
        assert "分值" in grid.status_text
        await pilot.press("escape")
        assert app.doc.project.indicators[0].weight == project.indicators[0].weight


async def test_escape_cancels(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("1", "2")
        assert grid.cell_text(0, "score") == "1.20"
        await pilot.press("escape")
        assert not grid.editing
        assert app.doc.project == project
        assert grid.cell_text(0, "actual") == "70.00(%)"
        assert grid.cell_text(0, "score") == "7.00"
        assert kinds(app)[-1] == "Cancel"
        assert grid.cursor_path == "indicators[0].actual"


async def test_invalid_text_is_marked_and_not_committed(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("1", "O", "0")
        assert grid.editing
        # "1" and "1O" (1 of a unit "O") were taken; "1O0" is not: no Preview for it.
        assert [m.text for m in app.messages] == ["1", "1O"]
        assert "1O0" in grid.status_text and "实际完成值" in grid.status_text
        await pilot.press("enter")
        assert grid.editing and grid.edit_text == "1O0"  # stays, showing why
        assert app.doc.project == project
        assert "Commit" not in kinds(app)
        # The edit field is drawn in the "invalid" style.
        invalid = grid.get_component_rich_style("indicator-grid--editor-invalid")
        assert any(seg.style == invalid for seg in grid.render_line(1))
        await pilot.press("left", "backspace", "0", "enter")
        assert app.doc.project.indicators[0].actual == "100(%)"


async def test_full_width_digits_are_taken_and_shown_as_understood(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("９", "５")
        assert grid.edit_text == "９５"
        assert "理解为 95(%)" in grid.status_text
        assert grid.cell_text(0, "score") == "9.50"
        await pilot.press("enter")
        assert app.doc.project.indicators[0].actual == "95(%)"
        assert grid.cell_text(0, "actual") == "95(%)"


async def test_pick_a_tier_from_the_list(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.goto("indicators[3].name")  # 系统安全性, target 安全 (qualitative)
        assert grid.cell_text(3, "score") == "4.00"
        await pilot.press("t")
        assert isinstance(app.screen, PickScreen)
        assert grid.cursor_path == "indicators[3].actual"
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 1  # the current tier
        await pilot.press("up", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PickScreen)
        assert app.doc.project.indicators[3].actual == "达成指标"
        assert grid.cell_text(3, "score") == "5.00"
        assert grid.cursor_path == "indicators[4].actual"
        # Enter on a qualitative actual opens the list too; a digit picks at once.
        await pilot.press("enter", "3")
        await pilot.pause()
        assert app.doc.project.indicators[4].actual == "未达成指标且效果较差"
        assert grid.cell_text(4, "score") == "2.50"
        # Esc closes the list without a change.
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert app.doc.project.indicators[5].actual == project.indicators[5].actual


async def test_levels_from_the_standard_lists_or_typed(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.goto("indicators[1].level2")
        await pilot.press("enter")
        labels = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert labels[:4] == ["1 数量指标", "2 质量指标", "3 时效指标", "4 成本指标"]
        await pilot.press("3")
        await pilot.pause()
        assert app.doc.project.indicators[1].level2 == "时效指标"
        grid.goto("indicators[0].level1")
        await pilot.press("enter", "end", "enter")  # 其他（自行输入）⋯ opens the editor
        await pilot.pause()
        assert grid.editing and grid.edit_text == "产出指标"
        await pilot.press("ctrl+u", *"自定指标", "enter")
        assert app.doc.project.indicators[0].level1 == "自定指标"
        # Typing on a level cell edits it directly.
        grid.goto("indicators[2].level2")
        await pilot.press(*"专项", "enter")
        assert app.doc.project.indicators[2].level2 == "专项"


async def test_add_delete_with_confirmation_and_move(project):
    app = GridHost(project)
    count = len(project.indicators)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("a")
        await pilot.pause()
        items = app.doc.project.indicators
        assert len(items) == count + 1
        assert items[1].name == "" and items[1].level1 == "产出指标"
        assert grid.cursor_path == "indicators[1].name"
        await pilot.press(*"新指标", "enter")
        assert app.doc.project.indicators[1].name == "新指标"
        # Delete asks first; Esc keeps it.
        grid.goto("indicators[1].name")
        await pilot.press("d")
        assert isinstance(app.screen, PickScreen)
        assert "新指标" in app.screen.title_text
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.doc.project.indicators) == count + 1
        await pilot.press("d", "enter")
        await pilot.pause()
        assert app.doc.project == project
        assert grid.cursor_path == "indicators[1].name"
        # Move the first indicator down and back up.
        grid.goto("indicators[0].name")
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert app.doc.project.indicators[1] == project.indicators[0]
        assert grid.cursor_path == "indicators[1].name"
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert app.doc.project == project
        assert kinds(app).count("Replace") == 4


async def test_markup_in_user_text_is_shown_literally(project):
    odd = "[/x] [bold]粗[link=x]"
    project = replace(project, name=odd)
    project = apply_edit(project, "indicators[0].name", odd)
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.goto("indicators[0].reason")
        await pilot.press("ctrl+u" if grid.editing else "backspace", *"原因[/x][bold]", "enter")
        assert app.doc.project.indicators[0].reason == "原因[/x][bold]"
        assert "原因[/x][bold]" in line_text(grid, 1)
        assert odd in line_text(grid, 1)
        grid.goto("indicators[0].name")
        await pilot.press("d")
        assert odd in app.screen.title_text
        await pilot.press("escape")


async def test_goto_moves_the_cursor_and_focuses(project):
    app = GridHost(project)
    async with app.run_test(size=(160, 12)) as pilot:
        grid = app.grid
        grid.blur()
        await pilot.pause()
        assert not grid.has_focus
        grid.goto("indicators[12].reason")
        await pilot.pause()
        assert grid.has_focus
        assert grid.cursor_path == "indicators[12].reason"
        assert grid.scroll_y > 0  # scrolled so the row shows
        assert line_text(grid, 12 - int(grid.scroll_y) + 1).startswith("  13")


async def test_problems_are_marked_with_the_message_for_the_cursor(project):
    # Without a reason, a score below the weight is an error on the reason cell; an actual far
    # above its target is a warning.
    project = apply_edit(project, "indicators[0].reason", "")
    project = apply_edit(project, "indicators[13].actual", "200")  # target 90
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.goto("indicators[0].name")
        await pilot.pause()
        error = grid.get_component_rich_style("indicator-grid--error")
        warning = grid.get_component_rich_style("indicator-grid--warning")
        assert [seg.text.strip() for seg in grid.render_line(1) if seg.style == error] == [""]
        assert [seg.text.strip() for seg in grid.render_line(14) if seg.style == warning] == ["200"]
        assert not any(seg.style in (error, warning) for seg in grid.render_line(2))
        grid.goto("indicators[0].reason")
        await pilot.pause()
        assert "须填写偏差原因分析" in grid.status_text
        assert grid.status_text.count("错误") == 1
        grid.goto("indicators[13].actual")
        assert "提醒：实际完成值为目标的 222.22%" in grid.status_text
        # An override shows the computed score beside the recorded one.
        assert grid.cell_text(2, "score") == "2.50 (算 0.00)"


async def test_show_repaints_only_the_changed_row(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.pause()
        lines: list[int] = []
        render_line = grid.render_line

        def counting(y: int):
            lines.append(y)
            return render_line(y)

        grid.render_line = counting
        before = grid.row_renders
        app.doc.commit(apply_edit(app.doc.project, "indicators[5].reason", "另一个原因"))
        grid.show(app.doc.project, app.doc.assessment)
        await pilot.pause()
        assert lines == [5 + 1]  # header is line 0
        assert grid.row_renders == before + 1
        # Showing the same project again repaints nothing.
        lines.clear()
        grid.show(app.doc.project, assess(app.doc.project, app.doc.rules))
        await pilot.pause()
        assert lines == []
        # A keystroke in an actual repaints that row (score included) and the status line only.
        await pilot.press("5")
        await pilot.pause()
        assert sorted(set(lines)) == [1, grid.size.height - 1]


async def test_paste_starts_an_edit_and_cjk_typing_works(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.goto("indicators[0].target")
        grid.post_message(events.Paste("≧９０（％）"))
        await pilot.pause()
        assert grid.editing and grid.edit_text == "≧９０（％）"
        assert "理解为 ≥90(%)" in grid.status_text
        await pilot.press("enter")
        assert app.doc.project.indicators[0].target == "≥90(%)"
        grid.goto("indicators[0].name")
        await pilot.press("新", "名", "称", "enter")
        assert app.doc.project.indicators[0].name == "新名称"


async def test_an_empty_project_can_be_filled_in(project):
    app = GridHost(replace(project, indicators=()))
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        assert "按 a 添加" in grid.status_text
        await pilot.press("enter", "down", "e", "d", "t", "ctrl+up")  # nothing to act on
        assert app.doc.project.indicators == ()
        await pilot.press("a")
        await pilot.pause()
        assert grid.cursor_path == "indicators[0].name"
        await pilot.press(*"新指标", "tab", "9", "0", "tab", "8", "0", "tab", "1", "0", "enter")
        item = app.doc.project.indicators[0]
        assert (item.name, item.target, item.actual, item.weight) == ("新指标", "90", "80", Decimal("10"))
        assert grid.cell_text(0, "score") == "8.88"  # 10 × 80 / 90, truncated


async def test_narrow_terminal_scrolls_to_the_cursor(project):
    app = GridHost(project)
    async with app.run_test(size=(56, 20)) as pilot:  # 80 fits whole now: narrower
        grid = app.grid
        await pilot.press("end")
        assert grid.cursor_path == "indicators[0].reason" and grid.scroll_x > 0
        await pilot.press("home")
        assert grid.scroll_x == 0
        assert line_text(grid, 0).startswith("序号 一")


async def test_leaving_the_grid_keeps_a_taken_edit(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("9", "0")
        grid.blur()
        await pilot.pause()
        assert not grid.editing
        assert app.doc.project.indicators[0].actual == "90(%)"


async def test_typing_shows_even_when_no_show_answers(project):
    """A host that ignores Preview still sees what is typed (the grid repaints on its own)."""

    class Deaf(App):
        def compose(self):
            yield IndicatorGrid()

    app = Deaf()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.query_one(IndicatorGrid)
        grid.show(project, assess(project, load_rules("default")))
        grid.judge = Document(project, load_rules("default")).check  # asked, but never answers
        grid.focus()
        await pilot.press("4", "2")
        await pilot.pause(0.3)
        assert "42" in line_text(grid, 1)
        assert "理解为 42(%)" in grid.status_text


async def test_narrow_view_squeezes_columns_and_shortens_tiers(project):
    app = GridHost(project)
    async with app.run_test(size=(100, 24)):
        grid = app.grid
        assert grid.virtual_size.width <= grid.scrollable_content_region.width  # no sideways scroll
        row = line_text(grid, 4)  # 系统安全性: 部分达成指标并具有一定效果
        assert "部分达成 " in row and "具有一定效果" not in row
        assert "4.00" in row  # the score column is never squeezed away


def test_long_texts_are_cut_with_a_mark_of_one_width_everywhere():
    assert unicodedata.east_asian_width(ELLIPSIS) not in ("A", "W", "F")
    assert fit("部分达成指标并具有一定效果", 9) == "部分达成" + ELLIPSIS
    assert fit("部分达成指标", 8) == "部分达" + ELLIPSIS + " "  # a wide char never split
    assert fit("5.00", 6, right=True) == "  5.00"


def test_columns_cover_every_indicator_field():
    assert set(FIELDS) == {"level1", "level2", "name", "target", "actual", "weight", "score", "reason"}
    assert all(col.header for col in COLUMNS)


def test_bindings_have_chinese_descriptions_and_ids():
    for binding in IndicatorGrid.BINDINGS:
        assert binding.id and binding.id.startswith("grid.")
        assert binding.description and any("\u4e00" <= ch <= "\u9fff" for ch in binding.description)


def test_snapshot_editing_a_cell(snap_compare):
    """Typing full-width digits into an actual: the field, the previewed score and total, the
    status line saying what was understood; the Chinese columns line up."""
    app = GridHost(sample("11"))

    async def type_in(pilot) -> None:
        await pilot.press("down", "９", "０")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=type_in)


async def test_ctrl_c_copies_the_cell_or_the_selected_rows_as_tsv(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("ctrl+c")
        assert app.clipboard == "70.00(%)"  # the cell under the cursor, as typed
        await pilot.press("down", "shift+down", "shift+down", "ctrl+c")
        lines = app.clipboard.split("\n")
        assert lines[-1] == "" and len(lines) == 4  # rows 2-4, each ended by a line break
        first = lines[0].split("\t")
        item = project.indicators[1]
        assert first[:6] == [item.level1, item.level2, item.name, item.target, item.actual,
                             f"{item.weight:f}"]
        assert first[6] == grid.cell_text(1, "score") and first[7] == item.reason
        await pilot.press("up")  # a plain move ends the selection
        await pilot.press("ctrl+c")
        assert "\t" not in app.clipboard


async def test_pasting_rows_from_a_spreadsheet_fills_and_adds_rows_in_one_undo(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        count = len(project.indicators)
        await pilot.press("ctrl+end", "home")
        # Two rows from Excel: the last row overwritten, one added; the second row's levels
        # are blank (a merged cell copied once) and take the row above's.
        text = ("产出指标\t数量指标\t培训人次\t≥100(人次)\t120\t5\t\t超额完成\r\n"
                "\t\t覆盖街镇\t=16(个)\t16\t5\t\t\r\n")
        app.grid.post_message(events.Paste(text))
        await pilot.pause()
        items = app.doc.project.indicators
        assert len(items) == count + 1
        assert (items[-2].name, items[-2].actual, items[-2].weight) == \
            ("培训人次", "120(人次)", Decimal("5"))
        assert (items[-1].level1, items[-1].level2, items[-1].name) == ("产出指标", "数量指标", "覆盖街镇")
        assert grid.cell_text(count, "actual") == "16(个)"
        app.doc.undo()  # one step takes the whole paste back
        assert app.doc.project == project


async def test_a_paste_with_a_bad_cell_changes_nothing_and_says_which(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("home")
        app.grid.post_message(events.Paste("产出指标\t数量指标\t甲\t≥1(个)\t2\t五分\t\t\n"))
        await pilot.pause()
        assert app.doc.project == project
        shown = [n.message for n in app._notifications]
        assert any("未粘贴：第 1 项指标的分值" in m for m in shown), shown


async def test_enter_after_tabs_goes_down_to_where_the_tabs_began(project):
    app = GridHost(project)
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.press("left", "left")  # 三级指标
        await pilot.press(*"甲", "tab", "tab", *"60", "enter")  # as in Excel
        assert app.doc.project.indicators[0].name == "甲"
        assert app.doc.project.indicators[0].actual.startswith("60")
        assert grid.cursor_path == "indicators[1].name"
        await pilot.press("right", *"9", "enter")  # a plain move ends the run: Enter goes down
        assert grid.cursor_path == "indicators[2].target"
