"""Driving the app in tests as a user would: wait for it, walk to a field or cell by keys, read
what is shown. The one set of these helpers for every test under tests/app."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input

from tui.ui.screens.dialogs import ChoiceDialog, PathDialog
from tui.ui.screens.main import MainScreen

SIZE = (160, 48)


async def until(pilot, condition, seconds: float = 10.0) -> None:
    """Let the app run until `condition()` holds; fail after `seconds`."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


async def ready(pilot) -> MainScreen:
    """Wait until the folder is read and the first project is in the editor (or the folder
    turned out empty), then one more refresh."""
    main = None

    def done() -> bool:
        nonlocal main
        main = pilot.app.main
        return main is not None and not main.reading and (main.current is not None
                                                            or not main.list.entries)
    await until(pilot, done)
    await pilot.pause()
    assert main is not None
    return main


def text_of(main: MainScreen, selector: str) -> str:
    return main.query_one(selector).text


async def to_field(pilot, widget_id: str) -> None:
    """Tab to a field, as a user would (F6 out of a table: Tab stays in it)."""
    main = pilot.app.main
    for _ in range(60):
        if main.focused is not None and main.focused.id == widget_id:
            return
        await pilot.press("f6" if main.focused in (main.funding, main.grid) else "tab")
    raise AssertionError(f"never reached {widget_id}")


def cell(main: MainScreen, name: str) -> str:
    """A cell of the funding table as shown: "total.score", "funding.other.executed"…"""
    return main.funding.cell_text(name)


async def to_cell(pilot, path: str) -> None:
    """Tab to the funding table, then arrows to a cell, as a user would."""
    from tui.ui.widgets.funding import PATHS

    await to_field(pilot, "funding")
    table = pilot.app.main.funding
    for _ in range(10):
        if table.cursor_path == path:
            return
        (line, column), (here, there) = PATHS[path], PATHS[table.cursor_path]
        if line != here:
            await pilot.press("up" if line < here else "down")
        else:
            await pilot.press("left" if column < there else "right")
    raise AssertionError(f"never reached {path}")


async def answer_path(pilot, path: Path) -> None:
    """The path dialog is up: type over its default, as a user would edit it, and press Enter."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, PathDialog))
    box = app.screen.query_one(Input)
    assert box.value  # a default is offered
    box.value = str(path)
    await pilot.press("enter")


async def answer(pilot, key: str) -> None:
    """A choice dialog is up (or comes up): press `key` to answer it."""
    await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
    await pilot.press(key)
    await pilot.pause()


def plain(static, width: int = 140) -> str:
    """What a Static shows, as text (tables included, cells unwrapped at this width)."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def messages(app) -> list[str]:
    """The notifications shown so far."""
    return [n.message for n in app._notifications]
