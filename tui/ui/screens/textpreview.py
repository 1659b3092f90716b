"""The preview of printed forms' text before it is written: each form with its name, year, total
and grade, whether its printed figures agree with the rules, its problems and notes.

Nothing here writes a file: the screen answers yes or no and the main screen writes
(screens/exchange.py, through tui.exchange.textplan as `zipin import-text` does).
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.core.validation import Assessment, validate
from tui.exchange.textplan import TextPlan
from tui.ui.widgets.keybar import KeyBar
from tui.core.messages import visible


def _cell(text: str, style: str = "") -> Text:
    """A table cell that wraps (folds) rather than cutting with …."""
    return Text(text, style=style, overflow="fold")


class TextPreviewScreen(Screen[bool]):
    """What was found in a printed forms' text, form by form, before anything is written.
    Ctrl+S writes every record (all or none); Esc writes nothing."""

    BINDINGS = [
        Binding("ctrl+s", "confirm", "确认导入", id="preview.confirm", priority=True),
        Binding("escape", "cancel", "取消（不写入）", id="preview.cancel"),
    ]
    DEFAULT_CSS = """
    TextPreviewScreen #preview-summary { height: auto; padding: 0 1; background: $panel; }
    TextPreviewScreen #preview-forms { height: 1fr; padding: 0 1; }
    """

    def __init__(self, plan: TextPlan, source: Path) -> None:
        super().__init__()
        self.plan, self.source = plan, Path(source)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._summary(), id="preview-summary")
        with VerticalScroll(id="preview-forms"):
            yield Static(self._forms())
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = visible(f"导入纸质表文本：{self.source.name}")
        self.sub_title = "核对后按 Ctrl+S 导入" if self.plan.writable else "不能导入"
        self.query_one("#preview-forms").focus()

    def _summary(self) -> Text:
        plan = self.plan
        text = Text()
        text.append(self.source.name, style="bold")
        for problem in plan.result.problems:
            text.append(f"\n✗ {problem}", style="bold red")
        if plan.result.problems:
            text.append("\n不能导入，不会写入任何文件。", style="bold red")
            return text
        text.append(f"：找到 {len(plan.forms)} 张表")
        if plan.failed:
            names = "、".join(f"[{f.index}] {visible(f.name)}" for f in plan.failed)
            text.append(f"\n✗ {len(plan.failed)} 张表无法导入（{names}）：不会写入任何文件。",
                        style="bold red")
            return text
        text.append(f"，全部可以导入：按 Ctrl+S 写入 {len(plan.forms)} 个新记录到 {plan.folder.name or plan.folder}。")
        if plan.disagreeing:
            text.append(f"\n其中 {len(plan.disagreeing)} 张表的印刷数字与计算不一致，请核对（仍会导入）。",
                        style="yellow")
        return text

    def _forms(self) -> Table | Text:
        plan = self.plan
        if not plan.forms:
            return Text("")
        table = Table(expand=True, show_lines=True)
        for title, kwargs in (("#", {"justify": "right", "width": 3}), ("项目名称", {"ratio": 3}),
                              ("年度", {"width": 6}), ("总分", {"justify": "right", "width": 7}),
                              ("等级", {"width": 4}), ("核对与说明", {"ratio": 6}),
                              ("写入文件", {"ratio": 3})):
            table.add_column(title, **kwargs)
        for item in plan.forms:
            form = item.form
            check = Text(overflow="fold")
            if item.project is None:
                check.append("无法导入", style="bold red")
                for problem in form.problems:
                    check.append(f"\n× {problem}", style="red")
            elif form.disagreements:
                check.append(f"表上数字与计算不一致（{len(form.disagreements)} 处）", style="yellow")
                for line in form.disagreements:
                    check.append(f"\n≠ {line}")
            else:
                check.append("与表上一致", style="green")
            for note in form.notes:
                check.append(f"\n注：{note}", style="dim")
            if item.existing is not None:
                check.append(f"\n注：文件夹中已有同名同年度的记录 {item.existing.name}，仍另存为新记录",
                             style="yellow")
            project, sheet = item.project, item.sheet
            # The figures the import would write, marked 未定 while the record would have errors.
            marked = (Assessment(sheet, validate(project, sheet.rules, sheet))
                      if project is not None and sheet and sheet.rules else None)
            table.add_row(
                _cell(str(form.index)),
                _cell(visible(form.name)),
                _cell(str(project.year) if project else ""),
                _cell(marked.total_text if marked else ""),
                _cell(marked.grade_text if marked else ""),
                check,
                _cell(item.path.name if item.path else "", style="dim"),
            )
        return table

    def action_confirm(self) -> None:
        if not self.plan.writable:
            self.app.bell()
            self.notify("有无法导入的表，不能导入（不会写入任何文件）", severity="error", markup=False)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
