"""The main screen's two tables: the funding table and the indicator grid report typed text as
messages (preview, commit, cancel); the screen turns them into previews and edits of the document.
"""

from __future__ import annotations

from textual import on

from tui.core.editing import label, value_text
from tui.core.model import ParseError
from tui.ui.widgets.funding import FundingTable
from tui.ui.widgets.status import StatusLine
from tui.ui.widgets.grid import IndicatorGrid
from tui.ui.screens.parts import MainParts


class TablesPart(MainParts):
    """Messages of the funding table and the indicator grid (a part of MainScreen: see main.py)."""

    # -- the funding table -------------------------------------------------------------------

    @on(FundingTable.Edited)
    def _table_edited(self, message: FundingTable.Edited) -> None:
        doc = self.doc
        if doc is None:
            return
        status = self.query_one("#edit-status", StatusLine)
        if message.error:
            had_preview = self.edit.preview is not None
            self.edit.typing("table", None)
            status.set(f"✗ {message.error}")
            status.set_class(True, "-bad")
            if had_preview:
                self.refresh_views(doc.project, doc.assessment)
            self.dirty = True
            return
        status.set_class(False, "-bad")
        project, assessment = doc.preview(message.path, message.text)
        understood = value_text(project, message.path)
        if understood == value_text(doc.project, message.path):
            self.edit.clear()  # typed back to what it was
            project, assessment = doc.project, doc.assessment
        else:
            self.edit.typing("table", project)
        if understood != message.text.strip():
            status.set(f"{label(message.path)}：按 {understood} 理解（Enter 确认，Esc 取消）")
        else:
            status.set(f"{label(message.path)}：输入中（Enter 确认，Esc 取消）")
        self.refresh_views(project, assessment)
        self.schedule_draft(self.current)

    @on(FundingTable.Commit)
    def _table_commit(self, message: FundingTable.Commit) -> None:
        if self.doc is None:
            return
        self.edit.clear("table")
        try:
            self._commit_text(message.path, message.text)
        except ParseError as exc:  # pragma: no cover - the table checked it
            self.say(str(exc), severity="error")

    @on(FundingTable.Cancel)
    def _table_cancel(self) -> None:
        self.edit.clear("table")
        status = self.query_one("#edit-status", StatusLine)
        status.set("")
        status.set_class(False, "-bad")
        if self.doc is not None:
            self.refresh_views(self.doc.project, self.doc.assessment)
        self.schedule_draft(self.current)

    # -- the grid ----------------------------------------------------------------------------

    @on(IndicatorGrid.Preview)
    def _grid_preview(self, message: IndicatorGrid.Preview) -> None:
        doc = self.doc
        if doc is None:
            return
        try:
            project, assessment = doc.preview(message.path, message.text)
        except ParseError:
            return
        if project != doc.project:
            self.edit.typing("grid", project)
        else:
            self.edit.clear("grid")
        self.refresh_views(project, assessment)

    @on(IndicatorGrid.Commit)
    def _grid_commit(self, message: IndicatorGrid.Commit) -> None:
        if self.edit.flushed == (message.path, message.text):
            self.edit.flushed = None  # already committed by flush()
            return
        doc = self.doc
        if doc is None:
            return
        self.edit.clear("grid")
        try:
            doc.edit(message.path, message.text)
        except ParseError as exc:
            self.say(str(exc), severity="error")
        self._changed()

    @on(IndicatorGrid.Cancel)
    def _grid_cancel(self) -> None:
        self.edit.clear("grid")
        if self.doc is not None:
            self.refresh_views(self.doc.project, self.doc.assessment)

    @on(IndicatorGrid.Replace)
    def _grid_replace(self, message: IndicatorGrid.Replace) -> None:
        if self.doc is not None:
            self.doc.commit(message.project)
            self._changed()

