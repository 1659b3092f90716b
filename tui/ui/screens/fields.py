"""One record of a review opened to its differing fields (pushed by the review screens of
review.py, which draw values with `shown`, here): per field, B takes the other side's value, M
keeps mine; Enter returns the choice for the record, Esc returns with the record's choice as it was.

The record written is the folder's version with the chosen fields taken from the other side
(bundleplan.FieldChoice, built and checked by the core: ImportItem.result); all chosen: the other
version, none: mine. Every field's two values are user text: they go into `rich.text.Text`.
"""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static

from tui.exchange.bundleplan import TAKE_BUNDLE, FieldChoice, ImportItem, unit_label
from tui.core.editing import blank_text
from tui.core.messages import visible
from tui.core.model import Project
from tui.core.rules import Rules
from tui.store.codec import RecordError
from tui.core.validation import ERROR, assess
from tui.ui.widgets.keybar import KeyBar


def shown(value: object, path: str = "", project: Project | None = None) -> str:
    """A field's value as drawn: control characters as their pictures, line breaks kept; one
    blank or missing (`path` of `project`) as editing.blank_text says."""
    blank = blank_text(project, path, value)
    if blank is not None:
        return blank
    return "\n".join(visible(line) for line in str(value).split("\n"))


LABEL_CELLS = 26  # 第 12 项指标的偏差原因分析 on one line (half that on a narrow terminal)  # of a field's name; the two values share the rest


def _value(value: object, path: str, project: Project | None) -> str:
    """A unit's value: a whole indicator or row (a table) by its name, else as the review shows it."""
    if isinstance(value, dict):
        return "（整项）" + shown(value.get("name", "")) if "name" in value else "（整行）"
    return shown(value, path, project)


class FieldsScreen(Screen[object]):
    """The differing fields of one record, each with both values and the side chosen (● marked,
    bold; ○ the other, dim). Returns the record's new choice (TAKE_BUNDLE, KEEP_MINE or a
    FieldChoice), or None to leave it as it was."""

    BINDINGS = [
        Binding("b", "take(True)", "采用包内的值", id="fields.take"),
        Binding("m", "take(False)", "保留本机的值", id="fields.keep"),
        Binding("enter", "done", "完成", id="fields.done", priority=True),
        Binding("escape", "cancel", "返回（不改选择）", id="fields.cancel"),
    ]
    DEFAULT_CSS = """
    FieldsScreen #fields-summary { height: auto; padding: 0 1; background: $panel; }
    FieldsScreen #fields-list { height: 1fr; border: round $accent; }
    """

    THEIRS = "包内"  # the other side's name (git merge conflicts: 对方)

    def __init__(self, item: ImportItem, choice: object, rules: Rules | None) -> None:
        super().__init__()
        self.item, self.rules, self.theirs = item, rules, self.THEIRS
        self.units = item.units()
        every = [path for path, _a, _b in self.units]
        self.taken: set[str] = set(every) if choice == TAKE_BUNDLE else \
            set(choice.taken) if isinstance(choice, FieldChoice) else set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="fields-summary")
        yield OptionList(*[self._prompt(i) for i in range(len(self.units))], id="fields-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = visible(f"逐项选择：{self.item.name or '（未命名）'}")
        self.sub_title = f"B 采用{self.theirs}的值，M 保留本机的值，Enter 完成"
        found = self.query_one("#fields-list", OptionList)
        found.border_title = f"{len(self.units)} 处不同（字段 | 本机 | {self.theirs}）"
        found.highlighted = 0 if self.units else None
        found.focus()
        self._show_summary()

    def _prompt(self, index: int) -> Table:
        path, mine, theirs = self.units[index]
        take = path in self.taken
        row = Table.grid(expand=True, padding=(0, 1))
        row.add_column(width=LABEL_CELLS if self.app.size.width >= 120 else LABEL_CELLS // 2)
        for ratio in (None, 1, None, 1):  # a mark (● taken, ○ not) before each side's value
            row.add_column(ratio=ratio, width=1 if ratio is None else None)
        cells = []
        local = self.item.local.project if self.item.local is not None else None
        for side, value, chosen, project in (("本机", mine, not take, local),
                                             (self.theirs, theirs, take, self.item.record.project)):
            style = "bold" if chosen else "dim"
            cells += [Text("●" if chosen else "○", style=style),
                      Text(f"{side}：{_value(value, path, project)}", style=style, overflow="fold")]
        row.add_row(Text(unit_label(path), overflow="fold"), *cells)
        return row

    def choice(self) -> object:
        return self.item.choose_fields(self.taken)

    def _show_summary(self) -> None:
        n = len(self.taken)
        text = Text()
        text.append(visible(self.item.name) or "（未命名）", style="bold")
        text.append(f"：{len(self.units)} 处不同，采用{self.theirs} {n} 处，保留本机 {len(self.units) - n} 处。"
                    "B / M 选定后移到下一处；写入的是本机版本加上所选的"
                    f"{self.theirs}值，未选的那一方另存在 .zipin/replaced/。\n")
        try:
            result = self.item.result(self.choice())
        except RecordError as exc:
            text.append(f"✗ 这样组合不是有效的记录：{exc}", style="bold red")
        else:
            local = self.item.local
            project = result if result is not None else local.project if local is not None else None
            if self.rules is not None and project is not None:
                sheet = assess(project, self.rules)
                errors = sum(p.level == ERROR for p in sheet.problems)
                text.append(f"合并后：总分 {sheet.total_text}  等级 {sheet.grade_text}")
                if errors:
                    text.append(f"；有 {errors} 个错误，写入后请在编辑中改正", style="bold yellow")
        self.query_one("#fields-summary", Static).update(text)

    # -- keys ----------------------------------------------------------------------------------

    def action_take(self, take: bool) -> None:
        found = self.query_one("#fields-list", OptionList)
        index = found.highlighted
        if index is None:
            return
        path = self.units[index][0]
        (self.taken.add if take else self.taken.discard)(path)
        found.replace_option_prompt_at_index(index, self._prompt(index))
        if index + 1 < len(self.units):
            found.highlighted = index + 1
        self._show_summary()

    def action_done(self) -> None:
        try:
            self.item.result(self.choice())
        except RecordError as exc:
            self.app.bell()
            self.notify(f"这样组合不是有效的记录：{exc}", severity="error", markup=False)
            return
        self.dismiss(self.choice())

    def action_cancel(self) -> None:
        self.dismiss(None)


class MergeFieldsScreen(FieldsScreen):
    """The same for a git merge conflict: the other side is the other branch."""

    THEIRS = "对方"
    BINDINGS = [replace(b, description="采用对方的值")
                if isinstance(b, Binding) and b.id == "fields.take" else b for b in FieldsScreen.BINDINGS]
