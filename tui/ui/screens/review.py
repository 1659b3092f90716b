"""The review of a bundle before it is imported: every record with its outcome (新增 / 相同 /
对方更新 / 本机较新 / 冲突), and for the one under the cursor, its fields side by side (本机 | 包内).

Nothing here writes a file: the screen returns the person's choices per record and the main
screen does the writing (screens/exchange.py). Names and values are user text: they go into
`rich.text.Text`, never into markup.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static

from tui.exchange.bundleplan import (CONFLICT, KEEP_MINE, LOCAL_NEWER, NEW, SAME, TAKE_BUNDLE, UPDATE,
                                     FieldChoice, ImportItem, ImportPlan, unit_label)
from tui.core.editing import label
from tui.core.validation import assess
from tui.ui.widgets.keybar import KeyBar
from tui.core.messages import visible
from tui.ui.screens.dialogs import ChoiceDialog
from tui.ui.screens.fields import FieldsScreen, MergeFieldsScreen, shown

# The outcomes as the review screen names them (the CLI says 更新 for UPDATE).
OUTCOMES = {NEW: "新增", SAME: "相同", UPDATE: "对方更新", LOCAL_NEWER: "本机较新", CONFLICT: "冲突"}
OUTCOME_STYLES = {NEW: "green", SAME: "dim", UPDATE: "cyan", LOCAL_NEWER: "yellow",
                  CONFLICT: "bold red"}
NAME_CELLS = 34  # of a project name in the list of records (the list is 64 cells wide)


def _cut(text: str, width: int) -> str:
    """At most `width` cells, cut with ⋯ (one cell everywhere; … is East-Asian-ambiguous)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip(" ") + "⋯"


def _cell(text: str, style: str = "") -> Text:
    """A table cell that wraps (folds) rather than cutting with …."""
    return Text(text, style=style, overflow="fold")


def _action(item: ImportItem, choice: str | None, theirs: str = "包内", verb: str = "导入") -> str:
    """What confirming would do to this record, in a few words."""
    if item.status == SAME:
        return "无需改动"
    take = item.takes_bundle(choice)
    if item.status == NEW:
        return "写入新文件" if take else f"按选择不{verb}"
    if item.status == CONFLICT and choice is None:
        return f"未选择：不{verb}"
    if isinstance(choice, FieldChoice):
        return f"逐项：{theirs} {len(choice.taken)} 处"
    return f"采用{theirs}版本" if take else "保留本机版本"


def _taken(item: ImportItem, choice):
    """For a field path of `item.differences()`: True if the record written takes the other side's
    value, False if it keeps mine, None when nothing is chosen (or the path is derived)."""
    if choice is None or item.status == SAME or item.local is None:
        return lambda path: None
    if not isinstance(choice, FieldChoice):
        return lambda path: None if path in ("format", "indicators") else choice == TAKE_BUNDLE

    return lambda path: None if path in ("format", "indicators") else choice.covers(path)


def _mark(chosen: bool) -> str:
    return "✓" if chosen else ""  # no space: a long value is not pushed to the next line


class ImportReviewScreen(Screen[dict | None]):
    """Every record of a bundle with its outcome, and for the one under the cursor, what differs
    (本机 | 包内, field by field). B / M choose per record; Ctrl+S confirms; Esc writes nothing.
    Returns {record id: TAKE_BUNDLE | KEEP_MINE}, or None."""

    BINDINGS = [
        Binding("b", "choose('bundle')", "采用包内版本", id="review.take_bundle"),
        Binding("m", "choose('mine')", "保留本机版本", id="review.keep_mine"),
        Binding("u", "choose('')", "恢复默认", id="review.default"),
        Binding("enter", "fields", "逐项选择", id="review.fields", priority=True),
        Binding("n", "next_conflict", "下一个冲突", id="review.next_conflict"),
        Binding("ctrl+s", "confirm", "确认导入", id="review.confirm", priority=True),
        Binding("escape", "cancel", "取消（不写入）", id="review.cancel"),
    ]
    DEFAULT_CSS = """
    ImportReviewScreen #review-summary { height: auto; padding: 0 1; background: $panel; }
    ImportReviewScreen #review-body { height: 1fr; }
    ImportReviewScreen #review-items { width: 64; max-width: 50%; border: round $accent; }
    ImportReviewScreen #review-detail { width: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    """

    THEIRS = "包内"  # the other side's name (a subclass reviews git merge conflicts)
    FIELDS: type[FieldsScreen] = FieldsScreen  # the screen of one record's fields
    VERB = "导入"    # what Ctrl+S does
    # A record differing with no shared history is a conflict too (bundleplan): “双方都改过”
    # alone was untrue for a colleague's copy of the same starting files, never exchanged before.
    CONFLICT = "双方都改过，或此前没有交换过、无法判断是哪一方改的"
    ITEMS = "包内记录"

    def __init__(self, plan: ImportPlan, choices: dict[str, str] | None = None,
                 unsaved: set[str] | frozenset[str] = frozenset()) -> None:
        """`unsaved`: ids whose local record is open in the editor with unsaved edits."""
        super().__init__()
        self.plan = plan
        self.choices: dict[str, str] = dict(choices or {})
        for item in plan.items:  # planned again (a file changed): a field choice must still fit
            choice = self.choices.get(item.id)
            if isinstance(choice, FieldChoice) and not choice.taken <= {p for p, _a, _b in item.units()}:
                del self.choices[item.id]
        self.unsaved = set(unsaved)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-summary")
        with Horizontal(id="review-body"):
            yield OptionList(*[self._prompt(item) for item in self.plan.items], id="review-items")
            with VerticalScroll(id="review-detail"):
                yield Static(id="review-fields")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = visible(self._title())
        self.sub_title = f"核对后按 Ctrl+S {self.VERB}"
        items = self.query_one("#review-items", OptionList)
        items.border_title = self.ITEMS
        self.query_one("#review-detail").border_title = f"差异（本机 | {self.THEIRS}）"
        first = next((i for i, item in enumerate(self.plan.items) if item.status == CONFLICT), 0)
        if self.plan.items:
            items.highlighted = first
        items.focus()
        self._show_summary()
        self._show_detail()

    # -- drawing -------------------------------------------------------------------------------

    def _prompt(self, item: ImportItem) -> Text:
        """One line: outcome, ＊ when open with unsaved edits, what confirming does, the name."""
        choice = self.choices.get(item.id)
        action = _action(item, choice, self.THEIRS, self.VERB)
        style = "bold red" if item.status == CONFLICT and choice is None else \
            "bold" if choice is not None else "dim"
        text = Text(no_wrap=True, overflow="crop")
        text.append(f"{OUTCOMES[item.status]:\u3000<4}", style=OUTCOME_STYLES[item.status])
        text.append("＊" if item.id in self.unsaved else "  ", style="bold yellow")
        text.append(action + " " * (16 - cell_len(action)), style=style)
        text.append(_cut(visible(item.name) or "（未命名）", NAME_CELLS))
        return text

    def _title(self) -> str:
        return f"导入记录包：{Path(self.plan.bundle.source).name}"

    def _headline(self) -> Text:
        """The summary's first line: what is being reviewed."""
        bundle = self.plan.bundle
        # A TOML date (no time) has no `sep`: only a datetime is written with one.
        made_at = bundle.made_at.isoformat(sep=" ") if isinstance(bundle.made_at, datetime) \
            else str(bundle.made_at)
        text = Text()
        text.append(f"{Path(bundle.source).name}", style="bold")
        text.append(f"：{len(bundle.records)} 个项目，{visible(bundle.made_by) or '（未署名）'} 制作于 "
                    f"{made_at}；全部记录的校验值与校验均已通过。\n")
        return text

    def _show_summary(self) -> None:
        plan = self.plan
        text = self._headline()
        counts = [(OUTCOMES[s], n, OUTCOME_STYLES[s]) for s in (NEW, UPDATE, SAME, LOCAL_NEWER, CONFLICT)
                  if (n := len(plan.by_status(s)))]
        for i, (name, n, style) in enumerate(counts):
            text.append("，" if i else "")
            text.append(f"{name} {n}", style=style)
        writes = len(plan.to_write(self.choices))
        profiles = plan.profiles_to_write(self.choices)
        unresolved = len(plan.unresolved(self.choices))
        text.append(f"。确认后写入 {writes} 个记录")
        if profiles:
            text.append(f"和 {len(profiles)} 个评分规则（{'、'.join(p.name for p in profiles)}）")
        if unresolved:
            text.append(f"；{unresolved} 个冲突未选择（不{self.VERB}）", style="bold red")
        text.append("。")
        if self.unsaved:
            text.append("\n＊ 本机此项目有未保存的修改：导入不会改动编辑中的内容，保存时会提示文件已被修改。",
                        style="yellow")
        for problem in plan.problems:
            text.append(f"\n✗ {problem}", style="bold red")
        if plan.problems:
            text.append(f"\n有以上问题，不能{self.VERB}（不会写入任何文件）。", style="bold red")
        self.query_one("#review-summary", Static).update(text)

    @property
    def item(self) -> ImportItem | None:
        index = self.query_one("#review-items", OptionList).highlighted
        return self.plan.items[index] if index is not None and index < len(self.plan.items) else None

    def _show_detail(self) -> None:
        item = self.item
        out = self.query_one("#review-fields", Static)
        if item is None:
            out.update(Text(f"没有{self.THEIRS}记录"))
            return
        choice = self.choices.get(item.id)
        text = Text()
        text.append(visible(item.name) or "（未命名）", style="bold")
        text.append(f"\n编号 {visible(item.id)}\n")
        text.append(OUTCOMES[item.status], style=OUTCOME_STYLES[item.status])
        text.append({
            NEW: "：本机没有这个项目",
            SAME: "：与本机完全相同",
            UPDATE: f"：只有对方改过（本机版本是{self.THEIRS}版本的前身）",
            LOCAL_NEWER: f"：本机版本已包含{self.THEIRS}版本（本机改过，或以前已处理）",
            CONFLICT: f"：{self.CONFLICT}，请选择：B 采用{self.THEIRS}版本，M 保留本机版本，Enter 逐项选择",
        }[item.status])
        text.append(f"\n确认后：{_action(item, choice, self.THEIRS, self.VERB)}")
        if isinstance(choice, FieldChoice):
            text.append(f"（{'、'.join(unit_label(p) for p in sorted(choice.taken))}采用{self.THEIRS}的值，"
                        "其余保留本机）")
        if item.takes_bundle(choice):
            text.append(f"（{item.path.name}）")
        theirs = item.record.assessment
        text.append(f"\n{self.THEIRS}版本：总分 {theirs.total_text}  等级 {theirs.grade_text}")
        local = item.local
        rules = self.plan.bundle.profiles.get(local.project.rules) if local else None
        if local and rules is not None and item.status != SAME:  # the folder's profile scores alike, or a problem says so
            ours = assess(local.project, rules)
            text.append(f"\n本机版本：总分 {ours.total_text}  等级 {ours.grade_text}")
        if item.id in self.unsaved:
            text.append("\n＊ 本机此项目有未保存的修改：导入后编辑中的内容保留不动，保存时会提示文件已被修改。",
                        style="yellow")
        differences = item.differences()
        if not differences:
            out.update(text)
            return
        table = Table(expand=True, show_lines=True, title=Text(f"{len(differences)} 处不同"),
                      title_justify="left")
        table.add_column("字段", ratio=2, no_wrap=False)
        table.add_column("本机", ratio=5)
        table.add_column(self.THEIRS, ratio=5)
        taken = _taken(item, choice)
        mine = local.project if local is not None else None
        for path, here, there in differences[:80]:
            take = taken(path)
            table.add_row(_cell(label(path)), _cell(_mark(take is False) + shown(here, path, mine)),
                          _cell(_mark(take is True) + shown(there, path, item.record.project)))
        if len(differences) > 80:
            table.add_row(_cell("⋯"), _cell(f"另有 {len(differences) - 80} 处"), _cell(""))
        out.update(Group(text, Text(""), table))

    def _redraw(self, item: ImportItem) -> None:
        index = self.plan.items.index(item)
        self.query_one("#review-items", OptionList).replace_option_prompt_at_index(
            index, self._prompt(item))
        self._show_summary()
        self._show_detail()

    @on(OptionList.OptionHighlighted, "#review-items")
    def _highlighted(self) -> None:
        self._show_detail()

    # -- keys ----------------------------------------------------------------------------------

    def action_choose(self, choice: str) -> None:
        item = self.item
        if item is None:
            return
        if item.status == SAME:
            self.app.bell()
            self.notify("与本机相同，无需选择", timeout=2, markup=False)
            return
        if choice:
            self.choices[item.id] = TAKE_BUNDLE if choice == "bundle" else KEEP_MINE
        else:
            self.choices.pop(item.id, None)
        self._redraw(item)

    def action_fields(self) -> None:
        """Open the record under the cursor to its differing fields, to choose field by field."""
        item = self.item
        if item is None:
            return
        if item.status == SAME or item.local is None or not item.units():
            self.app.bell()
            self.notify("本机没有此项目，或与本机相同：没有可逐项选择的字段", timeout=3, markup=False)
            return
        rules = self.plan.bundle.profiles.get(item.local.project.rules)

        def chosen(choice) -> None:
            if choice is not None:
                self.choices[item.id] = choice
                self._redraw(item)
        self.app.push_screen(self.FIELDS(item, self.choices.get(item.id), rules), chosen)

    def action_next_conflict(self) -> None:
        items = self.query_one("#review-items", OptionList)
        start = items.highlighted if items.highlighted is not None else -1
        n = len(self.plan.items)
        for step in range(1, n + 1):
            i = (start + step) % n
            if self.plan.items[i].status == CONFLICT:
                items.highlighted = i
                return
        self.notify("没有冲突", timeout=2, markup=False)

    async def action_confirm(self) -> None:
        if self.plan.problems:
            self.app.bell()
            self.notify(f"有问题，不能{self.VERB}：见上方说明", severity="error", markup=False)
            return
        unresolved = self.plan.unresolved(self.choices)
        if unresolved:
            message = Text(f"还有 {len(unresolved)} 个冲突没有选择：\n")
            for item in unresolved[:10]:
                message.append(f"  {visible(item.name) or '（未命名）'}\n")
            message.append(f"\n{self.VERB}其余：这些冲突不{self.VERB}，其余照所列写入。\n返回选择：回到列表，按 B 或 M 选择。")
            self.app.push_screen(ChoiceDialog("有冲突未选择", message, [
                ("rest", f"{self.VERB}其余", "w", "warning"),
                ("back", "返回选择", "k", "primary"),
            ], cancel="back"), self._unresolved_answer)
            return
        self.dismiss(dict(self.choices))

    def _unresolved_answer(self, answer: str | None) -> None:
        if answer == "rest":
            self.dismiss(dict(self.choices))

    def action_cancel(self) -> None:
        self.dismiss(None)


_MERGE_KEYS = {"review.take_bundle": "采用对方版本", "review.default": "恢复未选",
               "review.confirm": "确认写入", "review.cancel": "稍后再选"}


class MergeReviewScreen(ImportReviewScreen):
    """The same review for conflicts a git merge left (tui.exchange.conflicts): each record's file holds
    the merge with every conflict settled our way; the other side is the merge settled theirs.
    B takes theirs, M keeps the file as it is; Ctrl+S writes; Esc leaves them for later."""

    THEIRS = "对方"
    CONFLICT = "双方都改过"
    FIELDS = MergeFieldsScreen
    VERB = "写入"
    ITEMS = "有冲突的记录"
    BINDINGS = [replace(b, description=_MERGE_KEYS.get(b.id or "", b.description))
                if isinstance(b, Binding) else b for b in ImportReviewScreen.BINDINGS]

    def _title(self) -> str:
        return "git 合并冲突"

    def _headline(self) -> Text:
        n = len(self.plan.items)
        text = Text()
        text.append(f"git 合并留下 {n} 个项目的冲突", style="bold")
        text.append("：两个分支改了同一字段。文件中暂为本机（当前分支）的值；"
                    "B 采用对方分支的值，M 保留本机的值，Ctrl+S 写入。\n"
                    "写入后请在 git 中 git add 这些文件并提交。\n")
        return text
