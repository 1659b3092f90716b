"""A clerk's day at the keyboard (issue 14), driven through the whole app by keys: Tab stays in
the tables, a new project's tables start at their first input cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_app import ready

from tui.app import ZipinApp

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
        assert table.cursor_path == "funding.weight"  # round to the table's first cell
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
