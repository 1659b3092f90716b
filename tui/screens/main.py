"""The main screen: the project list beside the editor of the project under the list's cursor.

The screen owns one `Document` per project opened (created when the list first shows it) and is
the only place that reads or writes files (through `tui.storage` and `Document`). Widgets only
show a project and report typed text; edits flow one way: typed text -> `Document.preview` (each
keystroke: scores follow) or `Document.edit` (Enter, leaving the field) -> every view repaints
what changed. Unsaved work is written to a draft 0.5 s after the last change and offered back on
the next start.
"""

from __future__ import annotations

import gc
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Static, TextArea

from .. import storage
from ..document import Document
from ..editing import apply_edit, indicator_path, label, new_project, value_text
from ..format import amount, fixed
from ..model import ParseError, Project
from ..rules import Rules, RulesError, load_rules
from ..scoring import ScoreSheet, score
from ..validation import Assessment
from ..widgets.fields import FieldInput
from ..widgets.funding import Cell, FundingTable, ScoreBar
from ..widgets.grid import IndicatorGrid
from ..widgets.keybar import KeyBar
from ..widgets.header import GoalArea, GoalsForm, HeaderForm
from ..widgets.problems import ProblemList
from ..widgets.project_list import SORTS, Entry, ProjectList, visible
from .dialogs import (HelpScreen, PrintedScreen, changed_on_disk_dialog, quit_dialog,
                      recovery_dialog)

DRAFT_DELAY = 0.5  # seconds after the last change before unsaved work is written to a draft
FIRST_BATCH = 30  # records read before the first frame: a screenful of the list

BATCH_SECONDS = 0.25  # the loading thread hands over what it read this often
NUMERIC_PATHS = ("funding.", "year")
_WAN = Decimal(10000)


def _entry(key: str, project: Project, sheet: ScoreSheet, file: str, dirty: bool) -> Entry:
    total = project.funding.total
    scale = _WAN if project.money_unit == "元" else Decimal(1)
    return Entry(key=key, name=project.name, year=project.year, file=file,
                 department=project.department, total=sheet.total, grade=sheet.grade,
                 rate=sheet.rate, adjusted=total.adjusted / scale, executed=total.executed / scale,
                 dirty=dirty)


def year_lines(entries: list[Entry], rules: Rules) -> Text:
    """One line per year: how many projects, budget and executed (万元), grades tallied. The rate
    is rounded by `rules` (the folder's default profile), in its wide context: any amount fits."""
    years: dict[int, list[Entry]] = {}
    for entry in entries:
        years.setdefault(entry.year, []).append(entry)
    text = Text()
    for year in sorted(years, reverse=True):
        items = years[year]
        adjusted = sum((e.adjusted for e in items), Decimal(0))
        executed = sum((e.executed for e in items), Decimal(0))
        rate = rules.q(executed / adjusted * 100) if adjusted else Decimal(0)
        grades: dict[str, int] = {}
        for e in items:
            grades[e.grade] = grades.get(e.grade, 0) + 1
        tally = " ".join(f"{g} {grades.pop(g, 0)}" for g in ("优", "良", "中", "差"))
        tally += "".join(f" {g} {n}" for g, n in grades.items())
        if text:
            text.append("\n")
        text.append(f"{year or '—'}年", style="bold")
        text.append(f" {len(items)} 项  {tally}\n")
        text.append(f"预算 {amount(adjusted)} 执行 {amount(executed)} 万元 {fixed(rate)}%")
    return text


class MainScreen(Screen):
    """List on the left, editor on the right, problems under the list."""

    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="file.save", priority=True),
        Binding("ctrl+z", "undo", "撤销", id="edit.undo", priority=True),
        Binding("ctrl+y", "redo", "重做", id="edit.redo", priority=True),
        Binding("ctrl+n", "new_project", "新建", id="file.new", priority=True),
        Binding("f5", "printed", "打印预览", id="view.printed"),
        Binding("f8", "next_problem", "下一问题", id="check.next_problem"),
        Binding("ctrl+f", "filter", "筛选", id="list.filter", priority=True),
        Binding("ctrl+t", "cycle_sort", "排序", id="list.sort", show=False),
        Binding("f6", "pane(1)", "下一窗格", id="view.next_pane", show=False),
        Binding("shift+f6", "pane(-1)", "上一窗格", id="view.previous_pane", show=False),
        Binding("ctrl+r", "reload", "从磁盘重新载入", id="file.reload", show=False),
        Binding("escape", "escape", "取消输入", id="edit.cancel", show=False),
    ]

    dirty: reactive[bool] = reactive(False)

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.loaded: dict[str, storage.Loaded] = {}  # key -> the record as loaded
        self.docs: dict[str, Document] = {}  # key -> document, for projects opened
        self.rules: dict[str, Rules] = {}
        self.failures: list[storage.RecordError | Exception] = []
        self.current: str | None = None
        self.reading = True
        self._pending: FieldInput | GoalArea | None = None  # a field typed in, not yet committed
        self._preview: Project | None = None  # what the pending text makes of the project
        self._grid_pending = False
        self._table_pending = False
        self._grid_flushed: tuple[str, str] | None = None
        self._draft_keys: set[str] = set()
        self._draft_timer: Timer | None = None
        self._problem_index = -1
        self._recoveries: list[tuple[str, Project, bool]] = []
        self._year_text = ""
        self._last_change = 0.0

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Input(placeholder="筛选：输入名称、文件名或部门", id="filter", compact=True)
                yield ProjectList(id="projects")
                yield Static(id="load-status")
                yield Static(id="year-line")
                with VerticalScroll(id="failures"):
                    yield Static(id="failure-text")
                yield ProblemList(id="problems")
            with Vertical(id="editor"):
                yield ScoreBar(id="scorebar")
                yield Cell("", id="edit-status")
                with Vertical(id="form"):
                    yield HeaderForm(id="header-form")
                    yield FundingTable(id="funding")
                yield GoalsForm(id="goals")
                yield IndicatorGrid(id="grid")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{self.folder.name or self.folder}（自评）"
        self.title = "载入中"
        self.query_one("#projects").border_title = "项目"
        self.query_one("#form").border_title = "表头与项目资金"
        self.query_one("#grid").border_title = "绩效指标"
        self.query_one("#failures").display = False
        self.list.focus()
        self.start_loading()

    @property
    def list(self) -> ProjectList:
        return self.query_one("#projects", ProjectList)

    @property
    def funding(self) -> FundingTable:
        return self.query_one("#funding", FundingTable)

    @property
    def grid(self) -> IndicatorGrid:
        return self.query_one("#grid", IndicatorGrid)

    @property
    def doc(self) -> Document | None:
        return self.docs.get(self.current) if self.current else None

    # -- loading -----------------------------------------------------------------------------

    def rules_for(self, name: str) -> Rules:
        if name not in self.rules:
            self.rules[name] = load_rules(name, self.folder)
        return self.rules[name]

    def _read(self, path: Path, batch: list, failures: list) -> None:
        """Load and score one record (in the loading thread, or for the first screenful here)."""
        try:
            loaded = storage.load(path)
            rules = self.rules_for(loaded.project.rules)
            batch.append((loaded, rules, score(loaded.project, rules), storage.read_draft(path)))
        except (storage.RecordError, RulesError) as exc:
            failures.append((path, exc))
        except Exception as exc:  # a file that breaks the reader must not stop the others
            failures.append((path, exc))

    def start_loading(self) -> None:
        """The first screenful of records now, before the first frame (so it is not drawn empty
        and drawn again); the rest in a thread, handed to the list in batches."""
        files = storage.record_files(self.folder)
        first, rest = files[:FIRST_BATCH], files[FIRST_BATCH:]
        batch: list = []
        failures: list = []
        for path in first:
            self._read(path, batch, failures)
        self._add_batch(batch, failures, len(first), len(files))
        # After the first frame: a thread started now would share the GIL with drawing it.
        self.call_after_refresh(self.load_records, rest, len(first), len(files))

    @work(thread=True, exclusive=True, group="load", name="载入项目")
    def load_records(self, files: list[Path], done: int, count: int) -> None:
        """Read the rest of the records in a thread, then look for drafts of new projects."""
        worker = get_current_worker()
        batch: list = []
        failures: list = []
        last = time.monotonic()
        for done, path in enumerate(files, done + 1):
            if worker.is_cancelled:  # the app is closing
                return
            self._read(path, batch, failures)
            time.sleep(0)  # hand the GIL to the UI between files: keys stay quick while loading
            now = time.monotonic()
            if now - last > BATCH_SECONDS:
                self.app.call_from_thread(self._add_batch, batch, failures, done, count)
                batch, failures, last = [], [], now
        orphans = []
        for path in storage.orphan_drafts(self.folder):
            draft = storage.read_draft(path)
            if draft is not None:
                try:
                    orphans.append((path, draft, self.rules_for(draft.rules)))
                except RulesError:
                    orphans.append((path, draft, self.rules_for("default")))
        self.app.call_from_thread(self._add_batch, batch, failures, count, count)
        self.app.call_from_thread(self._load_done, orphans)

    def _add_batch(self, batch: list, failures: list, done: int, count: int) -> None:
        if not self.is_attached:  # the app closed while the thread was reading
            return
        entries = []
        for loaded, rules, sheet, draft in batch:
            key = str(loaded.path)
            self.loaded[key] = loaded
            self.rules.setdefault(loaded.project.rules, rules)
            entries.append(_entry(key, loaded.project, sheet, loaded.path.name, False))
            if draft is not None and draft != loaded.project:
                self._recoveries.append((key, draft, False))
        if entries:
            self.list.add(entries)
            if self.current is None and self.list.current_key is not None:
                self.open(self.list.current_key)  # now, not on the list's message: one frame
        if failures:
            for path, exc in failures:
                self.failures.append(exc if isinstance(exc, storage.RecordError)
                                     else storage.RecordError(str(path), "", str(exc)))
            self._show_failures()
        # Loaded records live as long as the app: move them out of the collector's sight. Measured
        # with 1,000 records, full collections otherwise stall the UI 100-150 ms each.
        gc.freeze()
        status = self.query_one("#load-status", Static)
        status.update(Text(f"载入中 {done}/{count}" if done < count else ""))
        status.display = done < count
        self._update_year_line()

    def _load_done(self, orphans: list) -> None:
        if not self.is_attached:
            return
        self.reading = False
        for path, draft, rules in orphans:
            key = str(path)
            doc = Document(draft, rules, path=path)  # never saved: no digest, dirty from the start
            self.docs[key] = doc
            self.list.add([_entry(key, draft, doc.assessment.sheet, path.name, True)])
            self._recoveries.append((key, draft, True))
        if not self.loaded and not orphans:
            self.title = "（文件夹中没有项目，按 Ctrl+N 新建）"
        self._update_year_line()
        if self._recoveries:
            self.offer_recovery()

    def _show_failures(self) -> None:
        text = Text()
        for i, exc in enumerate(self.failures):
            if i:
                text.append("\n")
            file = Path(exc.file).name if isinstance(exc, storage.RecordError) else "?"
            where = f"字段 {exc.field}：" if isinstance(exc, storage.RecordError) and exc.field else ""
            message = exc.message if isinstance(exc, storage.RecordError) else str(exc)
            text.append("✗ ", style="bold red")
            text.append(file, style="bold")
            text.append(f"：{where}{message}")
        box = self.query_one("#failures")
        box.border_title = f"无法载入的文件（{len(self.failures)}）"
        box.display = True
        self.query_one("#failure-text", Static).update(text)

    @work(exclusive=True, group="recovery")
    async def offer_recovery(self) -> None:
        """For each record with a draft: 恢复 (take its edits, unsaved) or 丢弃 (delete the draft)."""
        while self._recoveries:
            key, draft, new = self._recoveries.pop(0)
            path = Path(key)
            answer = await self.app.push_screen_wait(recovery_dialog(draft.name, path.name, new))
            if answer == "recover":
                doc = self._document(key)
                if not new:
                    doc.commit(draft)
                self._changed(key)
                if key == self.current:
                    self.show_current()
                else:
                    self.list.select_key(key)
                self.say(f"已恢复：{draft.name or path.name}（尚未保存）")
            else:
                storage.remove_draft(path)
                if new:
                    self.docs.pop(key, None)
                    self.list.entries.pop(key, None)
                    self.list.add([])
                self.say(f"已丢弃草稿：{draft.name or path.name}")

    # -- documents ---------------------------------------------------------------------------

    def _document(self, key: str) -> Document:
        doc = self.docs.get(key)
        if doc is None:
            loaded = self.loaded[key]
            doc = self.docs[key] = Document.from_loaded(loaded, self.rules_for(loaded.project.rules))
        return doc

    def is_dirty(self, key: str) -> bool:
        doc = self.docs.get(key)
        if doc is None:
            return False
        if key == self.current and (self._pending is not None or self._grid_pending
                                    or self._table_pending):
            return True
        return doc.dirty

    def unsaved(self) -> list[str]:
        """Keys of the projects with unsaved changes (typed text not yet committed counts)."""
        return [key for key in self.docs if self.is_dirty(key)]

    def open(self, key: str) -> None:
        """Show a project in the editor (after committing what was typed in the last one)."""
        if key == self.current:
            return
        if not self.flush():
            self._discard_unflushed()
        self._document(key)
        self.current = key
        self._problem_index = -1
        self.show_current()

    def show_current(self) -> None:
        doc = self.doc
        if doc is None:
            return
        self._pending, self._preview, self._grid_pending = None, None, False
        self._table_pending = False
        for field in self.query(FieldInput):
            if field.id != "filter":
                field.mark(None)
        self.query_one("#edit-status", Cell).set("")
        self.refresh_views(doc.project, doc.assessment, force=True)

    def refresh_views(self, project: Project, assessment: Assessment, force: bool = False) -> None:
        """Repaint every view of the current project from `project` (committed or previewed).
        Each widget redraws only what changed, so this is the per-keystroke path too. `force`
        also rewrites the field that has focus (after undo, redo, reload)."""
        key = self.current
        if key is None:
            return
        dirty = self.is_dirty(key)
        self.query_one(HeaderForm).show(project, force)
        self.funding.show(project, assessment, force)
        self.query_one(GoalsForm).show(project, force)
        self.query_one(ScoreBar).show(assessment, dirty)
        self.grid.show(project, assessment)
        self.query_one(ProblemList).show(assessment.problems)
        entry = self.list.entries.get(key)
        file = entry.file if entry else ""
        self.list.update_entry(_entry(key, project, assessment.sheet, file, dirty))
        self.dirty = dirty
        self.title = f"{'＊' if dirty else ''}{visible(project.name) or '（未命名）'}"
        self._update_year_line()

    def _year_rules(self) -> Rules:
        """The profile that rounds the year line's rate: the folder's default (else the built-in)."""
        try:
            return self.rules_for("default")
        except RulesError:
            return load_rules("default")

    def _update_year_line(self) -> None:
        text = year_lines(list(self.list.entries.values()), self._year_rules())
        if text.plain != self._year_text:
            lines = self._year_text.count("\n")
            self._year_text = text.plain
            self.query_one("#year-line", Static).update(text, layout=text.plain.count("\n") != lines)

    def say(self, message: str, *, severity: str = "information", timeout: float | None = None,
            ) -> None:
        """A notification; `message` may hold user text, so it is never read as markup."""
        self.app.notify(message, severity=severity, timeout=timeout, markup=False)

    def watch_dirty(self, dirty: bool) -> None:
        # On the score bar, not the screen: a class on the screen restyles every widget.
        self.query_one(ScoreBar).set_class(dirty, "-dirty")

    def _changed(self, key: str | None = None, force: bool = False) -> None:
        """After a commit, undo, redo or reload: repaint and schedule the draft."""
        key = key or self.current
        if key is None:
            return
        if key == self.current:
            doc = self.doc
            self.refresh_views(doc.project, doc.assessment, force)
        else:
            doc = self.docs[key]
            entry = self.list.entries[key]
            self.list.update_entry(_entry(key, doc.project, doc.assessment.sheet, entry.file,
                                          doc.dirty))
        self.schedule_draft(key)

    # -- typed text: preview on each keystroke, commit on Enter or leaving the field -----------

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
        status = self.query_one("#edit-status", Cell)
        try:
            project, assessment = doc.preview(field.path, text)
        except ParseError as exc:
            # The record keeps what it had: show its figures, and why the text is not taken.
            had_preview = self._preview is not None
            self._pending, self._preview = field, None
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
            was_pending = self._pending is not None
            self._pending, self._preview = None, None
            field.mark(None)
            status.set("")
            if was_pending:  # typed back to what it was: show the committed figures again
                self.refresh_views(doc.project, doc.assessment)
            return
        self._pending, self._preview = field, project
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
                self._table_pending, self._preview = False, None
                self._commit_text(taken[0], taken[1])
        if widget is self._pending:
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
                self._grid_flushed = (path, text)
                try:
                    doc.edit(path, text)
                except ParseError:  # pragma: no cover - the grid checked it
                    pass
                self._grid_pending = False
                self._changed()
            else:
                ok = False
        taken = self.funding.take_edit()
        if taken is not None:
            path, text, error = taken
            if error:
                ok = False
            else:
                self._table_pending, self._preview = False, None
                self._commit_text(path, text)
        field = self._pending
        if field is not None:
            text = field.value if isinstance(field, FieldInput) else field.text
            try:
                project = apply_edit(doc.project, field.path, text)
            except ParseError as exc:
                field.mark(str(exc))
                return False
            self._pending, self._preview = None, None
            field.mark(None)
            self._commit_text(field.path, text, project)
        return ok

    def _commit_text(self, path: str, text: str, project: Project | None = None) -> None:
        """Commit typed text into the current project (only if it changes the field's value:
        retyping an amount must not drop the stated 年度资金总额)."""
        doc = self.doc
        project = project or apply_edit(doc.project, path, text)
        status = self.query_one("#edit-status", Cell)
        status.set("")
        status.set_class(False, "-bad")
        if value_text(project, path) != value_text(doc.project, path):
            doc.commit(project)
        self._changed()

    def _discard_unflushed(self) -> None:
        """Leaving a project with text that can't be taken: drop it, and say so."""
        table = self.funding
        if table.editing:
            path, error = table.cursor_path, table.edit_error
            table.cancel_edit()
            self._table_pending, self._preview = False, None
            self.say(f"{label(path)}：未采用输入。{error}", severity="warning")
        if self.grid.editing:
            self.grid.cancel_edit()
            self._grid_pending = False
            self.say("指标表中无法采用的输入已放弃", severity="warning")
        if self._pending is not None:
            self._drop_pending(notify=True)

    def _drop_pending(self, notify: bool = False) -> None:
        field = self._pending
        if field is None:
            return
        reason = getattr(field, "reason", None)
        self._pending, self._preview = None, None
        if self.doc is not None:
            field.show(self.doc.project, force=True)
        status = self.query_one("#edit-status", Cell)
        status.set("")
        status.set_class(False, "-bad")
        if notify:
            self.say(f"{label(field.path)}：未采用输入。{reason or ''}",
                        severity="warning")
        if self.doc is not None:
            self.refresh_views(self.doc.project, self.doc.assessment)
        self.schedule_draft(self.current)

    # -- the funding table -------------------------------------------------------------------

    @on(FundingTable.Edited)
    def _table_edited(self, message: FundingTable.Edited) -> None:
        doc = self.doc
        if doc is None:
            return
        status = self.query_one("#edit-status", Cell)
        self._table_pending = True
        if message.error:
            had_preview = self._preview is not None
            self._preview = None
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
            self._table_pending, self._preview = False, None
            project, assessment = doc.project, doc.assessment
        else:
            self._preview = project
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
        self._table_pending, self._preview = False, None
        try:
            self._commit_text(message.path, message.text)
        except ParseError as exc:  # pragma: no cover - the table checked it
            self.say(str(exc), severity="error")

    @on(FundingTable.Cancel)
    def _table_cancel(self) -> None:
        self._table_pending, self._preview = False, None
        status = self.query_one("#edit-status", Cell)
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
        self._grid_pending = project != doc.project
        self.refresh_views(project, assessment)

    @on(IndicatorGrid.Commit)
    def _grid_commit(self, message: IndicatorGrid.Commit) -> None:
        if self._grid_flushed == (message.path, message.text):
            self._grid_flushed = None  # already committed by flush()
            return
        doc = self.doc
        if doc is None:
            return
        self._grid_pending = False
        try:
            doc.edit(message.path, message.text)
        except ParseError as exc:
            self.say(str(exc), severity="error")
        self._changed()

    @on(IndicatorGrid.Cancel)
    def _grid_cancel(self) -> None:
        self._grid_pending = False
        if self.doc is not None:
            self.refresh_views(self.doc.project, self.doc.assessment)

    @on(IndicatorGrid.Replace)
    def _grid_replace(self, message: IndicatorGrid.Replace) -> None:
        if self.doc is not None:
            self.doc.commit(message.project)
            self._changed()

    # -- the list and its filter -------------------------------------------------------------

    @on(ProjectList.Highlighted)
    def _highlighted(self, message: ProjectList.Highlighted) -> None:
        self.open(message.key)

    @on(ProjectList.Opened)
    def _opened(self, message: ProjectList.Opened) -> None:
        self.open(message.key)
        self.query_one("#head-name", FieldInput).focus()

    @on(ProjectList.TypedFilter)
    def _typed_filter(self, message: ProjectList.TypedFilter) -> None:
        box = self.query_one("#filter", Input)
        box.value = box.value[:-1] if message.character is None else box.value + message.character

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.list.set_filter(event.value)
        self.list.border_title = "项目（已筛选，Esc 清除）" if event.value else "项目"

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.list.focus()

    # -- problems ----------------------------------------------------------------------------

    @on(ProblemList.Jump)
    def _jump(self, message: ProblemList.Jump) -> None:
        self.jump(message.path)

    def jump(self, path: str) -> None:
        """Focus the cell or field a problem's path names."""
        if indicator_path(path) is not None:
            self.grid.goto(path)
            return
        if path.startswith("funding.") or path == "weights":
            self.funding.goto("funding.weight" if path == "weights" else path)
            return
        for field in self.query(FieldInput):
            if field.path == path and field.id != "filter":
                field.focus()
                return
        for area in self.query(GoalArea):
            if area.path == path:
                area.focus()
                return

    def action_next_problem(self) -> None:
        problems = self.query_one(ProblemList).problems
        if not problems:
            self.say("本项目没有错误或提醒", timeout=2)
            return
        self._problem_index = (self._problem_index + 1) % len(problems)
        self.query_one(ProblemList).highlighted = self._problem_index
        self.jump(problems[self._problem_index].path)

    # -- actions -----------------------------------------------------------------------------

    def action_escape(self) -> None:
        if self._pending is not None:
            self._drop_pending()
        elif self.focused in (self.query_one("#filter"), self.list):
            self.query_one("#filter", Input).value = ""
            self.list.focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self, sort: str) -> None:
        self.list.set_sort(sort)

    def action_cycle_sort(self) -> None:
        order = list(SORTS)
        self.list.set_sort(order[(order.index(self.list.sort) + 1) % len(order)])
        direction = "降序" if self.list.descending else "升序"
        self.say(f"按{SORTS[self.list.sort]}排序（{direction}）", timeout=2)

    def _panes(self) -> list[Widget]:
        return [self.list, self.query_one("#head-name"), self.funding,
                self.query_one("#goal-expected"), self.grid, self.query_one(ProblemList)]

    def action_pane(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        index = 0
        for i, pane in enumerate(panes):
            if focused is not None and (focused is pane or i in (1, 3)
                                        and pane.parent in focused.ancestors_with_self):
                index = i
                break
        panes[(index + step) % len(panes)].focus()

    def action_undo(self) -> None:
        self._undo_redo(undo=True)

    def action_redo(self) -> None:
        self._undo_redo(undo=False)

    def _undo_redo(self, undo: bool) -> None:
        doc = self.doc
        if doc is None:
            return
        if self._pending is not None and self._preview is None:
            self._drop_pending()  # invalid text typed: Ctrl+Z throws it away
            return
        taken = self.funding.take_edit()
        if taken is not None and taken[2]:
            self.funding.cancel_edit()  # the same in the funding table
            return
        if taken is not None:
            self._table_pending, self._preview = False, None
            self._commit_text(taken[0], taken[1])
        self.flush()
        if doc.undo() if undo else doc.redo():
            self._changed(force=True)
        else:
            self.say("没有可撤销的修改" if undo else "没有可重做的修改", timeout=2)

    def action_new_project(self) -> None:
        self.flush()
        base = self.doc.project if self.doc else None
        year = base.year if base and base.year else date.today().year
        project = new_project(year, base.department if base else "")
        key = f"new:{project.id}"
        doc = self.docs[key] = Document(project, self.rules_for(project.rules))
        self.list.add([_entry(key, project, doc.assessment.sheet, "（未保存）", True)])
        self.list.select_key(key)
        self.open(key)
        self.query_one("#head-name", FieldInput).focus()
        self.schedule_draft(key)

    def action_save(self) -> None:
        if not self.flush() or self.doc is None:
            if self.doc is not None:
                self.say("有无法采用的输入，请先改正或按 Esc 取消", severity="error")
            return
        if not self.doc.dirty:
            self.say("没有需要保存的修改", timeout=2)
            return
        self.save_key(self.current)

    def action_save_all(self) -> None:
        self.flush()
        saved = sum(1 for key in list(self.docs) if self.docs[key].dirty and self.save_key(key))
        if saved:
            self.say(f"已保存 {saved} 个项目")

    def save_key(self, key: str, ask: bool = True) -> bool:
        """Save one project; on a file changed on disk, ask to reload or keep editing."""
        doc = self.docs[key]
        if doc.saved is None and doc.path is not None and not doc.path.exists():
            storage.remove_draft(doc.path)  # a new project is named after its name when saved
            doc.path = None
        try:
            path = doc.save(self.folder)
        except storage.ChangedOnDisk:
            if ask:
                self._ask_changed_on_disk(key)
            else:
                self.say(f"{doc.path.name}：文件在磁盘上已被修改，未保存",
                            severity="error")
            return False
        except OSError as exc:
            self.say(f"保存失败：{exc}", severity="error")
            return False
        self._draft_keys.discard(key)
        entry = self.list.entries.get(key)
        if entry is not None:
            entry.file = path.name
            entry.reindex()
        self._changed(key)
        self._draft_keys.discard(key)
        problems = doc.assessment.problems
        errors = sum(1 for p in problems if p.level == "error")
        note = f"（有 {errors} 个错误）" if errors else ""
        self.say(f"已保存 {path.name}{note}",
                    severity="warning" if errors else "information")
        return True

    @work(exclusive=True, group="changed-on-disk")
    async def _ask_changed_on_disk(self, key: str) -> None:
        doc = self.docs[key]
        answer = await self.app.push_screen_wait(changed_on_disk_dialog(doc.path.name))
        if answer == "reload":
            self._reload(key)
        else:
            self.say("未保存：继续编辑", timeout=3)

    def action_reload(self) -> None:
        if self.current is None or self.doc is None or self.doc.path is None \
                or not self.doc.path.exists():
            self.say("这个项目还没有保存过，无法从磁盘重新载入", severity="warning")
            return
        self._pending = None
        self._reload(self.current)

    def _reload(self, key: str) -> None:
        doc = self.docs[key]
        try:
            doc.reload()
        except (storage.RecordError, OSError) as exc:
            self.say(str(exc), severity="error")
            return
        self.loaded[key] = storage.Loaded(doc.saved, doc.path, doc.digest)
        if key == self.current:
            self.show_current()
        self._changed(key, force=True)
        self.say(f"已从磁盘重新载入 {doc.path.name}（Ctrl+Z 可撤销）")

    def action_printed(self) -> None:
        doc = self.doc
        if doc is None:
            return
        from ..printed import printed_form  # only when asked: the app starts without it

        project = self._preview or doc.project
        sheet = score(project, doc.rules)
        width = max(80, min(self.app.size.width - 6, 140))
        self.app.push_screen(PrintedScreen(printed_form(project, sheet, width=width),
                                           project.name or "（未命名）"))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.app.key_groups()))

    # -- quitting ----------------------------------------------------------------------------

    @work(exclusive=True, group="quit")
    async def confirm_quit(self) -> None:
        """Quit, asking Save / Discard / Keep editing when anything is unsaved."""
        unsaved = self.unsaved()
        if not unsaved:
            self.app.exit()
            return
        names = [self.docs[k].project.name or "（未命名）" for k in unsaved]
        answer = await self.app.push_screen_wait(quit_dialog(names))
        if answer == "save":
            if not self.flush():
                self._discard_unflushed()
            failed = [k for k in self.unsaved() if not self.save_key(k, ask=False)]
            if failed:
                return
            self.app.exit()
        elif answer == "discard":
            for key in unsaved:
                doc = self.docs[key]
                if doc.path is not None:
                    storage.remove_draft(doc.path)
            self._draft_keys.clear()
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            self.app.exit()

    # -- drafts ------------------------------------------------------------------------------

    def schedule_draft(self, key: str | None) -> None:
        """Write the project's unsaved state to a draft DRAFT_DELAY after the last change.
        One timer, re-armed when it fires early: no timer is made or reset per keystroke."""
        if key is None:
            return
        self._draft_keys.add(key)
        self._last_change = time.monotonic()
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self._draft_due, name="drafts")

    def _draft_due(self) -> None:
        remaining = self._last_change + DRAFT_DELAY - time.monotonic()
        if remaining > 0.01:
            self._draft_timer = self.set_timer(remaining, self._draft_due, name="drafts")
        else:
            self.write_drafts()

    def write_drafts(self) -> None:
        self._draft_timer = None
        keys, self._draft_keys = self._draft_keys, set()
        for key in keys:
            doc = self.docs.get(key)
            if doc is None:
                continue
            project = self._preview if key == self.current and self._preview else doc.project
            try:
                if project != doc.saved:
                    if doc.path is None:
                        doc.path = storage.new_path(self.folder, project)
                    storage.write_draft(project, doc.path)
                elif doc.path is not None:
                    storage.remove_draft(doc.path)
            except OSError as exc:
                self.say(f"无法写入草稿：{exc}", severity="error")
