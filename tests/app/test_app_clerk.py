"""A clerk's day at the keyboard (issue 14), driven through the whole app by keys: Tab stays in
the tables, a new project's tables start at their first input cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pilot import answer, ready

from tui.ui.app import ZipinApp

SIZE = (160, 48)


async def test_tab_moves_cell_to_cell_in_the_funding_table_and_never_leaves(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        table = main.funding
        await pilot.press("f6", "f6")
        assert main.focused is table
        assert table.cursor_path == "funding.appropriation.executed"
        await pilot.press("tab")  # the line's end: on to the next line's first amount
        assert table.cursor_path == "funding.carried_over.budget"
        for _ in range(6):
            await pilot.press("tab")
        assert table.cursor_path == "funding.total.budget"  # round to the table's first cell
        assert main.focused is table
        await pilot.press("shift+tab", "shift+tab")
        assert table.cursor_path == "funding.other.adjusted"
        await pilot.press("5", "tab", "7", "shift+tab", "shift+tab")  # typed, accepted, moved
        doc = main.doc
        assert doc.project.funding.other.adjusted == Decimal("5")
        assert doc.project.funding.other.executed == Decimal("7")
        assert table.cursor_path == "funding.other.budget" and main.focused is table


async def test_tab_in_the_grid_never_reaches_the_list_filter(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        key = main.current
        grid = main.grid
        await pilot.press("f6", "f6", "f6", "f6")
        assert main.focused is grid
        for _ in range(30):
            await pilot.press("tab")
        assert main.focused is grid and grid.cursor[0] > 0
        await pilot.press("shift+tab", "1")  # a digit after Tab edits a cell, not the filter
        assert grid.editing and main.current == key
        assert main.query_one("#filter").value == ""


async def test_a_new_project_starts_each_table_at_its_first_input_cell(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+n", *"新项目", "f6")
        assert main.focused is main.funding
        assert main.funding.cursor_path == "funding.appropriation.budget"
        await pilot.press(*"120", "tab", *"120", "tab", *"100", "enter")
        funding = main.doc.project.funding.appropriation
        assert (funding.budget, funding.adjusted, funding.executed) == (120, 120, 100)
        await pilot.press("f6", "f6")
        assert main.focused is main.grid
        assert main.grid.cursor_path == "indicators[0].name"  # levels come from the template


async def test_the_palette_and_the_help_speak_chinese_and_name_keys_as_the_key_bar(folder: Path):
    from textual.command import CommandInput, CommandList

    from tui.ui.screens.dialogs import HelpScreen
    from tui.ui.widgets.keybar import KeyBar

    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        bar = main.query_one(KeyBar)
        assert "Ctrl+S 保存" in bar.plain and bar.plain.endswith("F1 按键")
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert palette.query_one(CommandInput).placeholder == "输入以搜索命令…"
        await pilot.press(*"zzqqxx")
        await pilot.pause(0.8)  # Textual shows "no matches" after half a second
        shown = [str(palette.query_one(CommandList).get_option_at_index(i).prompt.renderable)
                 for i in range(palette.query_one(CommandList).option_count)]
        assert shown == ["没有符合的命令"]
        await pilot.press(*["backspace"] * 6, *"上移指标")
        await pilot.pause(0.5)
        hits = palette.query_one(CommandList)
        help_texts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("Ctrl+↑" in text for text in help_texts), help_texts
        assert not any("ctrl+up" in text for text in help_texts)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = dict(k for _area, keys in app.screen.groups for k in keys)
        assert "F2 / e" in keys and "Ctrl+↑" in keys and "f2,e" not in keys
        grid = dict(next(keys for area, keys in app.screen.groups if area == "指标表"))
        assert grid["Enter"].startswith("确认并下移一行")  # Enter moves down, Tab across
        assert "右移" in grid["Tab"] and "左移" in grid["Shift+Tab"]
        assert "移到下一个" in keys["空格"]
        for area, entries in app.screen.groups:  # each key described once in its area
            assert len(entries) == len(set(entries)), (area, entries)


async def test_the_key_bar_keeps_f1_at_any_width(folder: Path):
    from tui.ui.widgets.keybar import KeyBar

    for width in (60, 80, 120):
        app = ZipinApp(folder)
        async with app.run_test(size=(width, 24)) as pilot:
            main = await ready(pilot)
            await pilot.pause()
            bar = main.query_one(KeyBar)
            assert bar.plain.endswith("F1 按键"), (width, bar.plain)
            line = "".join(s.text for s in bar.render_line(0))
            assert line.rstrip().endswith("F1 按键"), (width, line)


async def test_ctrl_t_sorts_names_by_pinyin(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+t")  # file -> name
        assert main.list.sort == "name"
        names = [e.name for e in main.list.rows]
        # can ji ren … can ji yu, she, shi, xin xi hua jian, xin xi hua yun: not code points
        # (信 U+4FE1 < 市 U+5E02 < 残 U+6B8B < 设 U+8BBE)
        assert names[-4:] == ["设施维护及功能改造项目", "市残联八代会筹备及会议经费",
                              "信息化建设项目", "信息化运维项目"]
        assert names[0].startswith("残疾人") and names[7] == "残疾预防与康复经费"


async def test_ctrl_c_elsewhere_says_how_to_quit_in_chinese(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await pilot.press("shift+f6")  # the problems pane: nothing to copy there
        assert main.focused is main.query_one("#problems")
        await pilot.press("ctrl+c")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("退出请按 Ctrl+Q" in m for m in shown) and app.is_running


async def test_ctrl_c_in_the_list_copies_the_marked_projects(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("home", "space", "space", "ctrl+c")
        lines = app.clipboard.splitlines()
        assert lines[0].split("\t")[:3] == ["项目名称", "年度", "总分"]
        assert [line.split("\t")[0] for line in lines[1:]] == \
            ["残疾人基本保障和帮扶经费", "残疾人基层组织建设和助残工作经费"]
        assert lines[1].split("\t")[2:4] == ["99.98", "优"]


async def test_a_file_follows_its_projects_new_name_when_asked(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+n", "ctrl+s")  # saved before it has a name
        assert (folder / "项目.toml").exists()
        await pilot.press("f6", "shift+f6")  # back on the name field
        assert main.focused.id == "head-name"
        await pilot.press(*"无障碍改造", "enter", "ctrl+s")
        await answer(pilot, "r")
        assert not (folder / "项目.toml").exists()
        assert (folder / "无障碍改造.toml").exists()
        assert main.doc.path == folder / "无障碍改造.toml"
        assert main.list.entries[main.current].file == "无障碍改造.toml"
        # renamed again, the name kept when asked
        await pilot.press("ctrl+u", *"无障碍设施改造", "enter", "ctrl+s")
        await answer(pilot, "k")
        assert (folder / "无障碍改造.toml").exists() and not main.doc.dirty


async def test_a_name_already_used_is_warned(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+n", *"信息化建设项目", "enter")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("已有同名项目“信息化建设项目”（11-信息化建设项目.toml）" in m for m in shown), shown


async def test_delete_a_project_to_the_trash_asked_first_and_undone(folder: Path):
    first = folder / "01-残疾人基本保障和帮扶经费.toml"
    before = first.read_bytes()
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await pilot.press("delete")
        await answer(pilot, "k")  # asked first: kept
        assert first.exists() and len(main.list.entries) == 12
        await pilot.press("delete")
        await answer(pilot, "d")
        assert not first.exists()
        trashed = list((folder / ".zipin" / "trash").iterdir())
        assert len(trashed) == 1 and trashed[0].read_bytes() == before
        assert trashed[0].name.endswith("-01-残疾人基本保障和帮扶经费.toml")
        assert len(main.list.entries) == 11
        assert main.doc.project.name == "残疾人基层组织建设和助残工作经费"
        await pilot.press("ctrl+z")  # in the list: the project comes back
        await pilot.pause()
        assert first.read_bytes() == before
        assert len(main.list.entries) == 12 and main.doc.project.name == "残疾人基本保障和帮扶经费"


async def test_the_focused_pane_has_a_heavy_border_not_only_a_colour(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        for _ in range(5):
            await pilot.pause()
            panes = {"projects": main.list, "grid": main.grid}
            for name, pane in panes.items():
                focused = main.focused is not None and pane in main.focused.ancestors_with_self
                assert pane.styles.border.top[0] == ("heavy" if focused else "round"), name
            await pilot.press("f6")


# A whole new project as a clerk types it: (typed text, keys that are not text). Eight indicators
# of the kinds the forms have: counts (≥ n(unit)), percentages, an upper bound, an exact zero,
# qualitative tiers; the template's six rows and two added with `a`.
INDICATORS = [
    ("培训班次", "≥4(次)", "5", "15"), ("培训人数", "≥200(人)", "236", "15"),
    ("培训合格率", "≥95(%)", "97", "10"), ("按时完成率", "=100(%)", "100", "10"),
    ("就业人数增长", "≥20(人)", "24", "10"), ("学员满意度", "≥90(%)", "93", "10"),
    ("有责投诉数", "≤0(次)", "0", "10"), ("长效机制健全性", "健全", "达成", "10"),
]


async def test_a_whole_new_project_takes_at_most_60_keys_besides_the_text(folder: Path):
    from tui.store import recordfile
    from tui.core.validation import ERROR

    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        keys = 0

        async def press(*names: str) -> None:
            nonlocal keys
            keys += len(names)
            await pilot.press(*names)

        async def type_(text: str) -> None:
            await pilot.press(*text)  # typed text: not counted

        await press("ctrl+n")
        await type_("残疾人职业技能培训经费")
        await press("f6")  # the funding table, at 当年财政拨款 / 年初预算数
        await type_("120")
        await press("tab")
        await type_("120")
        await press("tab")
        await type_("108")
        await press("f6")  # 预期目标
        await type_("完成残疾人职业技能培训四期，提升就业能力。")
        await press("tab")  # 实际完成情况
        await type_("完成五期培训，236人参训，合格率97%。")
        await press("f6")  # the grid, at the first row's 三级指标
        for index, (name, target, actual, weight) in enumerate(INDICATORS):
            if index >= 6:
                await press("a")  # a row below, at its 三级指标
            await type_(name)
            await press("tab")
            await type_(target)
            await press("tab")
            await type_(actual)
            await press("tab")
            await type_(weight)
            await press("enter")  # down to the next row's 三级指标, where the Tabs began
        await press("ctrl+s")
        await pilot.pause()
        doc = main.doc
        project = doc.project
        assert keys <= 60, keys
        assert not doc.dirty and doc.path is not None and doc.path.name == "残疾人职业技能培训经费.toml"
        assert recordfile.load(doc.path).project == project
        assert project.funding.appropriation.executed == 108 and project.achieved.startswith("完成五期")
        assert [i.name for i in project.indicators] == [row[0] for row in INDICATORS]
        assert [i.actual for i in project.indicators][-2:] == ["0(次)", "达成指标"]
        assert [p.message for p in doc.assessment.problems if p.level == ERROR] == []
        assert doc.assessment.sheet.total > 90
        print(f"keys besides the text: {keys}")


async def test_a_new_unsaved_project_can_be_deleted_and_brought_back(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+n", *"草稿项目", "enter")
        await pilot.pause(0.7)  # its draft is written
        key = main.current
        drafts = list(folder.glob(".*.zipin-draft"))
        assert len(drafts) == 1
        await pilot.press("shift+f6")
        assert main.focused is main.list
        await pilot.press("delete")
        await answer(pilot, "d")
        assert key not in main.list.entries and not list(folder.glob(".*.zipin-draft"))
        assert len(list((folder / ".zipin" / "trash").iterdir())) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert main.current == key and main.doc.project.name == "草稿项目"
        assert [p.name for p in folder.glob(".*.zipin-draft")] == [drafts[0].name]
