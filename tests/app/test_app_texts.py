"""The record's texts beyond the table (F3), as its layout names them, driven by keys: typed,
committed through the Document as one undoable edit, saved, printed; Esc keeps the record as it
was; a layout with no such texts says so. (The edit path itself: tests/unit/test_texts_edit.py.)"""

from __future__ import annotations

from pathlib import Path

from tui.store import recordfile
from tui.ui.app import ZipinApp
from tui.ui.screens.texts import TextsScreen

from conftest import OTHER, copy_samples
from pilot import SIZE
from test_app_forms import QINGSHEN, open_record

EZHOU = "01-湖北鄂州-市民中心运行维护费-2021.toml"  # central layout: no texts beyond the table


async def test_closing_texts_typed_saved_and_undone(tmp_path: Path):
    folder = copy_samples(tmp_path / "other", OTHER)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_record(pilot, QINGSHEN)
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TextsScreen)
        # The sichuan layout's texts, labelled as the form prints them, in its order.
        assert [title for _p, title, _m in screen.fields] == ["评价结论", "存在问题", "改进措施",
                                                             "项目负责人", "财务负责人"]
        await pilot.press("end", *"总分90分")
        await pilot.press("tab", "tab", "tab", *"张三13800000000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        project = main.doc.project
        assert project.text("conclusion").endswith("(200字以内)总分90分")
        assert project.text("leader") == "张三13800000000"
        assert main.doc.dirty
        await pilot.press("ctrl+s")  # saved through the document, as any edit
        await pilot.pause()
        saved = recordfile.load(folder / QINGSHEN).project
        assert saved.text("leader") == "张三13800000000"
        assert saved.text("problems") == "结合自评情况,分析存在的问题及原因。(200字以内)"
        # One edit: one undo takes both texts back.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert main.doc.project.text("leader") == ""
        assert main.doc.project.text("conclusion").endswith("(200字以内)")
        # Esc leaves the record as it was, whatever was typed.
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"不要")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert main.doc.project.text("conclusion").endswith("(200字以内)")


async def test_a_layout_without_texts_says_so(tmp_path: Path):
    folder = copy_samples(tmp_path / "other", OTHER)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_record(pilot, EZHOU)
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is main
        assert any("没有其他文字" in str(n.message) for n in app._notifications)
