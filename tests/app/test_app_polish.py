"""Small defects a tester found on main, each by keys and checked on what the screen shows: the
grid's status line follows the focus; the score bar at 80×24 keeps its counts; the header fields
move by arrows like the tables do."""

from __future__ import annotations

from pathlib import Path

from pilot import SIZE, ready, to_field

from tui.ui.app import ZipinApp


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
