"""The grid's row model: what each indicator row shows, made from the project and its assessment.

A row is reduced to a `RowView` (its texts and the marks of its cells), so drawing depends on
nothing else, and two views compare equal exactly when the row looks the same. `RowModel` keeps
the views of the project shown and, given the next one, tells which rows changed; a row whose
inputs are those of last time keeps its view object (the common case on a keystroke).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rich.cells import cell_len

from tui.core.editing import label
from tui.core.format import fixed
from tui.core.messages import visible
from tui.core.model import Indicator, Project
from tui.core.nextyear import last_year_figures
from tui.core.scoring import ScoreSheet
from tui.core.validation import ERROR, WARNING, Assessment, Problem
from tui.ui.widgets.grid.cell import CellEdit
from tui.ui.widgets.grid.columns import COLUMN_OF, COLUMNS

_PROBLEM_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)")

Problems = dict[tuple[int, str], list[Problem]]  # (row, field) -> the problems of that cell


class RowView(NamedTuple):
    """What one indicator row shows: all a drawn row depends on besides cursor and editor."""

    cells: tuple[str, ...]  # per column, as shown (a level repeated from the row above is "")
    values: tuple[str, ...]  # per column, the full text (levels always)
    marks: tuple[str, ...]  # per column: "", ERROR or WARNING
    override: bool  # the recorded score differs from the computed one


def score_text(item_score, places: int = 2) -> str:
    """得分 as the grid shows it, with the places its profile prints (86 under places 0): the
    score that counts, and the computed one when it differs."""
    s = item_score
    if s.overridden:
        computed = fixed(s.computed, places) if s.computed is not None else "-"
        return f"{fixed(s.recorded, places)} (算 {computed})"
    if s.computed is None and s.recorded is None:
        return "-"
    return fixed(s.score, places)


def worst(problems: list[Problem]) -> str:
    """ERROR if any of the problems is an error, else WARNING."""
    return ERROR if any(p.level == ERROR for p in problems) else WARNING


def problems_by_cell(assessment: Assessment | None) -> Problems:
    """The assessment's problems of indicator cells, by (row, field)."""
    problems: Problems = {}
    if assessment is not None:
        for problem in assessment.problems:
            if m := _PROBLEM_PATH.fullmatch(problem.path):
                problems.setdefault((int(m[1]), m[2]), []).append(problem)
    return problems


def row_view(i: int, item, score, problems: Problems, new_level1: bool, new_level2: bool,
             places: int = 2, before: tuple[str, str] | None = None) -> RowView:
    """The view of indicator `i`; a level equal to the row above's is shown blank. `before`:
    last year's (实际完成值, 得分) of this indicator, shown after this year's in their cells."""
    actual = visible(item.actual)
    shown = score_text(score, places) if score is not None else ""
    if before is not None:
        actual = f"{actual or '—'} ｜ 上年 {visible(before[0]) or '—'}"
        shown = f"{shown or '—'} ｜ 上年 {before[1] or '—'}"
    values = (str(i + 1), visible(item.level1), visible(item.level2), visible(item.name),
              visible(item.target), actual, fixed(item.weight), shown, visible(item.reason))
    cells = list(values)
    if not new_level1:
        cells[1] = ""
    if not new_level2:
        cells[2] = ""
    marks = tuple(worst(found) if col.field and (found := problems.get((i, col.field))) else ""
                  for col in COLUMNS)
    override = score is not None and score.overridden
    return RowView(tuple(cells), values, marks, override)


class RowModel:
    """The row views of the project shown, and what they were made from."""

    def __init__(self) -> None:
        self.views: list[RowView] = []
        self.problems: Problems = {}
        self._inputs: list[tuple] = []  # per row, what its view was made from
        # Last year's record and its score sheet, when its figures are shown (off: None).
        self.last: tuple[Project, ScoreSheet] | None = None

    def __len__(self) -> int:
        return len(self.views)

    def update(self, project: Project, assessment: Assessment | None) -> list[RowView]:
        """Make the views of `project`; returns the old ones (compare them to find changes)."""
        self.problems = problems = problems_by_cell(assessment)
        sheet = assessment.sheet if assessment is not None else None
        places = sheet.rules.figure("indicator_score").places if sheet is not None and sheet.rules else 2
        scores = sheet.indicators if sheet is not None \
            and len(sheet.indicators) == len(project.indicators) else None
        by_row: dict[int, list] = {}
        for (row, _field), found in problems.items():
            by_row.setdefault(row, []).extend(found)
        old_inputs, old_views = self._inputs, self.views
        inputs: list[tuple] = []
        views: list[RowView] = []
        prev: Indicator | None = None
        figures_before = last_year_figures(project, *self.last) if self.last is not None else None
        for i, item in enumerate(project.indicators):
            new_level1 = prev is None or prev.level1 != item.level1
            new_level2 = new_level1 or prev is None or prev.level2 != item.level2
            score = scores[i] if scores is not None else None
            figures = (score.computed, score.recorded, score.score) if score is not None else None
            key: tuple = (item, figures, tuple(by_row.get(i, ())), new_level1, new_level2, places)
            before = None
            if figures_before is not None:
                before = figures_before[i]
                key += (before,)
            if i < len(old_inputs) and (old := old_inputs[i])[0] is item and old == key:
                views.append(old_views[i])
            else:
                views.append(row_view(i, item, score, problems, new_level1, new_level2, places,
                                      before))
            inputs.append(key)
            prev = item
        self._inputs, self.views = inputs, views
        return old_views


def status_text(model: RowModel, row: int, field: str, edit: CellEdit | None, widths: tuple[int, ...],
                focused: bool = True) -> tuple[str, str]:
    """(text, style) of the grid's status line for the cell (`row`, `field`): what is typed in it,
    its problems, or its full text; empty while the focus is elsewhere (the line follows the
    focus: a cell left behind by F6, a click or Ctrl+R is not what the user is on)."""
    if not model.views:
        return "没有绩效指标：按 a 添加", "status"
    if not focused and edit is None:
        return "", "status"
    path = f"indicators[{row}].{field}"
    if edit is not None:
        if edit.error:
            return f"{label(path)}：{edit.error}", "status-error"
        if edit.understood:
            return f"{label(path)}：理解为 {edit.understood}", "status"
        return f"{label(path)}：Enter 确认并下移  Tab 确认并右移  Esc 取消", "status"
    found = model.problems.get((row, field))
    if found:
        worst = "status-error" if any(p.level == ERROR for p in found) else "status-warning"
        text = "；".join(("错误：" if p.level == ERROR else "提醒：") + p.message for p in found)
        return f"{label(path)}  {text}", worst
    values = model.views[row].values
    value = values[COLUMN_OF[field]]
    # The row's 三级指标 after it when its column cuts it (a narrow screen): which indicator
    # this is stays readable wherever the cursor is on the row.
    name = values[COLUMN_OF["name"]]
    if field != "name" and widths and cell_len(name) > widths[COLUMN_OF["name"]]:
        return f"{label(path)}：{value}  ｜ {name}", "status"
    return f"{label(path)}：{value}", "status"
