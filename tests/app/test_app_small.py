"""Small terminals (issue 14): 80×24 and 120×40, the list folded by itself and by Ctrl+B, numbers
never cut, ten indicator rows at 80×24; SVG snapshots at both sizes, list folded and not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot import ready, until

from tui.ui.app import ZipinApp
from conftest import OTHER, SAMPLES



def line(widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def assert_nothing_cut(main) -> None:
    """Every figure of the funding table and the score bar is drawn whole; the grid's rows fit
    its width (no sideways scrolling), their figures whole."""
    table = main.funding
    for y in range(1, 5):
        drawn = line(table, y)
        for cell in table._lines[y][1:]:
            assert cell in drawn, (cell, drawn)
    bar = main.query_one("#scorebar")
    assert "⋯" not in line(bar, 0) and "提醒" in line(bar, 0)
    grid = main.grid
    assert grid._painter.layout.line_width <= grid._view_size().width
    for row in range(min(10, len(main.doc.project.indicators))):
        drawn = line(grid, row + 1)
        for field in ("target", "actual", "weight", "score"):
            text = grid.cell_text(row, field)
            if any(ch.isdigit() for ch in text):
                assert text in drawn, (field, text, drawn)


async def test_80x24_folds_the_list_and_shows_ten_rows_through_the_reason(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(pilot)
        await pilot.pause()
        assert not main.query_one("#left").display  # folded by itself
        assert main.focused is main.grid  # not the folded list: typing there would filter it
        assert not main.query_one("#goals").display
        assert main.grid._body_height() >= 10
        assert "偏差" in line(main.grid, 0)  # every column through 偏差原因分析
        assert_nothing_cut(main)
        # F6 goes to the goal texts, which open, and fold again behind the focus
        await pilot.press("shift+f6")
        assert main.focused.id == "goal-expected" and main.query_one("#goals").display
        await pilot.press("f6")
        assert main.focused is main.grid and not main.query_one("#goals").display
        # Ctrl+B: the list over the editor; Enter opens a project and folds it away
        await pilot.press("ctrl+b")
        assert main.query_one("#left").display and not main.query_one("#editor").display
        assert main.focused is main.list
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not main.query_one("#left").display and main.query_one("#editor").display
        assert main.doc.project.name == "残疾人基层组织建设和助残工作经费"


async def test_120x40_folds_the_list_and_ctrl_b_sets_it_beside_the_editor(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await ready(pilot)
        await pilot.pause()
        assert not main.query_one("#left").display
        assert main.query_one("#goals").display
        assert_nothing_cut(main)
        assert "得分" in line(main.grid, 0) and "偏差原因" in line(main.grid, 0)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert main.query_one("#left").display and main.query_one("#editor").display
        assert_nothing_cut(main)
        await pilot.press("ctrl+b")
        assert not main.query_one("#left").display


@pytest.fixture
def app(tmp_path: Path) -> ZipinApp:
    dest = tmp_path / "2023"
    shutil.copytree(SAMPLES, dest)
    return ZipinApp(dest)


async def _loaded(pilot) -> None:
    await ready(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("listed", [False, True], ids=["folded", "listed"])
def test_snapshot_small(app, snap_compare, size, listed):
    async def run_before(pilot):
        await _loaded(pilot)
        if listed:
            await pilot.press("ctrl+b")
            await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_a_cut_name_is_shown_whole_on_the_status_line(folder: Path):
    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(pilot)
        grid = main.grid
        assert grid.cursor == (0, "actual")
        name = main.doc.project.indicators[0].name  # 对口支援省市区域次数: cut in its column
        assert name not in line(grid, 1)
        assert grid.status_text.endswith(f"｜ {name}")
        assert name in line(grid, grid._view_size().height - 1)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_a_recorded_score_beside_the_computed_one_is_shown_whole(folder: Path, size):
    """A score recorded by hand beside the computed one, "15.00 (算 11.25)", is sixteen cells:
    shown whole, never cut to "15.00 (算 11.2⋯" (the column was capped at fifteen)."""
    from tui.store import recordfile, saving
    from tui.core.editing import apply_edit

    path = recordfile.record_files(folder)[0]
    loaded = recordfile.load(path)
    project = apply_edit(loaded.project, "indicators[4].actual", "3000")  # 11.25 of 15
    saving.save(apply_edit(project, "indicators[4].score", "15"), path, loaded.digest)
    async with ZipinApp(folder).run_test(size=size) as pilot:
        main = await ready(pilot)
        await pilot.pause()
        grid = main.grid
        assert "15.00 (算 11.25)" in line(grid, 5)


async def test_f9_at_80_columns_fits_the_summary_with_every_column_and_figure_whole(folder: Path):
    """F9 in an 80-column terminal: the year's summary is laid out for the view (headings over
    three lines, no padding, the one 主管部门 said under the title), every column through 未解决错误
    on screen with its figures whole and no sideways scrolling (it was laid out for 100 cells: 总分
    and 等级 off to the right, each row five lines with 主管部门 folded in four cells)."""
    from textual.widgets import Static

    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f9")
        await pilot.pause(0.3)
        scroll = app.screen.query_one("#printed")
        page = scroll.query_one(Static)
        assert page.size.width <= scroll.scrollable_content_region.width  # no sideways scroll
        lines = [line(page, y).rstrip() for y in range(page.size.height)]
        assert "主管部门：上海市残疾人联合会" in "".join(lines[:3])
        table = [text for text in lines if text.startswith(("┌", "│", "├", "└"))]
        assert table and all(text.endswith(("┐", "│", "┤", "┘")) for text in table)
        assert "错误" in "".join(table[:5]) and "总分" in "".join(table[:5])
        first = next(text for text in table if text.split("│")[1:2] == ["   1"])
        cells = [c.strip() for c in first.strip("│").split("│")]
        assert cells[2:] == ["1,231.96", "1,230.37", "99.87", "9.98", "99.98", "优", "0"], first
        await pilot.press("right")
        await pilot.pause()
        assert scroll.scroll_x == 0


async def test_160x48_with_the_list_the_grid_shares_its_width_names_and_reasons_readable(folder: Path):
    """With the project list beside it, the grid's 106 cells: the levels give way to their
    headings (社会效益 for 社会效益指标) before 三级指标 does, 偏差原因分析 keeps its whole
    heading (it was squeezed to 偏差⋯ with 三级指标 cut to 21 cells), and where reasons are
    written 三级指标 and 偏差原因分析 share what is left; no figure is cut."""
    app = ZipinApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        await pilot.pause()
        assert main.query_one("#left").display
        grid = main.grid
        assert "三级指标" in line(grid, 0) and "偏差原因分析" in line(grid, 0)
        names = [i.name for i in main.doc.project.indicators]
        shown = [name for row, name in enumerate(names) if name in line(grid, row + 1)]
        assert len(shown) >= len(names) - 1, shown  # one name of 28 cells may be cut
        assert "服务对象满意度指标" not in line(grid, 12)
        assert_nothing_cut(main)
        # 11: a reason on every row (up to 112 cells) beside names of up to 22
        main.list.focus()
        await pilot.press("end", "up", "enter")
        await until(pilot, lambda: main.doc.project.name == "信息化建设项目")
        await pilot.pause()
        widths = dict(zip(("name", "reason"), (grid._painter.layout.widths[3], grid._painter.layout.widths[8])))
        assert widths["name"] >= 16 and widths["reason"] >= 16, widths
        assert "偏差原因分析" in line(grid, 0) and "年度指标值" in line(grid, 0)
        assert_nothing_cut(main)


async def test_80x24_header_fields_show_the_start_of_a_long_text_and_cut_it_with_a_mark(folder: Path):
    """At 80×24 项目名称 is 15 cells: opened from the list it showed the end of the name (the
    focus comes to it with all selected and the caret went to the end: 和助残工作经费), and a wide
    character cut at a field's edge was drawn as a space (half a glyph)."""
    from rich.cells import cell_len

    app = ZipinApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await ready(pilot)
        await pilot.pause()
        fields = [main.query_one(f"#head-{path}") for path in ("name", "department", "implementer")]
        for field in fields:  # not focused: the start, a cut shown by ⋯ in the field's width
            drawn = line(field, 0)
            assert cell_len(drawn) == field.size.width, (drawn, field.size)
            assert drawn.rstrip().endswith("⋯") and field.value.startswith(drawn.rstrip()[:-1])
        await pilot.press("ctrl+b", "down", "enter")
        await pilot.pause()
        name = fields[0]
        assert main.focused is name and name.value == "残疾人基层组织建设和助残工作经费"
        drawn = line(name, 0)
        assert drawn.startswith("残疾人基层组织") and cell_len(drawn) == name.size.width, drawn
        assert name.selected_text == name.value  # all selected: typing replaces it
        await pilot.press("right")  # the caret to the end, the field scrolls there
        await pilot.pause()
        assert "工作经费" in line(name, 0) and not line(name, 0).startswith("残疾人")
        await pilot.press("tab")  # left again: its start
        await pilot.pause()
        assert line(name, 0).startswith("残疾人基层组织")


async def test_80x24_a_folder_of_five_years_still_shows_its_projects_in_the_list(tmp_path: Path):
    # samples/other: nine projects of five years, two year lines each: at 80×24 the year lines and
    # the problems took every row and the list showed its heading and no project
    folder = tmp_path / "other"
    shutil.copytree(OTHER, folder)
    async with ZipinApp(folder).run_test(size=(80, 24)) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert main.query_one("#left").display
        assert main.list.content_region.height >= 1 + 4  # its heading and four projects
        assert main.query_one("#problems").region.bottom <= main.query_one("#left").region.bottom
