"""What the project list shows in its columns: the grade column's width, the gap before a long
grade, the header while filtering (QA's notes of session 3)."""

from __future__ import annotations

from pathlib import Path

from pilot import ready

from conftest import OTHER, copy_samples
from tui.core.editing import apply_edit
from tui.store import recordfile, saving
from tui.ui.app import ZipinApp


def line(widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def row_of(plist, name: str) -> str:
    index = next(i for i, entry in enumerate(plist.rows) if entry.name == name)
    return line(plist, index + 1 - int(plist.scroll_y))


async def test_one_grade_not_final_does_not_widen_the_grade_column(folder: Path):
    """08 with an actual cleared (an error: its grade 良 not final): its line says 良？ and the
    grade column stays five cells for every line (it was eleven: 良（未定）)."""
    path = next(p for p in recordfile.record_files(folder) if p.name.startswith("08-"))
    loaded = recordfile.load(path)
    saving.save(apply_edit(loaded.project, "indicators[0].actual", ""), path, loaded.digest)
    async with ZipinApp(folder).run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        plist = main.list
        width = plist.scrollable_content_region.width
        assert plist._columns(width)[3] == 5
        assert row_of(plist, "残疾预防与康复经费").rstrip().endswith("良？   37.40%")
        assert row_of(plist, "残疾人基本保障和帮扶经费").rstrip().endswith("99.98   优   99.87%")


async def test_a_long_grade_keeps_a_gap_after_the_total(tmp_path: Path):
    """samples/other 05 (不评级, not final): “0 不评级？”, never “0不评级（未⋯”."""
    folder = copy_samples(tmp_path / "other", OTHER)
    async with ZipinApp(folder).run_test(size=(160, 48)) as pilot:
        main = await ready(pilot)
        row = row_of(main.list, "县级储备粮")
        assert " 0 不评级？ " in row and "⋯" not in row, row


async def test_the_header_keeps_the_count_whole_while_filtering(folder: Path):
    """At 120×40 with the list shown its name column is seven cells: while filtering the header
    gives 项目名称 up before the count (it read 项目名称（12/12⋯ at 160×48 with marks, （12/12⋯
    here)."""
    async with ZipinApp(folder).run_test(size=(120, 40)) as pilot:
        main = await ready(pilot)
        await pilot.press("ctrl+b", "ctrl+f", "残")
        await pilot.pause()
        head = line(main.list, 0)
        assert "12/12" in head and "⋯" not in head, head
        await pilot.press("escape")  # the filter cleared: （12）, not 项目名⋯
        await pilot.pause()
        assert "（12）" in line(main.list, 0) and "⋯" not in line(main.list, 0)
