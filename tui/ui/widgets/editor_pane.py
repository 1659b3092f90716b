"""The editor pane: the project in the editor, every field of it, and the one edit path.

It holds the `Document` being edited and the `EditSession` (shared by reference with the screen,
which asks it whether a project is dirty). Typed text comes from three kinds of editor: a header
field or goal area (Textual's Changed messages), a funding-table cell or an indicator-grid cell
(`widgets/edits`: Preview / Commit / Cancel with the field path and the text). Whichever it is,
the text goes one way: `Document.preview` on each keystroke (scores follow), `Document.edit` on
Enter or leaving the field, and the pane repaints what changed. The tables ask the same document
whether a text can be taken (`judge`), so a keystroke is parsed and assessed once.

The pane tells the screen by `Shown` (the project on screen changed: the list's line, the
problems, the title follow; a draft is due) and never touches files or the list itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from tui.core.document import Document
from tui.core.editing import label, value_text
from tui.core.model import ParseError, Project
from tui.core.validation import Assessment
from tui.ui.session import EditSession
from tui.ui.widgets.edits import Cancel, Commit, Preview, Source, taken
from tui.ui.widgets.fields import FieldInput
from tui.ui.widgets.funding import FundingTable
from tui.ui.widgets.grid import IndicatorGrid
from tui.ui.widgets.header import FormBox, FundingReason, GoalsForm, HeaderForm, goal_area
from tui.ui.widgets.status import ScoreBar, StatusLine

if TYPE_CHECKING:
    from textual.widgets import TextArea
    from tui.ui.widgets.goals import GoalArea

NUMERIC_PATHS = ("funding.", "year")


class EditorPane(Vertical):
    """Score bar, status line, header and funding, goals and the indicator grid of one project."""

    TAKES_EDITS = True  # the tables post their edits here (widgets/post.py)

    class Shown(Message):
        """The project of `doc` on screen changed (`project`: committed or previewed); `draft`:
        unsaved work changed and a draft is due; `named`: a new name was committed. (The screen
        may have moved to another document by the time it reads this.)"""

        def __init__(self, doc: Document, project: Project, assessment: Assessment,
                     draft: bool = True, named: bool = False) -> None:
            super().__init__()
            self.doc, self.project, self.assessment = doc, project, assessment
            self.draft, self.named = draft, named

    class Said(Message):
        """Something to tell the user (a warning: text typed was not taken)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, edit: EditSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.edit = edit
        self.doc: Document | None = None

    def compose(self) -> ComposeResult:
        yield ScoreBar(id="scorebar")
        yield StatusLine("", id="edit-status")
        with FormBox(id="form"):
            yield HeaderForm(id="header-form")
            yield FundingTable(id="funding")
        yield GoalsForm(id="goals")
        yield IndicatorGrid(id="grid")

    def on_mount(self) -> None:
        self.query_one("#form").border_title = "表头与项目资金"
        self.grid.border_title = "绩效指标"

    @property
    def funding(self) -> FundingTable:
        return self.query_one("#funding", FundingTable)

    @property
    def grid(self) -> IndicatorGrid:
        return self.query_one("#grid", IndicatorGrid)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#edit-status", StatusLine)

    def _say_status(self, text: str, bad: bool = False) -> None:
        self.status.set(text)
        self.status.set_class(bad, "-bad")

    # -- the document shown --------------------------------------------------------------------

    def open(self, doc: Document | None) -> None:
        """Edit `doc` (the screen committed or dropped what was typed in the last one)."""
        self.doc = doc
        judge = doc.check if doc is not None else taken
        self.funding.judge = judge
        self.grid.judge = judge

    def home(self) -> None:
        """Each table where this project's typing starts."""
        if self.doc is not None:
            self.funding.home(self.doc.project)
            self.grid.home()

    def reset(self) -> None:
        """Nothing typed any more: fields unmarked, the status line empty."""
        self.edit.clear()
        for field in self.query(FieldInput):
            field.mark(None)
        self.status.set("")

    def show(self, project: Project, assessment: Assessment, dirty: bool, force: bool = False,
             ) -> None:
        """Repaint every field from `project` (committed or previewed); each widget redraws only
        what changed, so this is the per-keystroke path too. `force` also rewrites the field that
        has focus (after undo, redo, reload)."""
        self.query_one(HeaderForm).show(project, force)
        self.funding.show(project, assessment, force)
        notes = self.query(FundingReason)
        if notes:
            notes.first().show(project, force)
        elif FundingReason.needed(project):
            self.query_one("#form").mount(FundingReason(project, id="funding-note"))
        self.query_one(GoalsForm).show(project, force)
        self.query_one(ScoreBar).show(assessment, dirty)
        self.grid.show(project, assessment)

    def _repaint(self, project: Project, assessment: Assessment, draft: bool = True,
                 named: bool = False, force: bool = False) -> None:
        """Show `project` here and tell the screen (its list line, problems, title, draft)."""
        if self.doc is None:
            return
        self.show(project, assessment, self.edit.active or self.doc.dirty, force)
        self.post_message(self.Shown(self.doc, project, assessment, draft, named))

    def _committed(self, draft: bool = True, named: bool = False, force: bool = False) -> None:
        if self.doc is not None:
            self._repaint(self.doc.project, self.doc.assessment, draft, named, force)

    # -- typed text: the one path --------------------------------------------------------------

    @on(Input.Changed, "FieldInput")
    def _field_changed(self, event: Input.Changed) -> None:
        field = event.input
        if isinstance(field, FieldInput) and field.has_focus:
            self.typed("field", field.path, event.value, field)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:  # by name: no TextArea import
        area = event.text_area
        if isinstance(area, goal_area()) and area.has_focus:
            self.typed("field", area.path, area.text, area)

    @on(Preview)
    def _preview(self, message: Preview) -> None:
        self.typed(message.source, message.path, message.text)

    def typed(self, source: Source, path: str, text: str,
              field: FieldInput | GoalArea | None = None) -> None:
        """A keystroke in any editor: preview what the text makes of the project."""
        doc = self.doc
        if doc is None:
            return
        try:
            project, assessment = doc.preview(path, text)
        except ParseError as exc:
            if source == "grid":
                return  # the grid says why on its own status line
            # The record keeps what it had: show its figures, and why the text is not taken.
            self.edit.typing(source, None, field)
            if field is not None:
                field.mark(str(exc))
            self._say_status(f"✗ {exc}", bad=True)
            # The committed figures again if a preview was shown; either way, marked unsaved.
            self._committed(draft=False)
            return
        understood = value_text(project, path)
        same = project == doc.project or understood == value_text(doc.project, path)
        if source == "grid":  # the grid shows what it understood on its own status line
            (self.edit.clear("grid") if same else self.edit.typing("grid", project))
            self._repaint(project, assessment, draft=False)
            return
        self.status.set_class(False, "-bad")
        if same and source == "field":
            was_pending = self.edit.source == "field"
            self.edit.clear("field")
            if field is not None:
                field.mark(None)
            self.status.set("")
            if was_pending:  # typed back to what it was: show the committed figures again
                self._committed()
            return
        if same:
            self.edit.clear()  # typed back to what it was
            project, assessment = doc.project, doc.assessment
        else:
            self.edit.typing(source, project, field)
        if field is not None:
            field.mark(None, pending=True)
        if (source == "table" or path.startswith(NUMERIC_PATHS)) and understood != text.strip():
            self.status.set(f"{label(path)}：按 {understood} 理解（Enter 确认，Esc 取消）")
        else:
            self.status.set(f"{label(path)}：输入中（Enter 确认，Esc 取消）")
        self._repaint(project, assessment)

    @on(Commit)
    def _commit(self, message: Commit) -> None:
        if self.edit.flushed == (message.path, message.text):
            self.edit.flushed = None  # already committed by flush()
            return
        if self.doc is None:
            return
        self.edit.clear(message.source)
        try:
            if message.source == "grid":
                self.doc.edit(message.path, message.text)
                self._committed()
            else:
                self.commit_text(message.path, message.text)
        except ParseError as exc:  # the table checked it; the document changed since
            self.post_message(self.Said(str(exc)))
            self._committed()

    @on(Cancel)
    def _cancel(self, message: Cancel) -> None:
        self.edit.clear(message.source)
        if message.source == "table":
            self._say_status("")
        self._committed(draft=message.source != "grid")

    @on(IndicatorGrid.Replace)
    def _replace(self, message: IndicatorGrid.Replace) -> None:
        if self.doc is not None:
            self.doc.commit(message.change(self.doc.project))
            self._committed()

    @on(Input.Submitted, "FieldInput")
    def _field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()

    def commit_text(self, path: str, text: str) -> None:
        """Commit typed text into the project (only if it changes the field's value: retyping an
        amount must not drop the stated 年度资金总额); ParseError if it can't be taken."""
        doc = self.doc
        if doc is None:
            return
        project, assessment = doc.preview(path, text)
        self._say_status("")
        named = False
        if value_text(project, path) != value_text(doc.project, path):
            doc.commit(project, assessment)
            named = path == "name"
        self._committed(named=named)

    def flush(self) -> bool:
        """Commit what is typed but not yet committed (a field, a funding or grid cell). False
        when the text can't be taken (it stays, marked, with the reason)."""
        doc = self.doc
        if doc is None:
            return True
        ok = True
        grid = self.grid
        if grid.editing:
            path, text = grid.cursor_path, grid.edit_text or ""
            if grid.commit_edit():
                self.edit.flushed = (path, text)
                try:
                    doc.edit(path, text)
                except ParseError:  # pragma: no cover - the grid checked it
                    pass
                self.edit.clear("grid")
                self._committed()
            else:
                ok = False
        taken_edit = self.funding.take_edit()
        if taken_edit is not None:
            path, text, error = taken_edit
            if error:
                ok = False
            else:
                self.edit.clear("table")
                self.commit_text(path, text)
        field = self.edit.field if self.edit.source == "field" else None
        if field is not None and isinstance(field, (FieldInput, goal_area())):
            text = field.value if isinstance(field, FieldInput) else field.text
            try:
                doc.preview(field.path, text)
            except ParseError as exc:
                field.mark(str(exc))
                return False
            self.edit.clear("field")
            field.mark(None)
            self.commit_text(field.path, text)
        return ok

    def discard_unflushed(self) -> None:
        """Leaving a project with text that can't be taken: drop it, and say so."""
        table = self.funding
        if table.editing:
            path, error = table.cursor_path, table.edit_error
            table.cancel_edit()
            self.edit.clear("table")  # now, not on its Cancel: the list's line drops the preview
            self._say_status("")
            self._committed()
            self.post_message(self.Said(f"{label(path)}：未采用输入。{error}"))
        if self.grid.editing:
            self.grid.cancel_edit()
            self.edit.clear("grid")
            self._committed(draft=False)
            self.post_message(self.Said("指标表中无法采用的输入已放弃"))
        if self.edit.source == "field":
            self.drop_pending(notify=True)

    def drop_pending(self, notify: bool = False) -> None:
        """Throw away text typed in a field (not a table): the field shows the record again."""
        field = self.edit.field if self.edit.source == "field" else None
        if field is None or not isinstance(field, (FieldInput, goal_area())):
            return
        reason = getattr(field, "reason", None)
        self.edit.clear("field")
        if self.doc is not None:
            field.show(self.doc.project, force=True)
        self._say_status("")
        if notify:
            self.post_message(self.Said(f"{label(field.path)}：未采用输入。{reason or ''}"))
        self._committed()

    def undo_redo(self, undo: bool) -> bool | None:
        """Ctrl+Z / Ctrl+Y: invalid text typed is dropped first (that is the undo); else what is
        typed is committed and the document steps back or on. None: nothing was to be undone."""
        doc = self.doc
        if doc is None:
            return True
        if self.edit.source == "field" and self.edit.invalid:
            self.drop_pending()  # invalid text typed: Ctrl+Z throws it away
            return True
        taken_edit = self.funding.take_edit()
        if taken_edit is not None and taken_edit[2]:
            self.funding.cancel_edit()  # the same in the funding table
            return True
        if taken_edit is not None:
            self.edit.clear("table")
            self.commit_text(taken_edit[0], taken_edit[1])
        self.flush()
        if doc.undo() if undo else doc.redo():
            self._committed(force=True)
            return True
        return None

    # -- focus ---------------------------------------------------------------------------------

    def focus_moved(self, widget: Widget) -> None:
        """The focus went to `widget`, anywhere on the screen: the form is framed as the pane
        with the focus while it is inside (a class flipped here, not :focus-within: app.tcss)."""
        form = self.query_one("#form")
        inside = form in widget.ancestors
        if inside != form.has_class("-active"):
            form.set_class(inside, "-active")

    def on_descendant_blur(self, event) -> None:
        widget = event.widget
        if widget is self.funding and self.funding.editing:
            taken_edit = self.funding.take_edit()
            if taken_edit and taken_edit[2]:
                self.funding.cancel_edit()
                self.post_message(self.Said(f"{label(taken_edit[0])}：未采用输入。{taken_edit[2]}"))
            elif taken_edit:
                self.edit.clear("table")
                self.commit_text(taken_edit[0], taken_edit[1])
        if self.edit.source == "field" and widget is self.edit.field:
            if not self.flush():
                self.drop_pending(notify=True)
        if isinstance(widget, FieldInput):
            widget.show(self.doc.project if self.doc else Project())

    def panes(self) -> list[Widget]:
        """Where F6 goes in the editor: the header, the funding table, the goals, the grid."""
        goals = self.query_one(GoalsForm).first_area()  # mounted after the first frame, or now
        return [self.query_one("#head-name"), self.funding, goals, self.grid]

    def fold_goals(self, focused: Widget | None, short: bool) -> None:
        """At few lines the goal texts show only while one has the focus."""
        goals = self.query_one("#goals")
        show = not short or (focused is not None and goals in focused.ancestors_with_self)
        if goals.display != show:
            goals.display = show
