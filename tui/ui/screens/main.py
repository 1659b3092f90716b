"""The main screen: the project list beside the editor of the project under the list's cursor.

The screen owns one `Document` per project opened (created when the list first shows it) and is
the only place that reads or writes files (through its `Workspace` and `Document`). Widgets only
show a project and report typed text; edits flow one way: typed text -> `Document.preview` (each
keystroke: scores follow) or `Document.edit` (Enter, leaving the field) -> every view repaints
what changed. Unsaved work is written to a draft 0.5 s after the last change and offered back on
the next start.

`MainScreen` is the composition point: it holds the keys, the state and the layout; the work is
in parts by role, one module each:

- `loading.LoadingPart`: reading the folder in a thread, unreadable files, draft recovery;
- `documents.DocumentsPart`: opening a project and repainting every view of it;
- `edits.EditingPart`: typed text (preview, commit, flush, drop), undo and redo;
- `tables.TablesPart`: the funding table's and the indicator grid's messages;
- `files.FilesPart`: new, save, reload, the quit guard, drafts;
- `navigation.NavigationPart`: the list, filter and sort, problems, panes;
- `exchange.ExchangePart`: export, import a bundle after a review, import printed forms' text;
- `handin.HandInPart`: the year's summary, the workbook (xlsx) out and in, next year's forms.

Each part subclasses `parts.MainParts` (a `Screen`, never used alone) rather than `object`:
Textual gathers `@on` handlers through its message-pump metaclass, so a plain mixin's handlers
would never be called. `MainParts` names the shared state with its types and every call from one
part to another; the edit in progress is one `session.EditSession`. No two parts define the same
handler name: Textual calls a handler of every class in the MRO.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.core.messages import visible
from tui.store.workspace import Loaded, RecordError, Workspace
from tui.core.document import Document
from tui.core.model import Project
from tui.core.rules import Rules
from tui.core.scoring import score
from tui.ui.widgets.funding import FundingTable
from tui.ui.widgets.status import ScoreBar, StatusLine
from tui.ui.widgets.grid import IndicatorGrid
from tui.ui.widgets.header import GoalsForm, HeaderForm
from tui.ui.widgets.keybar import KeyBar
from tui.ui.widgets.problems import ProblemList
from tui.ui.widgets.project_list import ProjectList
from tui.ui.widgets.titlebar import TitleBar
from tui.ui.screens.dialogs import HelpScreen, PrintedScreen
from tui.ui.screens.documents import DocumentsPart
from tui.ui.screens.edits import EditingPart
from tui.ui.screens.exchange import ExchangePart
from tui.ui.screens.files import FilesPart
from tui.ui.screens.handin import HandInPart
from tui.ui.screens.loading import LoadingPart
from tui.ui.screens.navigation import NavigationPart
from tui.ui.screens.session import EditSession
from tui.ui.screens.tables import TablesPart


class MainScreen(LoadingPart, DocumentsPart, EditingPart, TablesPart, FilesPart, NavigationPart,
                 ExchangePart, HandInPart):
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
        Binding("ctrl+r", "reload", "从磁盘重新载入", id="file.reload", show=False),
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
        self.failures: list[RecordError | Exception] = []
        self.current: str | None = None
        self.reading = True
        self.edit = EditSession()  # typed text not yet committed, in a field or either table
        self._draft_keys: set[str] = set()
        self._draft_timer: Timer | None = None
        self._problem_index = -1
        self._recoveries: list[tuple[str, Project, bool]] = []
        self._year_text = ""
        self._last_change = 0.0
        self._trashed: list[tuple] = []  # projects deleted this session, for Ctrl+Z (files.py)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
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
                yield StatusLine("", id="edit-status")
                with Vertical(id="form"):
                    yield HeaderForm(id="header-form")
                    yield FundingTable(id="funding")
                yield GoalsForm(id="goals")
                yield IndicatorGrid(id="grid")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = visible(f"{self.folder.name or self.folder}（自评）")
        self.title = "载入中"
        self.query_one("#projects").border_title = "项目"
        self.query_one("#form").border_title = "表头与项目资金"
        self.query_one("#grid").border_title = "绩效指标"
        self.query_one("#failures").display = False
        self.fit_layout()
        # The list where it is shown; folded (a narrow terminal), the indicators instead.
        (self.list if self.query_one("#left").display else self.grid).focus()
        self.start_loading()

    # -- shared by the parts: the state and helpers are in parts.MainParts ----------------------

    def watch_dirty(self, dirty: bool) -> None:
        # On the score bar, not the screen: a class on the screen restyles every widget.
        self.query_one(ScoreBar).set_class(dirty, "-dirty")

    # -- views -------------------------------------------------------------------------------

    def action_printed(self) -> None:
        doc = self.doc
        if doc is None:
            return
        from tui.printed.form import printed_form  # only when asked: the app starts without it

        project = self.edit.shown(doc.project)
        sheet = score(project, doc.rules)
        width = max(80, min(self.app.size.width - 6, 140))
        form: RenderableType = printed_form(project, sheet, width=width)
        beside = self.last_year_view(project, sheet)  # started from last year's: its figures
        if beside is not None:
            from rich.console import Group

            form = Group(form, "", beside)
        self.app.push_screen(PrintedScreen(form, visible(project.name) or "（未命名）"))

    def action_help(self) -> None:
        from tui.ui.app import ZipinApp  # here: the app module imports this one

        if isinstance(self.app, ZipinApp):
            self.app.push_screen(HelpScreen(self.app.key_groups()))

