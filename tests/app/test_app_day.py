"""A clerk's day on main (session 5): defects found using the app as a new user, each by keys
and checked on what the app shows or holds."""

from __future__ import annotations

from pathlib import Path

from pilot import SIZE, plain, ready, until
from textual.widgets import Static

from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import HelpScreen


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
