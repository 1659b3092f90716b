"""The main screen: the project list beside the editor of the project under the list's cursor.

The composition point: two panes that own their state and talk by messages, and plain objects:
- `ListPane` (widgets/list_pane.py): filter, list, year line, unreadable files, problems;
- `EditorPane` (widgets/editor_pane.py): the `Document` being edited, every field of it and the
  one edit path (typed text -> `Document.preview` on each keystroke, `Document.edit` on Enter);
  it posts `Shown` when the project on screen changed;
- the folder's `Workspace`, the open `Document`s, the `EditSession` (shared with the editor);
- controllers, plain classes holding the screen (typed by host.Host): `Loader` (reading the
  folder, drafts to recover), `Files` (new, save, reload, delete, quit, drafts), `Exchange`
  (export, import, printed forms' text, git merge conflicts), `HandIn` (summary, workbook, next
  year, last year beside this one), `Panes` (layout, F6), `texts.edit_texts` (F3).
Only the screen and its controllers read or write files (drafts: 0.5 s after the last change).
"""

from __future__ import annotations

import builtins
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from tui.core.document import Document
from tui.core.messages import visible
from tui.core.model import Project
from tui.core.rules import Rules, RulesError, load_rules
from tui.core.validation import Assessment
from tui.store.workspace import Loaded, RecordError, Workspace
from tui.ui.screens.documents import entry_for, year_lines
from tui.ui.screens.exchange import Exchange
from tui.ui.screens.files import Files
from tui.ui.screens.handin import HandIn
from tui.ui.screens.host import Severity
from tui.ui.screens.loading import Loader
from tui.ui.screens.panes import Panes
from tui.ui.session import EditSession
from tui.ui.widgets.editor_pane import EditorPane
from tui.ui.widgets.funding import FundingTable
from tui.ui.widgets.grid import IndicatorGrid
from tui.ui.widgets.keybar import KeyBar
from tui.ui.widgets.list_pane import ListPane
from tui.ui.widgets.problems import ProblemList
from tui.ui.widgets.project_list import ProjectList
from tui.ui.widgets.status import ScoreBar
from tui.ui.widgets.titlebar import TitleBar

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
        # Priority, and focus moved at once (action_pane): text typed right behind F6 must land
        # in the pane it moved to, not in the list's filter.
        Binding("f6", "pane(1)", "下一窗格", id="view.next_pane", show=False, priority=True),
        Binding("shift+f6", "pane(-1)", "上一窗格", id="view.previous_pane", show=False,
                priority=True),
        Binding("ctrl+b", "toggle_list", "项目列表", id="view.toggle_list", priority=True),
        Binding("ctrl+r", "reload", "从磁盘重新载入（本项目与文件夹）", id="file.reload", show=False),
        Binding("escape", "escape", "取消输入", id="edit.cancel", show=False),
        # Not priority: in a text field Ctrl+E stays "end of line".
        Binding("ctrl+e", "export", "导出（标记的或全部）", id="exchange.export", show=False),
        Binding("ctrl+o", "import_bundle", "导入记录包", id="exchange.import", show=False),
        Binding("f9", "summary", "年度汇总", id="view.summary", show=False),
        Binding("f4", "last_year", "指标表对照上年（实际完成值、得分；再按一次收起）",
                id="view.last_year", show=False),
        Binding("f3", "texts", "表上其他文字（项目负责人、评价结论等）", id="edit.texts", show=False),
        Binding("f7", "next_year", "生成下一年度（标记的或全部）", id="file.next_year", show=False),
    ]

    dirty: reactive[bool] = reactive(False)

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.workspace = Workspace(self.folder)  # every read and write of the folder
        self.loaded: dict[str, Loaded] = {}  # key -> the record as loaded
        self.docs: dict[str, Document] = {}  # key -> document, for projects opened
        self.rules: dict[str, Rules] = {}
        self.failures: builtins.list[RecordError | Exception] = []
        self.current: str | None = None
        self.reading = True
        self.edit = EditSession()  # typed text not yet committed, in a field or either table
        self._resumed = False
        self._composed = False  # on_mount: every pane is there (keys read early wait for it)
        self.panes = Panes(self)
        self.files = Files(self)
        self.exchange = Exchange(self)
        self.handin = HandIn(self, self.exchange)
        self.loader = Loader(self, after=self.exchange.offer_merge_review)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="body"):
            yield ListPane(id="left")
            yield EditorPane(self.edit, id="editor")
        yield KeyBar()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen made active (for a theme changed meanwhile);
        # the first time, each was just styled as it mounted: not again (a tenth of the start).
        event.refresh_styles = event.refresh_styles and self._resumed
        self._resumed = True
        super()._on_screen_resume(event)

    def on_mount(self) -> None:
        self._composed = True
        self.refresh_bindings()  # the key bar asked before (auto focus after compose): ask again
        self.sub_title = visible(f"{self.folder.name or self.folder}（自评）")
        self.title = "载入中"
        self.panes.fit()
        (self.list if self.left.display else self.grid).focus()  # the list, or folded: the grid
        self.loader.start_loading()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._composed  # a key typed as the app starts may come before the panes exist

    @property
    def body(self) -> Widget:
        return self.query_one("#body")

    @property
    def left(self) -> ListPane:
        return self.query_one("#left", ListPane)

    @property
    def editor(self) -> EditorPane:
        return self.query_one("#editor", EditorPane)

    @property
    def list(self) -> ProjectList:
        return self.query_one("#projects", ProjectList)

    @property
    def funding(self) -> FundingTable:
        return self.editor.funding

    @property
    def grid(self) -> IndicatorGrid:
        return self.editor.grid

    @property
    def doc(self) -> Document | None:
        return self.docs.get(self.current) if self.current else None

    def say(self, message: str, *, severity: Severity = "information", timeout: float | None = None) -> None:
        """A notification; `message` may hold user text, so it is never read as markup."""
        self.app.notify(visible(message, lines=True), severity=severity, timeout=timeout, markup=False)

    # -- the folder's documents ----------------------------------------------------------------

    def rules_for(self, name: str) -> Rules:
        if name not in self.rules:
            self.rules[name] = load_rules(name, self.folder)
        return self.rules[name]

    def document(self, key: str) -> Document:
        """The project's document, made the first time it is opened."""
        doc = self.docs.get(key)
        if doc is None:
            loaded, assessed = self.loader.record(key)  # listed from the index: read now
            doc = self.docs[key] = Document.from_loaded(loaded, self.rules_for(loaded.project.rules), assessed)
        return doc

    def is_dirty(self, key: str) -> bool:
        doc = self.docs.get(key)
        if doc is None:
            return False
        if key == self.current and self.edit.active:
            return True
        return doc.dirty

    def unsaved(self) -> builtins.list[str]:
        """Keys of the projects with unsaved changes (typed text not yet committed counts)."""
        return [key for key in self.docs if self.is_dirty(key)]

    def open(self, key: str) -> None:
        """Show a project in the editor (after committing what was typed in the last one)."""
        if key == self.current:
            return
        editor = self.editor
        if not editor.flush():
            editor.discard_unflushed()
        self.loader.take_disk_changes(key)
        try:
            doc = self.document(key)
        except (RecordError, RulesError) as exc:  # changed behind the index since
            self.say(str(exc), severity="error")
            return
        self.current = key
        editor.open(doc)
        self.panes.problem = -1
        if self.handin.last_year_shown:  # F4 on: this project's last year, before the grid shows it
            self.handin.show_last_year()
        self.show_current()
        editor.home()

    def show_current(self) -> None:
        doc = self.doc
        if doc is None:
            return
        self.editor.reset()
        self.refresh_views(doc.project, doc.assessment, force=True)

    def refresh_views(self, project: Project, assessment: Assessment, force: bool = False) -> None:
        """Repaint every view of the current project from `project` (committed or previewed)."""
        if self.current is None:
            return
        self.editor.show(project, assessment, self.is_dirty(self.current), force)
        self._shown(project, assessment)

    def _shown(self, project: Project, assessment: Assessment) -> None:
        """The list's line, the problems, the title and the year line of the project on screen."""
        key = self.current
        if key is None:
            return
        dirty = self.is_dirty(key)
        self.left.problems.show(assessment.problems)
        entry = self.list.entries.get(key)
        self.list.update_entry(entry_for(key, project, assessment, entry.file if entry else "", dirty))
        self.dirty = dirty
        self.title = f"{'＊' if dirty else ''}{visible(project.name) or '（未命名）'}"
        self.update_year_line()

    @on(EditorPane.Shown)
    def _editor_shown(self, message: EditorPane.Shown) -> None:
        doc = message.doc
        if doc is self.doc:
            key = self.current
            self._shown(message.project, message.assessment)
        else:  # the editor moved on meanwhile: that project's line shows it as committed
            key = next((k for k, d in self.docs.items() if d is doc), None)
            if key is None or key not in self.list.entries:
                return
            self.changed(key)
        if message.draft:
            self.files.schedule_draft(key)
        if message.named:
            self.files.warn_duplicate_name(key)

    @on(EditorPane.Said)
    def _editor_said(self, message: EditorPane.Said) -> None:
        self.say(message.text, severity="warning")

    def update_year_line(self) -> None:
        try:  # rounded by the folder's default profile (else the built-in)
            rules = self.rules_for("default")
        except RulesError:
            rules = load_rules("default")
        self.left.show_year_lines(year_lines([*self.list.entries.values()], rules, bool(self.list.unchecked)))

    def changed(self, key: str | None = None, force: bool = False) -> None:
        """After a commit, undo, redo, reload or save: repaint and schedule the draft."""
        key = key or self.current
        if key is None:
            return
        doc = self.docs[key]
        if key == self.current:
            self.refresh_views(doc.project, doc.assessment, force)
        else:
            entry = self.list.entries[key]
            self.list.update_entry(entry_for(key, doc.project, doc.assessment, entry.file, doc.dirty))
        self.files.schedule_draft(key)

    def watch_dirty(self, dirty: bool) -> None:
        # On the score bar, not the screen: a class on the screen restyles every widget.
        self.query_one(ScoreBar).set_class(dirty, "-dirty")

    # -- layout (screens/panes.py) ---------------------------------------------------------------

    @on(events.Resize)
    def _fit_to_size(self, event: events.Resize) -> None:
        self.panes.fit()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.panes.fold_goals(event.widget)  # folded goal texts close behind the focus
        self.editor.focus_moved(event.widget)

    def action_toggle_list(self) -> None:
        self.panes.toggle_list()

    def action_pane(self, step: int) -> None:
        self.panes.step(step)

    # -- the list and problems -----------------------------------------------------------------

    @on(ProjectList.Highlighted)
    def _highlighted(self, message: ProjectList.Highlighted) -> None:
        self.open(message.key)

    @on(ProjectList.Opened)
    def _opened(self, message: ProjectList.Opened) -> None:
        self.open(message.key)
        self.panes.picked()
        self.editor.query_one("#head-name").focus()

    @on(ProblemList.Jump)
    def _jump(self, message: ProblemList.Jump) -> None:
        self.jump(message.path)

    def jump(self, path: str) -> None:
        """Focus the cell or field a problem's path names."""
        self.panes.jump(path)

    def action_next_problem(self) -> None:
        self.panes.next_problem()

    def action_escape(self) -> None:
        if self.edit.source == "field":
            self.editor.drop_pending()
        elif self.focused in (self.left.filter, self.list):
            self.left.clear_filter()

    def action_filter(self) -> None:
        self.left.filter.focus()

    def action_sort(self, sort: str) -> None:
        self.list.set_sort(sort)

    def action_cycle_sort(self) -> None:
        self.say(self.left.cycle_sort(), timeout=2)

    # -- edits ---------------------------------------------------------------------------------

    def action_undo(self) -> None:
        if self.focused is self.list and self.files.restore_trashed():  # a deleted project
            return
        self._undo_redo(undo=True)

    def action_redo(self) -> None:
        self._undo_redo(undo=False)

    def _undo_redo(self, undo: bool) -> None:
        if self.editor.undo_redo(undo) is None:
            self.say("没有可撤销的修改" if undo else "没有可重做的修改", timeout=2)

    # -- the controllers' actions (keys and the palette) ----------------------------------------

    def action_save(self) -> None:
        self.files.action_save()

    def action_save_all(self) -> None:
        self.files.action_save_all()

    def action_new_project(self) -> None:
        self.files.action_new_project()

    def action_delete_project(self) -> None:
        self.files.action_delete_project()

    def action_reload(self) -> None:
        self.files.action_reload()

    def action_export(self) -> None:
        self.exchange.action_export()

    def action_import_bundle(self) -> None:
        self.exchange.action_import_bundle()

    def action_import_text(self) -> None:
        self.exchange.action_import_text()

    def action_resolve_merge(self) -> None:
        self.exchange.action_resolve_merge()

    def action_printed(self) -> None:
        self.handin.action_printed()

    def action_summary(self) -> None:
        self.handin.action_summary()

    def action_export_xlsx(self) -> None:
        self.handin.action_export_xlsx()

    def action_import_xlsx(self) -> None:
        self.handin.action_import_xlsx()

    def action_next_year(self) -> None:
        self.handin.action_next_year()

    def action_last_year(self) -> None:
        self.handin.action_last_year()

    def action_texts(self) -> None:
        from tui.ui.screens.texts import edit_texts  # F3's screen (and goal areas): when asked
        edit_texts(self)
