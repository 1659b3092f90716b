"""The list's lines of projects (`entry_for` from a record, `entries_of` from the folder's index)
and the year line under the list (`year_lines`): plain functions, no widgets."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text

from tui.core.format import amount, fixed
from tui.core.model import Project
from tui.core.rules import Rules
from tui.core.scoring import ScoreSheet
from tui.core.validation import Assessment, validate
from tui.ui.screens.indexed import IndexedEntry
from tui.ui.widgets.entry import Entry

_WAN = Decimal(10000)
_ZERO = Decimal(0)


def entry_for(key: str, project: Project, scored: ScoreSheet | Assessment, file: str,
              dirty: bool) -> Entry:
    if not isinstance(scored, Assessment):  # a sheet carries its rules: its problems follow
        scored = Assessment(scored, validate(project, scored.rules, scored) if scored.rules else [])
    sheet = scored.sheet
    total = project.funding.total
    scale = _WAN if project.money_unit == "元" else Decimal(1)
    return Entry(key=key, name=project.name, year=project.year, file=file,
                 department=project.department, total=sheet.total, grade=sheet.grade,
                 rate=sheet.rate, adjusted=(total.adjusted or 0) / scale,
                 executed=(total.executed or 0) / scale, dirty=dirty, errors=scored.error_count,
                 places=(rules.figure("total").places, rules.figure("rate").places)
                 if (rules := sheet.rules) else (2, 2), record_id=project.id)


def entries_of(rows: dict[str, tuple]) -> list[Entry]:
    """The list's lines of records from their rows in the folder index (`rows`: key -> row, from
    `FolderIndex.listing(check=False)`): the same figures as `entry_for` gives from the record
    itself, without reading it; each read from its row when first used (screens/indexed.py)."""
    return [IndexedEntry(key, row[1]) for key, row in rows.items()]


def year_lines(entries: list[Entry], rules: Rules, checking: bool = False) -> Text:
    """One line per year: how many projects, budget and executed (万元), grades tallied. The rate
    is rounded by `rules` (the folder's default profile), in its wide context: any amount fits.
    `checking`: some lines are not checked against their files yet, so no sum is shown."""
    if checking:
        return Text("正在核对项目文件⋯", style="dim")
    # One pass (10,000 lines are added up at each start and keystroke): per year, how many,
    # budget, executed and each grade's count.
    years: dict[int, tuple[list, dict[str, int]]] = {}
    for e in entries:
        found = years.get(e.year)
        if found is None:
            found = years[e.year] = ([0, _ZERO, _ZERO], {})
        sums, grades = found
        sums[0] += 1
        sums[1] += e.adjusted
        sums[2] += e.executed
        grade = "未定" if e.errors else e.grade  # a grade errors leave open is not tallied as one
        grades[grade] = grades.get(grade, 0) + 1
    text = Text()
    for year in sorted(years, reverse=True):
        (count, adjusted, executed), grades = years[year]
        rate = rules.q(executed / adjusted * 100) if adjusted else Decimal(0)
        tally = " ".join(f"{g} {grades.pop(g, 0)}" for g in ("优", "良", "中", "差"))
        tally += "".join(f" {g} {n}" for g, n in grades.items())
        if text:
            text.append("\n")
        text.append(f"{year or '—'}年", style="bold")
        text.append(f" {count} 项  {tally}\n")
        text.append(f"预算 {amount(adjusted)} 执行 {amount(executed)} 万元 {fixed(rate)}%")
    return text
