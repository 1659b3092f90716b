"""The year's summary (项目支出绩效自评结果汇总表): one row per project, totals, counts by grade.

What `zipin summary`, the 汇总 sheet of an xlsx and the app's summary screen all show, worked out
once here. Rich only, never Textual: `summary_table` and `summary_charts` are renderables the CLI
prints and the app's screen embeds.

Money is in 万元 whatever the record's unit (a record in 元 is divided by 10,000, as the year line
under the project list does). The rates and averages are rounded by the folder's default rule
profile, the one place figures are rounded.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, JustifyMethod, RenderResult
from rich.table import Table
from rich.text import Text

from tui.core.format import amount, fixed
from tui.core.model import Project
from tui.core.rules import Rules
from tui.core.validation import ERROR, Assessment
from tui.printed.html import html_page

TITLE = "项目支出绩效自评结果汇总表"
GRADES = ("优", "良", "中", "差")
# Rate bands for the distribution chart: (label, lowest rate in the band), best first.
RATE_BANDS = (("≥95%", Decimal(95)), ("90–95%", Decimal(90)), ("80–90%", Decimal(80)),
              ("60–80%", Decimal(60)), ("<60%", Decimal("-Infinity")))
COLUMNS = ("序号", "项目名称", "主管部门", "全年预算数（万元）", "全年执行数（万元）", "执行率（%）",
           "资金得分", "总分", "等级", "未解决错误")
_WAN = Decimal(10000)
ZERO = Decimal(0)


@dataclass
class SummaryRow:
    file: str
    name: str
    department: str
    year: int
    budget: Decimal  # 全年预算数 of 年度资金总额, 万元
    executed: Decimal
    rate: Decimal
    funding_score: Decimal
    total: Decimal
    grade: str
    errors: int


@dataclass
class Summary:
    rows: list[SummaryRow]
    rules: Rules
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def budget(self) -> Decimal:
        return sum((r.budget for r in self.rows), ZERO)

    @property
    def executed(self) -> Decimal:
        return sum((r.executed for r in self.rows), ZERO)

    @property
    def rate(self) -> Decimal:
        """Executed over budget of all the projects together."""
        return self.rules.q(self.executed / self.budget * 100) if self.budget else ZERO

    def _weighted(self, value) -> Decimal:
        if not self.budget:
            return ZERO
        return self.rules.q(sum((value(r) * r.budget for r in self.rows), ZERO) / self.budget)

    @property
    def weighted_rate(self) -> Decimal:
        """The projects' own rates averaged with their budgets as weights."""
        return self._weighted(lambda r: r.rate)

    @property
    def weighted_score(self) -> Decimal:
        return self._weighted(lambda r: r.total)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rows)

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.rows})

    def rate_bands(self) -> list[tuple[str, int]]:
        counts = {label: 0 for label, _ in RATE_BANDS}
        for row in self.rows:
            label = next(label for label, low in RATE_BANDS if row.rate >= low)
            counts[label] += 1
        return list(counts.items())

    @property
    def title(self) -> str:
        years = self.years
        return f"{years[0]}年度{TITLE}" if len(years) == 1 and years[0] else TITLE


def summarize(items: list[tuple[str, Project, Assessment]], rules: Rules) -> Summary:
    """The summary of (file, project, assessment) in the order given; `rules` rounds the totals."""
    rows = []
    for file, project, result in items:
        sheet = result.sheet
        scale = _WAN if project.money_unit == "元" else Decimal(1)
        total = project.funding.total
        # A blank budget or execution (record format 2) counts as nothing here; its rate as 0.
        rows.append(SummaryRow(file, project.name, project.department, project.year,
                               (total.adjusted or ZERO) / scale, (total.executed or ZERO) / scale,
                               sheet.rate if sheet.rate is not None else ZERO,
                               sheet.funding_score, sheet.total, sheet.grade,
                               sum(1 for p in result.problems if p.level == ERROR)))
    return of_rows(rows, rules)


def row_of(file: str, s: dict) -> SummaryRow:
    """A row from a record's summary in the folder index (tui.store.index.summary): the same figures."""
    scale = _WAN if s["money_unit"] == "元" else Decimal(1)
    exact = {k: ZERO if v is None else Decimal(v) for k, v in s["exact"].items()}  # blank: as summarize
    return SummaryRow(file, s["name"], s["department"], s["year"], exact["adjusted"] / scale,
                      exact["executed"] / scale, exact["rate"], exact["funding_score"],
                      exact["total"], s["grade"], len(s["errors"]))


def of_rows(rows: list[SummaryRow], rules: Rules) -> Summary:
    grades = {g: 0 for g in GRADES}
    for row in rows:
        grades[row.grade] = grades.get(row.grade, 0) + 1
    return Summary(rows, rules, grades)


def table_rows(summary: Summary) -> list[list[str]]:
    """The table as printed: one row of strings per project (columns as COLUMNS)."""
    return [[str(n), r.name, r.department, amount(r.budget), amount(r.executed), fixed(r.rate),
             fixed(r.funding_score), fixed(r.total), r.grade, str(r.errors)]
            for n, r in enumerate(summary.rows, start=1)]


def total_lines(summary: Summary) -> list[str]:
    tally = "  ".join(f"{g} {n}" for g, n in summary.grades.items())
    return [f"合计 {len(summary.rows)} 项：全年预算数 {amount(summary.budget)} 万元，"
            f"全年执行数 {amount(summary.executed)} 万元，执行率 {fixed(summary.rate)}%",
            f"等级：{tally}；未解决错误 {summary.errors} 个",
            f"按预算加权：平均执行率 {fixed(summary.weighted_rate)}%，平均总分 {fixed(summary.weighted_score)}"]


def as_json(summary: Summary) -> str:
    data = {
        "title": summary.title,
        "unit": "万元",
        "projects": [{"file": r.file, "name": r.name, "department": r.department, "year": r.year,
                      "budget": fixed(r.budget), "executed": fixed(r.executed),
                      "rate": fixed(r.rate), "funding_score": fixed(r.funding_score),
                      "total": fixed(r.total), "grade": r.grade, "errors": r.errors}
                     for r in summary.rows],
        "count": len(summary.rows),
        "grades": summary.grades,
        "budget": fixed(summary.budget), "executed": fixed(summary.executed),
        "rate": fixed(summary.rate),
        "weighted_rate": fixed(summary.weighted_rate),
        "weighted_score": fixed(summary.weighted_score),
        "rate_bands": dict(summary.rate_bands()),
        "errors": summary.errors,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_csv(summary: Summary) -> str:
    """Figures without thousands separators, so a spreadsheet reads them as numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n, r in enumerate(summary.rows, start=1):
        writer.writerow([n, r.name, r.department, fixed(r.budget), fixed(r.executed),
                         fixed(r.rate), fixed(r.funding_score), fixed(r.total), r.grade, r.errors])
    writer.writerow(["合计", f"{len(summary.rows)} 项", "", fixed(summary.budget),
                     fixed(summary.executed), fixed(summary.rate), "",
                     fixed(summary.weighted_score),
                     " ".join(f"{g}{n}" for g, n in summary.grades.items()), summary.errors])
    return out.getvalue()


def _bar(n: int, most: int, width: int = 30) -> str:
    return "█" * (round(n * width / most) if most else 0)


def chart_lines(summary: Summary) -> list[tuple[str, list[tuple[str, int]]]]:
    """The two small charts as (heading, [(label, count)]): grades, and rates by band."""
    return [("等级分布", list(summary.grades.items())), ("执行率分布", summary.rate_bands())]


# Narrower than the table's full layout (F9 at 80 columns): headings over more lines, no padding
# beside the rules, and a 主管部门 shared by every row said once under the title, not per row.
NARROW_HEADS = {3: "全年\n预算数\n（万元）", 4: "全年\n执行数\n（万元）", 6: "资金\n得分",
                9: "未解决\n错误"}
NAME_LEAST = 8  # the narrowest 项目名称 (and 主管部门) wraps in


def summary_table(summary: Summary, width: int = 150) -> Table:
    """The table as a Rich renderable for `width` cells; user text goes in as Text, never as
    markup."""
    rows = table_rows(summary)
    footers = _footers(summary)
    plan = _plan(summary, rows, footers, width)
    title = summary.title
    if plan.department:
        title += f"\n主管部门：{plan.department}"
    table = Table(title=title, box=box.SQUARE, show_footer=True, title_style="bold",
                  header_style="bold", footer_style="bold", padding=(0, plan.padding))
    # Figures and their headers keep their width (no_wrap: Rich narrows only the columns that
    # wrap); the two names wrap in what is left, 3:2. (Room reckoned without the borders and
    # padding cut the table at the right below 150 cells: 未解决错误 gone, 1,231.96 folded.)
    for n in plan.columns:
        just, foot = JUSTIFY[n], footers[n]
        if n in NAMES:
            table.add_column(plan.heads[n], justify=just, footer=foot, overflow="fold",
                             width=plan.name if n == 1 else plan.department_width)
        else:
            table.add_column(plan.heads[n], justify=just, footer=foot, no_wrap=True)
    for row in rows:
        table.add_row(*(Text(row[n]) for n in plan.columns))
    return table


def _footers(summary: Summary) -> list[str]:
    return ["", f"合计 {len(summary.rows)} 项", "", amount(summary.budget),
            amount(summary.executed), fixed(summary.rate), "", "", "", str(summary.errors)]


JUSTIFY: tuple[JustifyMethod, ...] = ("right", "left", "left", "right", "right", "right", "right",
                                      "right", "center", "right")
NAMES = (1, 2)  # 项目名称, 主管部门: the columns that wrap


@dataclass
class _Plan:
    heads: list[str]
    columns: list[int]
    padding: int = 1
    department: str = ""  # shared by every row, said under the title (narrow only)
    name: int = 0
    department_width: int = 0
    least: int = 0  # the table's width with its names at NAME_LEAST


def _plan(summary: Summary, rows: list[list[str]], footers: list[str], width: int) -> _Plan:
    """The columns, headings, padding and name widths that fit `width` cells: the full layout
    where it fits, else the narrow one (F9 at 80 columns fits, rows a line or two each)."""
    full = _Plan([head.replace("（", "\n（") for head in COLUMNS], list(range(len(COLUMNS))))
    departments = {row[2] for row in rows}
    narrow = _Plan([NARROW_HEADS.get(n, head) for n, head in enumerate(full.heads)],
                   list(full.columns), padding=0)
    if len(departments) == 1:
        narrow.department = departments.pop()
        narrow.columns.remove(2)

    def widest(plan: _Plan, n: int) -> int:
        texts = [*plan.heads[n].split("\n"), footers[n], *(r[n] for r in rows)]
        return max(cell_len(t) for t in texts)

    for plan in (full, narrow):
        figures = sum(widest(plan, n) for n in plan.columns if n not in NAMES)
        rules = (2 * plan.padding + 1) * len(plan.columns) + 1  # │ and padding
        room = width - figures - rules
        wrapped = [n for n in NAMES if n in plan.columns]
        plan.least = figures + rules + NAME_LEAST * len(wrapped)
        if room >= NAME_LEAST * len(wrapped) or plan is narrow:
            room = max(room, NAME_LEAST * len(wrapped))
            plan.name, plan.department_width = widest(plan, 1), widest(plan, 2) if 2 in wrapped else 0
            if plan.name + plan.department_width > room:  # Rich can't narrow 汉字 with no spaces
                plan.name = min(plan.name, room - min(plan.department_width, room * 2 // 5))
                plan.department_width = room - plan.name if 2 in wrapped else 0
            return plan
    return narrow


def summary_charts(summary: Summary) -> Group:
    parts = []
    for heading, counts in chart_lines(summary):
        most = max((n for _, n in counts), default=0)
        text = Text(heading + "\n", style="bold")
        for label, n in counts:
            text.append(f"  {label:<6}\t{n:>3} {_bar(n, most)}\n".expandtabs(8))
        parts.append(text)
    return Group(*parts)


def summary_renderable(summary: Summary, width: int | None = 150) -> Group | SummaryPage:
    """The summary page for `width` cells, or (None) for the width it is drawn in."""
    if width is None:
        return SummaryPage(summary)
    lines = Text("\n".join(total_lines(summary)))
    return Group(summary_table(summary, width), lines, Text(""), summary_charts(summary))


class SummaryPage:
    """The summary laid out for the width it is drawn in (the app's F9 page: a terminal resized
    lays it out again), never narrower than `least` (`least_width`)."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        self.least = least_width(summary)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield summary_renderable(self.summary, max(self.least, options.max_width))


def least_width(summary: Summary) -> int:
    """The fewest cells the summary's table is drawn in whole (narrow, names 8 cells wide)."""
    rows = table_rows(summary)
    return _plan(summary, rows, _footers(summary), 0).least


def as_text(summary: Summary, width: int = 150) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, markup=False,
                      highlight=False, emoji=False, legacy_windows=False)
    console.print(summary_renderable(summary, width))
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


_STYLE = """\
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
  color: #000; background: #fff; font-size: 10pt; }
h1 { font-size: 14pt; text-align: center; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 2px 4px; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.c { text-align: center; }
tfoot td { font-weight: bold; }
.charts { display: flex; gap: 3em; margin-top: 1em; break-inside: avoid; }
.bar { display: inline-block; height: 0.9em; background: #555; vertical-align: middle; }
.charts td { border: none; }
"""

_BODY = """\
<h1>{title}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{rows}
</tbody>
<tfoot><tr>{foot}</tr></tfoot>
</table>
{lines}
<div class="charts">{charts}</div>"""


def as_html(summary: Summary) -> str:
    e = html.escape
    kinds = ("n", "", "", "n", "n", "n", "n", "n", "c", "n")
    rows = "\n".join("<tr>" + "".join(f'<td class="{k}">{e(v)}</td>' for k, v in zip(kinds, row))
                     + "</tr>" for row in table_rows(summary))
    foot = [f"合计 {len(summary.rows)} 项", "", amount(summary.budget), amount(summary.executed),
            fixed(summary.rate), "", "", "", str(summary.errors)]
    charts = []
    for heading, counts in chart_lines(summary):
        most = max((n for _, n in counts), default=0)
        body = "".join(f'<tr><td>{e(label)}</td><td class="n">{n}</td><td><span class="bar" '
                       f'style="width:{n * 12 // most if most else 0}em"></span></td></tr>'
                       for label, n in counts)
        charts.append(f"<table><caption>{e(heading)}</caption>{body}</table>")
    return html_page(summary.title, _STYLE, _BODY.format(
        title=e(summary.title), head="".join(f"<th>{e(h)}</th>" for h in COLUMNS), rows=rows,
        foot='<td></td>' + "".join(f'<td class="n">{e(v)}</td>' for v in foot),
        lines="".join(f"<p>{e(line)}</p>" for line in total_lines(summary)),
        charts="".join(charts)))
