"""The app's start (issue 16): what it skips until the first frame comes back after it.

Garbage collection is off from the app's start to its first frame (ZipinApp.on_load): it must
be on again once the first project is shown, and after the app closes; the goal texts (and
Textual's TextArea, imported with them) arrive just after the first frame and take typing."""

from __future__ import annotations

import gc
import sys

import pytest
from textual import events
from pathlib import Path

from pilot import ready, until

from conftest import copy_samples
from tui.ui.app import ZipinApp
from tui.ui.screens.main import MainScreen


async def test_collection_is_on_again_after_the_first_frame_and_after_closing(tmp_path: Path):
    assert gc.isenabled()
    app = ZipinApp(copy_samples(tmp_path / "2023"))
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await ready(pilot)
            assert main.current is not None
            await until(pilot, gc.isenabled)  # the refresh after the first frame turns it on
            assert gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.enable()  # never leave the test run without collection


async def test_goal_texts_come_after_the_first_frame_and_take_typing(tmp_path: Path):
    app = ZipinApp(copy_samples(tmp_path / "2023"))
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        await until(pilot, lambda: bool(main.query("#goal-expected")))
        assert "textual.widgets._text_area" in sys.modules
        area = main.query_one("#goal-expected")
        before = area.text
        assert before  # the first project's goal text, shown
        area.focus()
        await pilot.press("x")  # the caret at the start of the text
        assert main.doc is not None and main.edit.active  # previewed as typed
        await pilot.press("f6")  # leaving the area commits it
        assert main.doc.project.expected == "x" + before


def _screen_lines(screen, renderable=None) -> list[str]:
    from textual._compositor import LayoutUpdate

    if not isinstance(renderable, LayoutUpdate):
        renderable = screen._compositor.render_full_update()
    return ["".join(seg.text for strip in line for seg in strip) for line in renderable.strips]


class FirstFrame(ZipinApp):
    """The app, keeping the text of the first frame that shows the first project."""

    first: list[str] | None = None

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        main = self.main
        if self.first is None and renderable is not None and main is not None \
                and main.current is not None:
            self.first = _screen_lines(screen, renderable)


async def test_first_frame_draws_the_grid_and_the_key_bar_as_they_settle(tmp_path: Path):
    """The grid's columns and the key bar were laid out for width 0 in the first frame (every
    column squeezed to “一⋯”, the bar “⋯ F1 按键”) until the Resize event after it."""
    for size in ((160, 48), (80, 24)):
        app = FirstFrame(copy_samples(tmp_path / f"{size[0]}" / "2023"))
        async with app.run_test(size=size) as pilot:
            main = await ready(pilot)
            await pilot.pause(0.3)
            settled = _screen_lines(main)
            first = app.first
            assert first is not None
            grid = main.grid.region
            thumb = str.maketrans("▁▂▃▄▅▆▇█", "        ")  # a scrollbar's thumb comes later
            for y in range(grid.y, grid.bottom):
                assert first[y].translate(thumb) == settled[y].translate(thumb), (size, y)
            assert first[-1] == settled[-1], size  # the key bar


@pytest.mark.parametrize("key", ["f6", "shift+f6", "ctrl+b", "ctrl+n"])
async def test_a_key_typed_while_the_app_starts_does_not_stop_it(tmp_path: Path, key: str):
    """Found in tmux: F6 (or Shift+F6, Ctrl+B, Ctrl+N) typed while the app starts is read with the
    terminal's first events and reached the main screen's action before its panes were composed
    (NoMatches '#projects', the app gone with a traceback). Here the key is queued at on_load."""

    class Early(ZipinApp):
        def on_load(self) -> None:
            super().on_load()
            self.post_message(events.Key(key, None))

    app = Early(copy_samples(tmp_path / "2023"))
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        assert main.current is not None and app.return_code is None
        await pilot.press("f6")  # the keys work once the screen is there
        assert main.focused is not None
    assert app.return_code in (None, 0)


async def test_f6_typed_ahead_reaches_the_goal_texts_before_they_are_mounted(tmp_path: Path):
    """Found in tmux (F6 F6 F6 XYZ sent 0.25 s after the command): the goal areas come after the
    first frame, and F6 taken before then passed them by — XYZ went into the grid's 实际完成值
    (an error on the first indicator) instead of 预期目标. Here the keys are queued as the main
    screen mounts, before its first frame."""

    class Typed(MainScreen):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_later(self._type)  # after the list takes the focus (Widget.focus waits too)

        def _type(self) -> None:
            assert not self.query("#goal-expected")  # typed ahead of the goal areas
            for key, character in (("f6", None), ("f6", None), ("f6", None), ("x", "x")):
                self.app.post_message(events.Key(key, character))

    class Early(ZipinApp):
        def get_default_screen(self) -> MainScreen:
            return Typed(self.folder)

    app = Early(copy_samples(tmp_path / "2023"))
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        await until(pilot, lambda: bool(main.query("#goal-expected")))
        area = main.query_one("#goal-expected")
        assert main.focused is area
        assert area.text.startswith("x")
        assert main.edit.source != "grid" and main.doc is not None
        assert not [i for i in main.doc.project.indicators if i.actual.startswith("x")]


async def test_keys_typed_before_the_list_has_the_focus_reach_it_in_order(tmp_path: Path):
    """Found in tmux: 信息 typed 0.1 s after the command was lost (the filter empty; Down alone
    came through, as a binding): Textual hands a key read before any widget has the focus to
    the screen, and the list never saw it. Here 信 is read at on_load, 息 and Down just after
    the list is given the focus: the filter reads 信息 and Down moves within its two matches."""

    class Typed(MainScreen):
        def on_mount(self) -> None:
            super().on_mount()
            self.app.call_later(self._type)  # the list's focus is set, the keys held meanwhile

        def _type(self) -> None:
            self.app.post_message(events.Key("息", "息"))
            self.app.post_message(events.Key("down", None))

    class Early(ZipinApp):
        def on_load(self) -> None:
            super().on_load()
            self.post_message(events.Key("信", "信"))

        def get_default_screen(self) -> MainScreen:
            return Typed(self.folder)

    app = Early(copy_samples(tmp_path / "2023"))
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        await until(pilot, lambda: main.left.filter.value == "信息" and len(main.list.rows) == 2)
        assert main.focused is main.list
        assert main.doc is not None and main.doc.project.name == "信息化运维项目"
        await pilot.press("backspace", "backspace")  # typing after the start goes the same way
        assert main.left.filter.value == "" and len(main.list.rows) == 12
