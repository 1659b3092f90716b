"""Format-2 records in the app, driven by keys: a row set of four, blank cells typed and shown,
a stated total edited, a word actual, and the 未定 marks while errors remain."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tui.store import recordfile
from tui.ui.app import ZipinApp

from conftest import OTHER, copy_samples

from pilot import SIZE, ready, to_field  # pytest puts tests/ on the path

QINGSHEN = "03-四川青神-工资性支出-2023.toml"


async def to_cell(pilot, path: str) -> None:
    """Tab to the funding table, then arrows to a cell of whatever row set it shows."""
    await to_field(pilot, "funding")
    table = pilot.app.main.funding
    for _ in range(20):
        if table.cursor_path == path:
            return
        (line, column), (here, there) = table._paths[path], table._paths[table.cursor_path]
        if line != here:
            await pilot.press("up" if line < here else "down")
        else:
            await pilot.press("left" if column < there else "right")
    raise AssertionError(f"never reached {path}")


async def open_record(pilot, name: str):
    main = await ready(pilot)
    main.list.focus()
    for _ in range(12):
        if main.current and main.current.endswith(name):
            break
        await pilot.press("down")
    await pilot.pause()
    assert main.current.endswith(name)
    return main


async def test_sichuan_rows_blank_cells_and_marks(tmp_path: Path):
    folder = copy_samples(tmp_path / "other", OTHER)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_record(pilot, QINGSHEN)
        table = main.funding
        assert table.size.height == 6  # the header, the total and four sub-rows
        assert table.cell_text("funding.other.budget") == "—"
        assert table.cell_text("funding.special_account.budget") == "0.00"
        bar = main.query_one("#scorebar")
        assert "等级 差（未定：4 个错误）" in bar.plain and "总分 10.00（未定）" in bar.plain
        # A blank typed as the form prints it, and a 0 that stays a 0.
        await to_cell(pilot, "funding.unit.executed")
        await pilot.press("ctrl+u", "/", "enter")
        assert table.cell_text("funding.unit.executed") == "—"
        assert main.doc.project.funding.unit.executed is None
        # The form's own total is edited in its own cell.
        await to_cell(pilot, "funding.total.budget")
        await pilot.press("ctrl+u", *"238.930", "enter")
        assert table.cell_text("funding.total.budget") == "238.930"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = recordfile.load(folder / QINGSHEN)
    assert saved.project.funding.unit.executed is None
    assert saved.project.funding.stated_total.budget == Decimal("238.930")
    text = (folder / QINGSHEN).read_text(encoding="utf-8")
    assert 'budget = "238.930"' in text and 'executed = ""' in text and "format = 2" in text


async def test_marks_go_when_the_errors_are_fixed(tmp_path: Path):
    folder = copy_samples(tmp_path / "other", OTHER)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_record(pilot, QINGSHEN)
        grid = main.grid
        grid.focus()
        grid.goto("indicators[0].actual")
        await pilot.press(*"完成", "enter")
        await pilot.pause()
        assert main.doc.project.indicators[0].actual == "完成"
        grid.goto("indicators[1].actual")
        await pilot.press(*"100%", "enter")
        await pilot.pause()
        bar = main.query_one("#scorebar")
        assert "总分 100.00 " in bar.plain and "等级 优 " in bar.plain and "未定" not in bar.plain
        entry = main.list.entries[main.current]
        assert entry.errors == 0 and entry.grade == "优"


async def test_a_funding_score_by_hand_and_its_reason(tmp_path: Path):
    folder = copy_samples(tmp_path / "other", OTHER)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_record(pilot, "01-湖北鄂州-市民中心运行维护费-2021.toml")
        note = main.query_one("#funding-note")
        assert note.display and main.funding.cell_text("total.score") == "98*"
        main.jump("funding.reason")
        await pilot.pause()
        assert main.focused.id == "funding-reason"
        await pilot.press(*"按考核结果", "enter")
        await pilot.pause()
        assert main.doc.project.funding.reason == "按考核结果"
        assert "funding.reason" not in {p.path for p in main.doc.assessment.problems}
        # Clearing the hand score in its cell: the formula's again, and the reason line stays
        # while a reason is written.
        await to_cell(pilot, "funding.score")
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert main.doc.project.funding.score is None and main.funding.cell_text("total.score") == "84"
        main.show_current()
        await pilot.pause()
        first = await open_record(pilot, "02-四川大英-安可替代补助资金-2023.toml")
        assert not first.query_one("#funding-note").display


async def test_the_form_layout_and_profile_show_in_the_app(tmp_path: Path):
    """01 鄂州's profile prints scores whole (18, not 18.00); 03 青神 is laid out as 四川's form
    (权重, 完成值, 实施单位（盖章）); 05 衡山 prints no 年初预算数 (budget_column = false): the table
    leaves the column out and the cursor never stands in it."""
    folder = copy_samples(tmp_path / "other", OTHER)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_record(pilot, "01-湖北鄂州-市民中心运行维护费-2021.toml")
        grid = main.query_one("IndicatorGrid")
        assert grid.cell_text(0, "score").startswith("18 (算 17)")

        main = await open_record(pilot, QINGSHEN)
        grid = main.query_one("IndicatorGrid")
        heading = "".join(seg.text for seg in grid._painter.header(-1))
        assert "权重" in heading and "完成值" in heading and "分值" not in heading
        assert "实施单位（盖章）" in str(main.query_one("HeaderForm").labels["implementer"].render())

        main = await open_record(pilot, "05-湖南衡山-县级储备粮-2020.toml")
        table = main.funding
        assert table._widths()[1] == 0
        assert not any(path.endswith(".budget") for path in table._paths)
        header = "".join(seg.text for seg in table.render_line(0))
        assert "年初预算数" not in header and "全年预算数" in header
        await to_field(pilot, "funding")
        for key in ("left",) * 4:
            await pilot.press(key)
            assert not table.cursor_path.endswith(".budget")
