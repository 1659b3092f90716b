"""The main screen's typed text: each keystroke in a field previews the project (scores follow),
Enter or leaving the field commits it, Esc drops it; `flush` commits whatever is typed anywhere
(a field, a funding cell, a grid cell) before a save, a move to another project or an undo.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Input, TextArea

from tui.core.editing import apply_edit, label, value_text
from tui.core.model import ParseError, Project
from tui.ui.widgets.fields import FieldInput
from tui.ui.widgets.status import StatusLine
from tui.ui.widgets.header import GoalArea
from tui.ui.screens.parts import MainParts
from tui.printed.layout import layout_or_default
from tui.ui.screens.texts import TextsScreen, text_fields

NUMERIC_PATHS = ("funding.", "year")


class EditingPart(MainParts):
    """Fields, flush and commit, undo and redo (a part of MainScreen: see main.py)."""

    @on(Input.Changed, "FieldInput")
    def _field_changed(self, event: Input.Changed) -> None:
        field = event.input
        if isinstance(field, FieldInput) and field.has_focus:
            self._preview_text(field, event.value)

    @on(TextArea.Changed, "GoalArea")
    def _goal_changed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if isinstance(area, GoalArea) and area.has_focus:
            self._preview_text(area, area.text)

    def _preview_text(self, field: FieldInput | GoalArea, text: str) -> None:
        doc = self.doc
        if doc is None:
            return
        status = self.query_one("#edit-status", StatusLine)
        try:
            project, assessment = doc.preview(field.path, text)
        except ParseError as exc:
            # The record keeps what it had: show its figures, and why the text is not taken.
            had_preview = self.edit.preview is not None
            self.edit.typing("field", None, field)
            field.mark(str(exc))
            status.set(f"✗ {exc}")
            status.set_class(True, "-bad")
            if had_preview:
                self.refresh_views(doc.project, doc.assessment)
            self.dirty = True
            return
        status.set_class(False, "-bad")
        understood = value_text(project, field.path)
        if project == doc.project or understood == value_text(doc.project, field.path):
            was_pending = self.edit.source == "field"
            self.edit.clear("field")
            field.mark(None)
            status.set("")
            if was_pending:  # typed back to what it was: show the committed figures again
                self.refresh_views(doc.project, doc.assessment)
            return
        self.edit.typing("field", project, field)
        field.mark(None, pending=True)
        if field.path.startswith(NUMERIC_PATHS) and understood != text.strip():
            status.set(f"{label(field.path)}：按 {understood} 理解（Enter 确认，Esc 取消）")
        else:
            status.set(f"{label(field.path)}：输入中（Enter 确认，Esc 取消）")
        self.refresh_views(project, assessment)
        self.schedule_draft(self.current)

    @on(Input.Submitted, "FieldInput")
    def _field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()

    def on_descendant_focus(self, event) -> None:
        self._fold_goals(event.widget)  # navigation.py: folded goal texts close behind the focus
        form = self.query_one("#form")
        inside = form in event.widget.ancestors
        if inside != form.has_class("-active"):
            form.set_class(inside, "-active")

    def on_descendant_blur(self, event) -> None:
        widget = event.widget
        if widget is self.funding and self.funding.editing:
            taken = self.funding.take_edit()
            if taken and taken[2]:
                self.funding.cancel_edit()
                self.say(f"{label(taken[0])}：未采用输入。{taken[2]}", severity="warning")
            elif taken:
                self.edit.clear("table")
                self._commit_text(taken[0], taken[1])
        if self.edit.source == "field" and widget is self.edit.field:
            if not self.flush():
                self._drop_pending(notify=True)
        if isinstance(widget, FieldInput) and widget.id != "filter":
            widget.show(self.doc.project if self.doc else Project())

    def flush(self) -> bool:
        """Commit what is typed but not yet committed (a field, a grid cell). False when the text
        can't be taken (it stays, marked, with the reason)."""
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
                self._changed()
            else:
                ok = False
        taken = self.funding.take_edit()
        if taken is not None:
            path, text, error = taken
            if error:
                ok = False
            else:
                self.edit.clear("table")
                self._commit_text(path, text)
        field = self.edit.field if self.edit.source == "field" else None
        if isinstance(field, (FieldInput, GoalArea)):
            text = field.value if isinstance(field, FieldInput) else field.text
            try:
                project = apply_edit(doc.project, field.path, text)
            except ParseError as exc:
                field.mark(str(exc))
                return False
            self.edit.clear("field")
            field.mark(None)
            self._commit_text(field.path, text, project)
        return ok

    def _commit_text(self, path: str, text: str, project: Project | None = None) -> None:
        """Commit typed text into the current project (only if it changes the field's value:
        retyping an amount must not drop the stated 年度资金总额)."""
        doc = self.doc
        if doc is None:
            return
        project = project or apply_edit(doc.project, path, text)
        status = self.query_one("#edit-status", StatusLine)
        status.set("")
        status.set_class(False, "-bad")
        if value_text(project, path) != value_text(doc.project, path):
            doc.commit(project)
            if path == "name":
                self.warn_duplicate_name(self.current)  # files.py
        self._changed()

    def _discard_unflushed(self) -> None:
        """Leaving a project with text that can't be taken: drop it, and say so."""
        table = self.funding
        if table.editing:
            path, error = table.cursor_path, table.edit_error
            table.cancel_edit()
            self._table_cancel()  # now, not on its Cancel message: the list entry drops the preview
            self.say(f"{label(path)}：未采用输入。{error}", severity="warning")
        if self.grid.editing:
            self.grid.cancel_edit()
            self._grid_cancel()  # now, not on its Cancel message: the list entry drops the preview
            self.say("指标表中无法采用的输入已放弃", severity="warning")
        if self.edit.source == "field":
            self._drop_pending(notify=True)

    def _drop_pending(self, notify: bool = False) -> None:
        """Throw away text typed in a field (not a table): the field shows the record again."""
        field = self.edit.field if self.edit.source == "field" else None
        if not isinstance(field, (FieldInput, GoalArea)):
            return
        reason = getattr(field, "reason", None)
        self.edit.clear("field")
        if self.doc is not None:
            field.show(self.doc.project, force=True)
        status = self.query_one("#edit-status", StatusLine)
        status.set("")
        status.set_class(False, "-bad")
        if notify:
            self.say(f"{label(field.path)}：未采用输入。{reason or ''}",
                        severity="warning")
        if self.doc is not None:
            self.refresh_views(self.doc.project, self.doc.assessment)
        self.schedule_draft(self.current)


    def action_texts(self) -> None:
        """F3: the record's texts its layout prints beyond the table (项目负责人及电话, 评价结论…),
        edited on their own screen and committed here as one undoable edit."""
        doc, key = self.doc, self.current
        if doc is None or key is None or not self.flush():
            return
        form = layout_or_default(doc.project.layout, self.folder)
        if not text_fields(doc.project, form):
            self.say(f"此项目的表样（版式 {form.name}）除表格外没有其他文字可填", timeout=4)
            return

        def done(changed: dict[str, str] | None) -> None:
            target = self.docs.get(key)
            if not changed or target is None:
                return
            project = target.project
            for path, text in changed.items():  # checked by the screen with the same apply_edit
                project = apply_edit(project, path, text)
            if target.commit(project):
                self._changed(key)
                self.say(f"已记入 {len(changed)} 处表上文字（Ctrl+Z 撤销）", timeout=3)

        self.app.push_screen(TextsScreen(doc.project, form), done)

    def action_undo(self) -> None:
        if self.focused is self.list and self.restore_trashed():  # a deleted project (files.py)
            return
        self._undo_redo(undo=True)

    def action_redo(self) -> None:
        self._undo_redo(undo=False)

    def _undo_redo(self, undo: bool) -> None:
        doc = self.doc
        if doc is None:
            return
        if self.edit.source == "field" and self.edit.invalid:
            self._drop_pending()  # invalid text typed: Ctrl+Z throws it away
            return
        taken = self.funding.take_edit()
        if taken is not None and taken[2]:
            self.funding.cancel_edit()  # the same in the funding table
            return
        if taken is not None:
            self.edit.clear("table")
            self._commit_text(taken[0], taken[1])
        self.flush()
        if doc.undo() if undo else doc.redo():
            self._changed(force=True)
        else:
            self.say("没有可撤销的修改" if undo else "没有可重做的修改", timeout=2)

