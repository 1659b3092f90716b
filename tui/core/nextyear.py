"""Next year's form from this year's: the same project, indicators, targets, weights and layout,
with everything the year's work fills in cleared (amounts, actuals, scores, reasons, 实际完成情况),
a new id, and this year's id kept as its `predecessor`. No Textual, no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

from tui.core.model import BLANK, Funding, Project


def next_year(project: Project) -> Project:
    old = project.funding  # the form's layout stays (row set, labels, columns); its figures go
    # Blank cells, not zeros: next year's amounts are not known yet (0.00 read as spent nothing
    # and warned 执行率 0.00% 低于 90.00% on every new record).
    funding = Funding(weight=old.weight, rows=tuple((key, BLANK) for key in old.keys),
                      row_set=old.row_set, labels=old.labels, budget_column=old.budget_column)
    items = tuple(replace(item, actual="", score=None, reason="") for item in project.indicators)
    return replace(project, id=str(uuid.uuid4()), predecessor=project.id,
                   year=project.year + 1 if project.year else 0, funding=funding, achieved="",
                   indicators=items)


def plan_next_year(projects, folder, there, sources=()) -> tuple[list, list]:
    """What writing next year's records of `projects` into `folder` would write: (project, path,
    None) items for `saving.save_all`, and the projects skipped because a record in `folder`
    (`there`, its records as loaded) already has them as its predecessor. `sources`, the files
    the projects were read from (in the same order), lend their ordering prefix (01-…) to the
    new files' names."""
    from tui.store.naming import new_path, order_prefix, safe_stem

    done = {r.project.predecessor for r in there}
    items, skipped, taken = [], [], set[Path]()
    sources = list(sources)
    for n, project in enumerate(projects):
        if project.id in done:
            skipped.append(project)
            continue
        new = next_year(project)
        prefix = order_prefix(sources[n]) if n < len(sources) else ""
        path = new_path(folder, new, taken, prefix)
        yearly = Path(folder) / f"{prefix}{safe_stem(new.name)}-{new.year}.toml"
        if new.year and path.stem != f"{prefix}{safe_stem(new.name)}" \
                and yearly not in taken and not yearly.exists():
            # Its name is taken (written beside this year's, in the same folder): named for its
            # year (01-…-2024.toml), not 01-…-2.toml, which says nothing of which file is which.
            path = yearly
        taken.add(path)
        items.append((new, path, None))
    return items, skipped


def default_folder(folder, year: int):
    """Where next year's records go: beside a folder named for this year (samples/2023 ->
    samples/2024), else the same folder."""
    from pathlib import Path

    folder = Path(folder)
    if year and folder.name == str(year):
        return folder.parent / str(year + 1)
    return folder


def last_year_figures(this: Project, last: Project, last_sheet) -> list[tuple[str, str]]:
    """Per indicator of `this`, last year's (实际完成值, 得分) of the same indicator, matched by
    一级/二级/三级指标 (else by place); ("", "") when there is none."""
    from tui.core.format import fixed

    before = {(i.level1, i.level2, i.name): (i, s)
              for i, s in zip(last.indicators, last_sheet.indicators)}
    out: list[tuple[str, str]] = []
    for n, item in enumerate(this.indicators):
        match = before.get((item.level1, item.level2, item.name))
        if match is None and n < len(last.indicators):
            match = (last.indicators[n], last_sheet.indicators[n])
        out.append((match[0].actual, fixed(match[1].score)) if match else ("", ""))
    return out


def last_year_rows(this: Project, this_sheet, last: Project, last_sheet) -> list[tuple[str, ...]]:
    """This year's indicators beside last year's (matched as `last_year_figures`):
    (三级指标, 年度指标值, 上年实际完成值, 上年得分, 本年实际完成值, 本年得分)."""
    from tui.core.format import fixed

    return [(item.name, item.target, old_actual, old_score, item.actual,
             fixed(result.score) if item.actual else "")
            for item, result, (old_actual, old_score)
            in zip(this.indicators, this_sheet.indicators, last_year_figures(this, last, last_sheet))]


def last_year_table(this: Project, this_sheet, last: Project, last_sheet):
    """The rows of `last_year_rows` as a Rich table (user text as Text, never markup)."""
    from rich import box
    from rich.console import JustifyMethod
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"与上年度对照（{last.year or '—'}年度 → {this.year or '—'}年度）",
                  box=box.SQUARE, title_style="bold", header_style="bold")
    columns: tuple[tuple[str, JustifyMethod], ...] = (("三级指标", "left"), ("年度指标值", "center"), ("上年实际完成值", "center"),
                          ("上年得分", "right"), ("本年实际完成值", "center"), ("本年得分", "right"))
    for head, justify in columns:
        table.add_column(head, justify=justify, overflow="fold")
    for row in last_year_rows(this, this_sheet, last, last_sheet):
        table.add_row(*(Text(v) for v in row))
    return table
