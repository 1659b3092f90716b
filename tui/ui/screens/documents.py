"""The list's lines of projects (`entry_for` from a record, `entry_of` from the folder's index)
and the year line under the list (`year_lines`): plain functions, no widgets."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text

from tui.core.format import amount, fixed
from tui.core.model import Project
from tui.core.rules import Rules
from tui.core.scoring import ScoreSheet
from tui.core.validation import Assessment, validate
from tui.ui.widgets.project_list import Entry

_WAN = Decimal(10000)


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
                 if (rules := sheet.rules) else (2, 2))


def entry_of(key: str, summary: dict, file: str) -> Entry:
    """The list's line of a record from its line in the folder index (tui.store.index.line): the same
    figures as `entry_for` gives from the record itself, without reading it."""
    scale = _WAN if summary["money_unit"] == "元" else Decimal(1)
    exact = {k: None if v is None else Decimal(v) for k, v in summary["exact"].items()}
    return Entry(key=key, name=summary["name"], year=summary["year"], file=file,
                 department=summary["department"], total=exact["total"] or Decimal(0), grade=summary["grade"],
                 rate=exact["rate"], adjusted=(exact["adjusted"] or 0) / scale,
                 executed=(exact["executed"] or 0) / scale, dirty=False,
                 errors=summary["error_count"], places=tuple(summary["places"]))


def year_lines(entries: list[Entry], rules: Rules) -> Text:
    """One line per year: how many projects, budget and executed (万元), grades tallied. The rate
    is rounded by `rules` (the folder's default profile), in its wide context: any amount fits."""
    years: dict[int, list[Entry]] = {}
    for entry in entries:
        years.setdefault(entry.year, []).append(entry)
    text = Text()
    for year in sorted(years, reverse=True):
        items = years[year]
        adjusted = sum((e.adjusted for e in items), Decimal(0))
        executed = sum((e.executed for e in items), Decimal(0))
        rate = rules.q(executed / adjusted * 100) if adjusted else Decimal(0)
        grades: dict[str, int] = {}
        for e in items:
            grade = "未定" if e.errors else e.grade  # a grade errors leave open is not tallied as one
            grades[grade] = grades.get(grade, 0) + 1
        tally = " ".join(f"{g} {grades.pop(g, 0)}" for g in ("优", "良", "中", "差"))
        tally += "".join(f" {g} {n}" for g, n in grades.items())
        if text:
            text.append("\n")
        text.append(f"{year or '—'}年", style="bold")
        text.append(f" {len(items)} 项  {tally}\n")
        text.append(f"预算 {amount(adjusted)} 执行 {amount(executed)} 万元 {fixed(rate)}%")
    return text
