"""One-line texts above the editor: the score bar (总分, 等级 … of the project on screen) and the
status line (what the typed text is taken as, or why it is refused)."""

from __future__ import annotations

from collections.abc import Callable

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
    """总分, 等级, 资金得分, 执行率 and the problem counts of the project on screen. Too narrow for
    all of it (80×24 with a 未定 total), it drops the least needed parts first — 执行率, then
    资金得分, then the grade's count of errors (the counts follow), the wide gaps, the 未保存
    mark (the title keeps its ＊), the words 总分 and 等级 — so the total, the grade and the
    counts stay whole."""

    DEFAULT_CSS = """
    ScoreBar { height: 1; padding: 0 1; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._key: tuple | None = None
        self._fits: list[Callable[[], Text]] = []  # the bar from whole to shortest (fitted)

    def show(self, assessment: Assessment, dirty: bool) -> None:
        sheet = assessment.sheet
        errors = sum(1 for p in assessment.problems if p.level == ERROR)
        warnings = len(assessment.problems) - errors
        key = (sheet.total, sheet.grade, sheet.funding_score, sheet.rate, errors, warnings, dirty)
        if key == self._key:
            return
        self._key = key
        # While errors remain the total and grade are not final: "281.53（未定）" "优（未定：2 个错误）".
        grade_style = "bold red" if errors else "bold"
        total = [("总分 ", "dim"), (assessment.total_text, "bold")]
        funding = [("资金得分 ", "dim"), sheet.show(sheet.funding_score, "funding_score")]
        rate = [("执行率 ", "dim"),
                cell(sheet.show(sheet.rate, "rate") + "%" if sheet.rate is not None else "")]
        counts = [("错误 ", "dim"), (str(errors), "bold red" if errors else ""), "  ",
                  ("提醒 ", "dim"), (str(warnings), "bold yellow" if warnings else "")]
        short_grade = sheet.grade if assessment.final else f"{sheet.grade}（未定）"

        def bar(grade: str, *parts: list, gap: str = "   ", named: bool = True,
                mark: bool = dirty) -> Text:
            pieces: list = [*total, "  ", ("等级 ", "dim"), (grade, grade_style)] if named else \
                [total[1], " ", (grade, grade_style)]  # the last resort: 166（未定） 优（未定）
            for part in parts:
                pieces += [gap, *part]
            if mark:
                pieces.append((f"{gap}＊未保存", "bold yellow"))
            return Text.assemble(*pieces)

        # Made when first drawn too narrow for the whole bar (most frames are wide enough:
        # making all seven on each keystroke cost 76 instead of 18 µs).
        self._fits = [
            lambda: bar(assessment.grade_text, funding + ["  "] + rate, counts),
            lambda: bar(assessment.grade_text, funding, counts),
            lambda: bar(assessment.grade_text, counts),
            lambda: bar(short_grade, counts),
            lambda: bar(short_grade, counts, gap="  "),
            lambda: bar(short_grade, counts, gap="  ", mark=False),
            lambda: bar(short_grade, counts, gap="  ", mark=False, named=False),
        ]
        self.update(self._fits[0]())

    def fitted(self, width: int) -> Text:
        """The fullest form of the bar that fits `width` cells (the shortest, cut, if none)."""
        if self._line.cell_len <= width or not self._fits:
            return self._line
        for make in self._fits[1:]:
            text = make()
            if text.cell_len <= width:
                return text
        text.overflow = "ellipsis"
        return text
