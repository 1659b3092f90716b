"""Small defects a tester found on main, each by keys and checked on what the screen shows: the
grid's status line follows the focus; the score bar at 80×24 keeps its counts; the header fields
move by arrows like the tables do."""

from __future__ import annotations

from pathlib import Path

from pilot import SIZE, plain, ready, to_field, until
from textual.widgets import Static

from tui.core.validation import ERROR
from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import HelpScreen

from conftest import OTHER, copy_samples


def shown(app) -> str:
    """The screen as drawn now (every widget's lines, composed), one text line per row."""
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(seg.text for strip in line for seg in strip) for line in update.strips)


async def test_the_grids_status_line_follows_the_focus(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await to_field(pilot, "grid")
        await pilot.press("down", "down", "end")
        await pilot.pause()
        assert "第 3 项指标的偏差原因分析：" in shown(app)
        await pilot.press("f6")  # another pane: the line no longer speaks of a cell left behind
        await pilot.pause()
        assert main.focused is not main.grid
        assert "第 3 项指标的偏差原因分析" not in shown(app)
        await pilot.press("ctrl+r")  # reloaded from disk, the focus elsewhere: still nothing
        await pilot.pause()
        assert "第 3 项指标" not in shown(app)
        await pilot.press("f8")  # back in the grid on the next problem: its cell is named
        await pilot.pause()
        assert main.focused is main.grid and "第 5 项指标的实际完成值" in shown(app)


async def test_the_score_bar_drops_the_least_needed_parts_first(tmp_path: Path):
    """samples/other's first project at 80×24 (a 未定 total and grade): the bar was cut after
    “错误”, its counts lost; narrower, it keeps the total, the grade and both counts whole."""
    app = ZipinApp(copy_samples(tmp_path / "other", OTHER))
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(pilot)
        a = main.doc.assessment
        errors = sum(1 for p in a.problems if p.level == ERROR)
        counts = f"错误 {errors}  提醒 {len(a.problems) - errors}"
        assert errors and not a.final  # the long form: “166（未定）” “优（未定：3 个错误）”
        bar = main.query_one("#scorebar")
        for width, kept, dropped in ((160, ("执行率", "资金得分"), ()), (80, ("资金得分",), ("执行率",)),
                                     (60, (), ("资金得分", "个错误")), (40, (), ("总分",))):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            drawn = "".join(seg.text for seg in bar.render_line(0)).rstrip()
            assert drawn.endswith(counts) and "⋯" not in drawn, (width, drawn)
            assert a.total_text in drawn and a.sheet.grade in drawn, (width, drawn)
            assert all(k in drawn for k in kept) and not any(d in drawn for d in dropped), drawn


async def test_arrows_move_between_the_header_fields_and_the_funding_table(folder: Path):
    """On 项目名称 ↓ and → did nothing (digits typed next went into the name); they move as the
    tables do: ↓ to the funding table, ↑ from its first line back, → at a field's end (← at its
    start) to the next (previous) field; and the key help says so."""
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        name = main.doc.project.name
        await to_field(pilot, "head-name")
        await pilot.press("down")
        assert main.focused is main.funding
        await pilot.press("5")  # typed into the table's cell, not the name
        assert main.funding.editing and main.funding.edit_text == "5"
        await pilot.press("escape")
        await pilot.press("up", "up", "up", "up")  # to the first line, then out of the table
        assert main.focused.id == "head-name"
        await pilot.press("right")  # all selected on focus: → goes to the end first
        assert main.focused.id == "head-name"
        await pilot.press("right")
        assert main.focused.id == "head-year"
        await pilot.press("right", "right", "right", "right")
        assert main.focused.id == "head-implementer"
        await pilot.press("right", "right")  # the last field: → stays
        assert main.focused.id == "head-implementer"
        await pilot.press("left")  # the caret at the end: ← moves in the text
        assert main.focused.id == "head-implementer"
        await pilot.press("home", "left")  # at the start: across
        assert main.focused.id == "head-department"
        await pilot.press("down", "up")  # ↑ from the table: the header field last used
        assert main.focused.id == "head-department"
        await pilot.press("ctrl+z")
        assert main.doc.project.name == name and not main.doc.dirty
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = plain(app.screen.query_one(Static))
        assert "表头：在文字末尾 / 开头时到下一个 / 上一个输入框" in help_text
        assert "表头：到项目资金表（资金表第一行按 ↑ 回到表头）" in help_text
        assert "资金得分的原因：回到项目资金表" in help_text
        assert "上一行（第一行：回到表头）" in help_text


async def test_down_from_the_funding_table_reaches_the_funding_reason(tmp_path: Path):
    """samples/other's first project shows 资金得分的原因 under the table: ↓ from the table's last
    line goes there, ↑ comes back; without the line shown ↓ stays in the table."""
    app = ZipinApp(copy_samples(tmp_path / "other", OTHER))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await to_field(pilot, "head-name")
        await pilot.press("down", "down", "down", "down", "down", "down")
        assert main.focused.id == "funding-reason"
        await pilot.press("up")
        assert main.focused is main.funding
        main.list.select_key(list(main.list.entries)[1])  # a project without the line
        await pilot.pause()
        assert not main.query_one("#funding-note").display or \
            not main.query_one("#funding-note").has_class("-shown")
        await to_field(pilot, "head-name")
        await pilot.press("down", "down", "down", "down", "down", "down", "down")
        assert main.focused is main.funding
