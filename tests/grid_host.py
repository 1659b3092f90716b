"""A tiny app hosting the IndicatorGrid with a Document, answering its messages as the shell does.

Used by tests/test_grid.py, the snapshot test and tests/perf/bench_keystroke.py.
"""

from __future__ import annotations


from rich.text import Text
from textual import on
from textual.app import App, ComposeResult

from tui.core.document import Document
from tui.core.format import fixed
from tui.core.model import Project
from tui.core.rules import load_rules
from tui.store.recordfile import load
from tui.ui.widgets.edits import Cancel, Commit, Preview
from tui.ui.widgets.grid import IndicatorGrid
from tui.ui.widgets.line import TextLine
from conftest import SAMPLES



def sample(stem: str = "11") -> Project:
    path = next(SAMPLES.glob(f"{stem}-*.toml"))
    return load(path).project


class GridHost(App):
    CSS = """
    #grid { height: 1fr; }
    #total { height: 1; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.doc = Document(project, load_rules(project.rules))
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield IndicatorGrid(id="grid")
        yield TextLine(id="total")  # the app's labels (ScoreBar) are TextLines too

    def on_mount(self) -> None:
        self.grid = self.query_one(IndicatorGrid)
        self.grid.judge = self.doc.check  # as the editor pane does
        self.total = self.query_one("#total", TextLine)
        self._show(self.doc.project, self.doc.assessment)
        self.grid.focus()

    def _show(self, project, assessment) -> None:
        self.grid.show(project, assessment)
        sheet = assessment.sheet
        self.total.update(Text(f"总分 {fixed(sheet.total)}  评分等级 {sheet.grade}"), layout=False)

    @on(Preview)
    def _preview(self, event: Preview) -> None:
        self.messages.append(event)
        self._show(*self.doc.preview(event.path, event.text))

    @on(Commit)
    def _commit(self, event: Commit) -> None:
        self.messages.append(event)
        self.doc.edit(event.path, event.text)
        self._show(self.doc.project, self.doc.assessment)

    @on(Cancel)
    def _cancel(self, event: Cancel) -> None:
        self.messages.append(event)
        self._show(self.doc.project, self.doc.assessment)

    @on(IndicatorGrid.Replace)
    def _replace(self, event: IndicatorGrid.Replace) -> None:
        self.messages.append(event)
        self.doc.commit(event.change(self.doc.project))
        self._show(self.doc.project, self.doc.assessment)
