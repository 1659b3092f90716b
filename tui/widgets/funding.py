"""The funding block as the printed form lays it out, and the score bar above the editor.

项目资金（万元）: the 年度资金总额 row (derived, with the weight, rate and funding score) and the
three sub-rows, whose amounts are editable; sub-rows print their rate and `-` for weight and score.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Static

from ..format import amount, fixed
from ..model import AMOUNT_FIELDS, FUNDING_ROWS, Project
from ..validation import ERROR, Assessment
from .fields import FieldInput


class Cell(Static):
    """A Static that repaints only when its text changes (the live path updates many cells)."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(Text(text), id=id, classes=classes)
        self._text = text

    def set(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update(Text(text), layout=False)  # a cell keeps its size: no relayout

    @property
    def text(self) -> str:
        return self._text


class FundingPanel(Grid):
    """Amounts of 当年财政拨款, 上年结转资金, 其他资金 and the funding weight are FieldInputs."""

    DEFAULT_CSS = """
    FundingPanel {
        grid-size: 7; grid-columns: 16 1fr 1fr 1fr 8 8 7; grid-rows: 1;
        height: auto; grid-gutter: 0 1;
    }
    FundingPanel .head { color: $text-muted; text-style: bold; text-align: right; }
    FundingPanel .head.first { text-align: left; }
    FundingPanel .num { text-align: right; width: 1fr; }
    FundingPanel FieldInput { width: 1fr; }
    FundingPanel .score { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        for i, title in enumerate(["项目资金（万元）"] + [t for _k, t in AMOUNT_FIELDS]
                                  + ["分值", "执行率", "得分"]):
            yield Cell(title, classes="head first" if i == 0 else "head")
        yield Cell("年度资金总额")
        for key, _title in AMOUNT_FIELDS:
            yield Cell("", id=f"fund-total-{key}", classes="num")
        yield FieldInput("funding.weight", "number", id="fund-weight", classes="num")
        yield Cell("", id="fund-total-rate", classes="num")
        yield Cell("", id="fund-score", classes="num score")
        for row, title in FUNDING_ROWS:
            yield Cell(title)
            for key, _title in AMOUNT_FIELDS:
                yield FieldInput(f"funding.{row}.{key}", "amount", id=f"fund-{row}-{key}",
                                 classes="num")
            yield Cell("-", classes="num")
            yield Cell("", id=f"fund-{row}-rate", classes="num")
            yield Cell("-", classes="num")

    def on_mount(self) -> None:
        self._cells = {cell.id: cell for cell in self.query(Cell) if cell.id}
        self.fields = {field.path: field for field in self.query(FieldInput)}

    def show(self, project: Project, assessment: Assessment, force: bool = False) -> None:
        """Repaint from a project (committed or being previewed); only changed cells redraw."""
        sheet = assessment.sheet
        total = project.funding.total
        for key, _title in AMOUNT_FIELDS:
            self._cells[f"fund-total-{key}"].set(amount(getattr(total, key)))
        for row in sheet.rows:
            self._cells[f"fund-{row.key}-rate"].set(fixed(row.rate))
        self._cells["fund-score"].set(fixed(sheet.funding_score))
        for field in self.fields.values():
            field.show(project, force)


class ScoreBar(Static):
    """总分, 等级, 资金得分, 执行率 and the problem counts of the project on screen."""

    DEFAULT_CSS = """
    ScoreBar { height: 1; padding: 0 1; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._key: tuple | None = None
        self.plain = ""

    def show(self, assessment: Assessment, dirty: bool) -> None:
        sheet = assessment.sheet
        errors = sum(1 for p in assessment.problems if p.level == ERROR)
        warnings = len(assessment.problems) - errors
        key = (sheet.total, sheet.grade, sheet.funding_score, sheet.rate, errors, warnings, dirty)
        if key == self._key:
            return
        self._key = key
        text = Text.assemble(
            ("总分 ", "dim"), (fixed(sheet.total), "bold"), "  ",
            ("等级 ", "dim"), (sheet.grade, "bold"), "   ",
            ("资金得分 ", "dim"), fixed(sheet.funding_score), "  ",
            ("执行率 ", "dim"), f"{fixed(sheet.rate)}%", "   ",
            ("错误 ", "dim"), (str(errors), "bold red" if errors else ""), "  ",
            ("提醒 ", "dim"), (str(warnings), "bold yellow" if warnings else ""),
            ("   ＊未保存" if dirty else "", "bold yellow"),
        )
        self.plain = text.plain
        self.update(text, layout=False)
