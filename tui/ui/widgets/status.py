"""One-line texts above the editor: the score bar (总分, 等级 … of the project on screen) and the
status line (what the typed text is taken as, or why it is refused)."""

from __future__ import annotations

from rich.text import Text

from tui.core.format import cell
from tui.core.validation import ERROR, Assessment
from tui.ui.widgets.line import TextLine


class StatusLine(TextLine):
    """A one-line status text that repaints only when its text changes (`set`, `text`)."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(Text(text), id=id, classes=classes)

    def set(self, text: str) -> None:
        self.update(Text(text))

    @property
    def text(self) -> str:
        return self.plain


class ScoreBar(TextLine):
    """总分, 等级, 资金得分, 执行率 and the problem counts of the project on screen."""

    DEFAULT_CSS = """
    ScoreBar { height: 1; padding: 0 1; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._key: tuple | None = None

    def show(self, assessment: Assessment, dirty: bool) -> None:
        sheet = assessment.sheet
        errors = sum(1 for p in assessment.problems if p.level == ERROR)
        warnings = len(assessment.problems) - errors
        key = (sheet.total, sheet.grade, sheet.funding_score, sheet.rate, errors, warnings, dirty)
        if key == self._key:
            return
        self._key = key
        # While errors remain the total and grade are not final: "281.53（未定）" "优（未定：2 个错误）".
        text = Text.assemble(
            ("总分 ", "dim"), (assessment.total_text, "bold"), "  ",
            ("等级 ", "dim"), (assessment.grade_text, "bold red" if errors else "bold"), "   ",
            ("资金得分 ", "dim"), sheet.show(sheet.funding_score, "funding_score"), "  ",
            ("执行率 ", "dim"), cell(sheet.show(sheet.rate, "rate") + "%" if sheet.rate is not None else ""), "   ",
            ("错误 ", "dim"), (str(errors), "bold red" if errors else ""), "  ",
            ("提醒 ", "dim"), (str(warnings), "bold yellow" if warnings else ""),
            ("   ＊未保存" if dirty else "", "bold yellow"),
        )
        self.update(text)
