"""The list's lines of projects (`entry_for` from a record, `entries_of` from the folder's index)
and the year line under the list (`year_lines`): plain functions, no widgets."""

from __future__ import annotations

from decimal import Decimal
from os import sep

from rich.text import Text

from tui.core.format import amount, fixed
from tui.core.model import Project
from tui.core.rules import Rules
from tui.core.scoring import ScoreSheet
from tui.core.validation import Assessment, validate
from tui.store.indexline import PARTS, SEP
from tui.ui.widgets.entry import Entry

_WAN = Decimal(10000)
_ONE, _ZERO = Decimal(1), Decimal(0)


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
    itself, without reading it. The row's text is read here as `indexline.unpack` reads it, but
    without making a Line for each (10,000 at a start: 9 ms)."""
    out = []
    # Scores and places made once for each text: they repeat, amounts don't.
    made: dict[str, Decimal] = {}
    made_places: dict[str, tuple[int, int]] = {}
    for key, row in rows.items():
        (_stamp, year, adjusted, executed, rate, total, total_places, rate_places, errors,
         n_id, n_name, n_dept, n_unit, texts) = row[1].split(SEP, PARTS)
        a = int(n_id)
        b = a + int(n_name)
        c = b + int(n_dept)
        d = c + int(n_unit)
        score = made.get(total)
        if score is None:
            score = made[total] = Decimal(total) if total else _ZERO
        rated = made.get(rate) if rate else None  # "": blank ("" of a blank total is 0)
        if rated is None and rate:
            rated = made[rate] = Decimal(rate)
        places = made_places.get(total_places + SEP + rate_places)
        if places is None:
            places = made_places[total_places + SEP + rate_places] = (int(total_places), int(rate_places))
        scale = _WAN if texts[c:d] == "元" else _ONE
        # Positional: Entry's field order (keywords cost a start of 10,000 lines 10 ms).
        out.append(Entry(key, texts[a:b], int(year), key[key.rfind(sep) + 1:], texts[b:c], score,
                         texts[d:], rated, Decimal(adjusted) / scale if adjusted else _ZERO,
                         Decimal(executed) / scale if executed else _ZERO, False, int(errors),
                         places, texts[:a]))
    return out


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
