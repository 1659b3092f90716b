"""SVG snapshots of the app, one per screen and state (pytest-textual-snapshot).

Reviewed by eye when they change (`--snapshot-update`, then look at the SVG): Chinese text must
line up in its columns. The folder is a copy named "2023", so nothing from tmp_path shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.ui.app import ZipinApp

from conftest import copy_samples
from pilot import ready

SIZE = (160, 48)


@pytest.fixture
def app(tmp_path: Path) -> ZipinApp:
    return ZipinApp(copy_samples(tmp_path / "2023"))


def test_list_and_editor(app, snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("down", "down", "down", "down", "down", "down", "down")  # 残疾预防与康复经费

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_error_list(app, snap_compare):
    """A new project from the template: every blank indicator is an error, listed and counted."""

    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("ctrl+n", *"新项目", "enter")
        main = pilot.app.main
        main.query_one("#problems").focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_invalid_amount_is_marked(app, snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        main = pilot.app.main
        main.query_one("#funding").focus()
        await pilot.pause()
        await pilot.press("1", "2", "x")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help(app, snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("f1")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
