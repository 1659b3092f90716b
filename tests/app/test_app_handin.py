"""What the clerk hands in, from the app (issue 15): the summary screen (F9, and its snapshot), next
year's forms (F7) into this folder, the workbook through the palette's export; keys through Pilot
on copies in tmp_path, checked on screen and on disk against the hand-typed seed table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pilot import answer_path, ready, messages, plain, until
from seed_figures import FIGURES
from tui.ui.app import ZipinApp
from tui.ui.screens.dialogs import PrintedScreen
from tui.store.recordfile import load

from conftest import ROOT, copy_samples

SIZE = (160, 48)


@pytest.fixture
def here(tmp_path: Path) -> Path:
    return copy_samples(tmp_path / "2023")


async def test_summary_screen_shows_the_year(here):
    app = ZipinApp(here)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, PrintedScreen))
        text = plain(app.screen.query_one("#printed Static"), 160)
        for _file, name, rate, _fs, total, grade, _scores in FIGURES:
            line = next(line for line in text.splitlines() if f" {name} " in line)
            assert rate in line and total in line and f" {grade} " in line, line
        assert "5,776.93" in text and "4,231.02" in text and "优 10  良 1  中 1  差 0" in text
        await pilot.press("escape")
        assert app.screen is main


async def test_next_year_into_this_folder(here):
    app = ZipinApp(here)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        await pilot.press("f7")
        await answer_path(pilot, here)
        await until(pilot, lambda: any("已生成 12 个下一年度记录" in m for m in messages(app)))
        assert len(main.list.entries) == 24
        made = [load(p).project for p in here.glob("*.toml")]
        assert sorted(p.year for p in made) == [2023] * 12 + [2024] * 12
        # each new file keeps its source's ordering prefix beside it, none overwritten
        news = sorted(p.name for p in here.glob("*.toml") if load(p).project.year == 2024)
        assert news[0] == "01-残疾人基本保障和帮扶经费-2024.toml" and news[11].startswith("12-")
        assert main.doc.project.year == 2024  # the editor is on the first new one
        assert all(i.actual == "" for p in made if p.year == 2024 for i in p.indicators)
        first = next(k for k, e in main.list.entries.items() if e.year == 2023)
        main.list.select_key(first)
        await pilot.pause()
        await pilot.press("f7")  # again from 2023: nothing to make
        await answer_path(pilot, here)
        await until(pilot, lambda: any("已有这些项目的下一年度记录" in m for m in messages(app)))
        assert len(list(here.glob("*.toml"))) == 24


async def test_export_xlsx_from_the_palette(here, tmp_path):
    app = ZipinApp(here)
    out = tmp_path / "交.xlsx"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        main.action_export_xlsx()
        await answer_path(pilot, out)
        await until(pilot, lambda: any("已写入" in m and "12 个项目" in m for m in messages(app)))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "汇总" and len(wb.sheetnames) == 13
    ws = wb["汇总"]
    assert [f"{ws.cell(r, 8).value:.2f}" for r in range(3, 15)] == [s[4] for s in FIGURES]


def test_summary_snapshot(here, snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(pilot.app.screen, PrintedScreen))
        await pilot.pause()

    assert snap_compare(ZipinApp(here), terminal_size=SIZE, run_before=run_before)


async def test_export_then_import_xlsx_into_the_same_folder(here, tmp_path):
    """The workbook comes back in after the preview: 12 new records, each under a new id (the ids
    in the hidden column are already in the folder), figures as the originals'."""
    from tui.ui.screens.textpreview import TextPreviewScreen

    app = ZipinApp(here)
    out = tmp_path / "book.xlsx"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        main.action_export_xlsx()
        await answer_path(pilot, out)
        await until(pilot, lambda: out.exists() and app.screen is main)
        main.action_import_xlsx()
        await answer_path(pilot, out)
        await until(pilot, lambda: isinstance(app.screen, TextPreviewScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("已导入 12 张表" in m for m in messages(app)))
        assert len(main.list.entries) == 24
        totals = sorted(str(e.total) for e in main.list.entries.values())
        assert totals == sorted([s[4] for s in FIGURES] * 2)
    projects = [load(p).project for p in here.glob("*.toml")]
    assert len({p.id for p in projects}) == 24


async def test_the_preview_shows_last_years_figures(here):
    """F5 on a record started by next-year: last year's actual and score beside this year's."""
    subprocess.run([sys.executable, "-m", "tui", "next-year", str(here)], check=True,
                   capture_output=True, cwd=ROOT)
    app = ZipinApp(here.parent / "2024")  # beside 2023, where next-year writes
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        first = next(k for k, e in main.list.entries.items() if e.name == FIGURES[10][1])  # 信息化建设项目
        main.list.select_key(first)
        await pilot.pause()
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, PrintedScreen))
        text = plain(app.screen.query_one("#printed Static"), 150)
        assert "与上年度对照（2023年度 → 2024年度）" in text
        # 平台建设完成率: 70.00(%) scored 7.00 in 2023 (the seed), nothing yet in 2024
        row = next(line for line in text.splitlines() if "平台建设完成率" in line and "7.00" in line)
        assert "70.00(%)" in row


async def test_the_grid_shows_last_years_figures_on_f4(here):
    """F4 on a record started by next-year: the grid's 实际完成值 and 得分 cells carry last
    year's beside this year's; F4 again and they are gone."""
    subprocess.run([sys.executable, "-m", "tui", "next-year", str(here)], check=True,
                   capture_output=True, cwd=ROOT)
    app = ZipinApp(here.parent / "2024")
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        first = next(k for k, e in main.list.entries.items() if e.name == FIGURES[10][1])  # 信息化建设项目
        main.list.select_key(first)
        await pilot.pause()
        grid = main.grid
        row = next(i for i, item in enumerate(grid.project.indicators) if item.name == "平台建设完成率")
        assert grid.cell_text(row, "actual") == "" and "上年" not in grid.cell_text(row, "score")
        grid.focus()
        await pilot.press("f4")
        await pilot.pause()
        # 平台建设完成率: 70.00(%) scored 7.00 in 2023 (the seed), nothing yet in 2024
        assert grid.cell_text(row, "actual") == "— ｜ 上年 70.00(%)"
        assert grid.cell_text(row, "score").endswith("｜ 上年 7.00")
        grid.goto(f"indicators[{row}].actual")  # typing while shown edits this year's value only
        await pilot.press("8", "0", "enter")
        await pilot.pause()
        assert main.doc is not None and main.doc.project.indicators[row].actual.startswith("80")
        assert grid.cell_text(row, "actual").endswith("｜ 上年 70.00(%)")
        assert not grid.cell_text(row, "actual").startswith("—")
        await pilot.press("f4")
        await pilot.pause()
        assert grid.cell_text(row, "actual") == main.doc.project.indicators[row].actual
        assert "上年" not in grid.cell_text(row, "score")
