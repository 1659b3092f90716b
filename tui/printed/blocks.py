"""The printed form's blocks, as its layout (tui.printed.layout) says: header, funding, goals, indicators and
the closing parts, each a `Block` of cells for tui.printed.canvas to draw. Rich only, no Textual.

What a user typed goes in as `rich.text.Text` (never markup), cleaned by `printgrid.clean`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.cells import cell_len
from rich.text import Text

from tui.core.format import amount, cell, fixed, plain
from tui.printed.layout import Layout
from tui.core.model import ParseError, Project, parse_target
from tui.printed.canvas import BOLD, LABEL_STYLE, Block, Column, breaks, clean
from tui.core.scoring import ScoreSheet
from tui.core.validation import Assessment

INDICATOR_HEAD = "indicator_head"  # the role of the indicator header row's cells (HTML, xlsx)
FIGURE_COLUMNS = ("weight", "score", "review")


def natural(texts) -> int:
    """The widest line among texts, in cells."""
    return max((cell_len(line) for t in texts for line in str(t).split("\n")), default=0)


def label(text: str) -> Text:
    return Text(breaks(text), style=LABEL_STYLE)


def user(text: str, ascii_ops: bool) -> Text:
    """User data as plain Text: never parsed as markup."""
    return Text(clean(text, ascii_ops))


def spans(values: list[str]) -> list[tuple[int, int]]:
    """(start, length) runs of equal, non-empty consecutive values: the paper's merged cells."""
    runs: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if runs and v and values[runs[-1][0]] == v:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def whole(value) -> str:
    """A weight as forms print it: 100, 22.5, not 100.00."""
    return fixed(value, 0) if value == value.to_integral_value() else fixed(value)


def split_target(target: str) -> tuple[str, str, str]:
    """指标性质 / 指标值 / 度量单位 of a target: ≥2.00(次) -> ≥, 2.00, 次; a word is its own value."""
    try:
        parsed = parse_target(target)
    except ParseError:
        return "", target, ""
    if not parsed.numeric:
        return "", parsed.word, ""
    return parsed.op, str(parsed.value), parsed.unit


@dataclass
class Figures:
    """Every figure and text of the form, formatted once, in printed order."""

    funding_rows: list[tuple[str, dict[str, str]]]  # label, column -> figure
    indicators: list[dict[str, str]]  # column -> text
    total_weight: str
    total: str
    grade: str


def figures(project: Project, assessment: Assessment, layout: Layout) -> Figures:
    sheet = assessment.sheet
    rows = []
    for i, row in enumerate(sheet.rows):
        name = project.funding.label(row.key)
        if row.key == "total" and not dict(project.funding.labels).get("total") and layout.total_label:
            name = layout.total_label
        if i == 1:  # the first sub-row prints after 其中：, the others stand indented under it
            name = f"其中：{name}"
        a = row.amounts
        values = {"budget": cell(amount(a.budget)), "adjusted": cell(amount(a.adjusted)),
                  "executed": cell(amount(a.executed))}
        if i == 0:
            values.update(weight=fixed(sheet.funding_weight), rate=cell(sheet.show(row.rate, "rate")),
                          score=sheet.show(sheet.funding_score, "funding_score"))
        else:
            values.update(weight=layout.dash, score=layout.dash,
                          rate=cell(sheet.show(row.rate, "rate")) if layout.row_rates else "")
        rows.append((name, values))
    level1_weight: dict[str, Decimal] = {}
    for item in project.indicators:
        level1_weight[item.level1] = level1_weight.get(item.level1, 0) + item.weight
    items = []
    for item, result in zip(project.indicators, sheet.indicators):
        level1 = item.level1
        if layout.level1_weights and level1 and "分" not in level1:
            level1 = f"{level1}（{whole(level1_weight[item.level1])}分）"
        nature, value, unit = split_target(item.target) if layout.split_target else ("", "", "")
        items.append({"level1": level1, "level2": item.level2, "name": item.name,
                      "target": item.target, "nature": nature, "value": value, "unit": unit,
                      "actual": item.actual, "weight": plain(item.weight),  # as the form gives it: 60, 5.00
                      "score": sheet.show(result.score, "indicator_score") if result.applicable else "/",
                      "review": "",
                      "reason": item.reason})
    # While the record has errors its total and grade are not final, and the form says so.
    return Figures(rows, items, whole(sheet.weight_total), assessment.total_text, assessment.grade_text)


def _indicator_column(key: str, nat: int, numbers: int, many: bool) -> Column:
    if key in FIGURE_COLUMNS:
        return Column(numbers, numbers)
    return {
        "level1": Column(8, max(8, min(10, nat))),
        "level2": Column(8, max(8, min(12, nat))),
        "name": Column(8, max(8, nat), flex=1),
        "target": Column(10, max(10, min(14, nat))),
        "actual": Column(10, max(10, min(14, nat))),
        "nature": Column(4, max(4, min(6, nat))),
        "value": Column(6, max(6, min(10, nat))),
        "unit": Column(4, max(4, min(8, nat))),
        "reason": Column(10 if many else 20, max(24, nat), flex=3),  # many: split targets
    }[key]


def indicator_block(fig: Figures, layout: Layout, sheet: ScoreSheet, ascii_ops: bool) -> Block:
    keys = layout.indicator_columns
    lead = 1 if layout.section else 0  # the 绩效指标 column before the indicators
    nat = {k: natural(clean(str(row[k]), ascii_ops) for row in fig.indicators) for k in keys}
    numbers = max(5, nat.get("weight", 0), nat.get("score", 0), cell_len(fig.total_weight),
                  cell_len(fig.total))
    columns = [Column(8, 8)] if lead else []
    block = Block(columns + [_indicator_column(k, nat[k], numbers, len(keys) > 8) for k in keys])
    col = {k: lead + c for c, k in enumerate(keys)}
    n = len(fig.indicators)
    if lead:
        section = layout.section.replace("{weight}", whole(sheet.weight_total - sheet.funding_weight))
        block.add(0, 0, label(section), rowspan=n + 1)
    for k in keys:
        block.add(0, col[k], label(layout.indicator_heading(k)), role=INDICATOR_HEAD)
    rows = fig.indicators
    for start, length in spans([r["level1"] for r in rows]):
        block.add(1 + start, col["level1"], user(breaks(rows[start]["level1"]), ascii_ops), rowspan=length)
    if "level2" in col:
        for start, length in spans([f"{r['level1']}\x00{r['level2']}" if r["level2"] else "" for r in rows]):
            block.add(1 + start, col["level2"], user(breaks(rows[start]["level2"]), ascii_ops), rowspan=length)
    for i, row in enumerate(rows):
        for k in keys:
            if k in ("level1", "level2"):
                continue
            if k in FIGURE_COLUMNS:
                block.add(1 + i, col[k], Text(row[k]), figure="number")
            elif k in ("name", "reason"):
                block.add(1 + i, col[k], user(row[k], ascii_ops), justify="left" if k == "reason" else "center")
            else:
                block.add(1 + i, col[k], user(breaks(row[k]), ascii_ops))
    # 总分 spans the columns before the first figure column; the figures stand under theirs.
    first = min(col[k] for k in ("weight", "score"))
    block.add(n + 1, 0, label(layout.closing_total), colspan=first)
    for c in range(first, lead + len(keys)):
        k = keys[c - lead]
        if k == "weight":
            block.add(n + 1, c, Text(fig.total_weight), figure="number")
        elif k == "score":
            block.add(n + 1, c, Text(fig.total, style=BOLD), figure="number")
        else:
            block.add(n + 1, c, Text(""))
    if layout.closing_grade:
        block.add(n + 2, 0, label(layout.closing_grade), colspan=first)
        block.add(n + 2, first, Text(fig.grade, style=BOLD), colspan=lead + len(keys) - first)
    return block


def _field(project: Project, key: str) -> str:
    return getattr(project, key) if key in ("name", "department", "implementer") else project.text(key)


def header_block(project: Project, layout: Layout, label_width: int, ascii_ops: bool) -> Block:
    block = Block([Column(label_width, label_width), Column(8, 8, flex=1),
                   Column(8, 8), Column(8, 8, flex=1)])
    for r, keys in enumerate(layout.header):
        block.add(r, 0, label(layout.label(keys[0])))
        if len(keys) == 1:
            block.add(r, 1, user(_field(project, keys[0]), ascii_ops), colspan=3, justify="left")
            continue
        block.add(r, 1, user(_field(project, keys[0]), ascii_ops), justify="left")
        block.add(r, 2, label(layout.label(keys[1])))
        block.add(r, 3, user(_field(project, keys[1]), ascii_ops), justify="left")
    return block


_FIGURE_WIDTHS = {"weight": (4, 5), "rate": (6, 6), "score": (4, 5)}


def funding_block(project: Project, fig: Figures, layout: Layout, sheet: ScoreSheet,
                  label_width: int, ascii_ops: bool) -> Block:
    names = [name for name, _ in fig.funding_rows]
    # A form without the 年初预算数 column prints 全年预算数 and 全年执行数 only.
    keys = [k for k in layout.funding_columns if k != "budget" or project.funding.budget_column]
    money_keys = [k for k in keys if k in ("budget", "adjusted", "executed")]
    money = max(10, *(len(v[k]) for _, v in fig.funding_rows for k in money_keys))
    money_min = max(len(v[k]) for _, v in fig.funding_rows for k in money_keys)
    columns = [Column(label_width, label_width), Column(8, max(cell_len(s) for s in names), flex=1)]
    for k in keys:
        if k in money_keys:
            columns.append(Column(money_min, money, flex=1))
        else:  # wide enough for what they hold ("100.00" for a funding block of 100)
            low, high = _FIGURE_WIDTHS[k]
            columns.append(Column(low, max(high, *(cell_len(v[k]) for _, v in fig.funding_rows))))
    block = Block(columns)
    unit = clean(project.money_unit or "万元", ascii_ops)
    head = layout.funding_label.replace("{unit}", unit).replace("{weight}", whole(sheet.funding_weight))
    block.add(0, 0, label(head), rowspan=len(fig.funding_rows) + 1)
    block.add(0, 1, Text(""))
    for c, k in enumerate(keys):
        block.add(0, 2 + c, label(layout.funding_heading(k)))
    for r, (name, values) in enumerate(fig.funding_rows, start=1):
        # the rows after the first sub-row stand under it, after 其中：, as printed
        block.add(r, 1, Text(name), justify="left", indent=6 if r > 2 else 0)
        for c, k in enumerate(keys):
            is_money = k in money_keys
            block.add(r, 2 + c, Text(values[k]), justify="right" if is_money else "center",
                      figure="amount" if is_money else "number")
    return block


def goals_block(project: Project, layout: Layout, label_width: int, ascii_ops: bool) -> Block:
    block = Block([Column(label_width, label_width), Column(10, 10, flex=2),
                   Column(10, 10, flex=3)])
    block.add(0, 0, label(layout.goals_label), rowspan=2)
    block.add(0, 1, label(layout.expected_label))
    block.add(0, 2, label(layout.achieved_label))
    block.add(1, 1, user(project.expected.strip("\n"), ascii_ops), justify="left", middle=False)
    block.add(1, 2, user(project.achieved.strip("\n"), ascii_ops), justify="left", middle=False)
    return block


def closing_block(project: Project, layout: Layout, label_width: int, ascii_ops: bool) -> Block | None:
    """评价结论 / 存在问题 / 改进措施 / 其他需要说明事项 rows, then the signature line."""
    if not layout.blocks and not layout.signatures:
        return None
    block = Block([Column(label_width, label_width), Column(10, 10, flex=1)])
    r = 0
    for key in layout.blocks:
        block.add(r, 0, label(layout.label(key)))
        block.add(r, 1, user(project.text(key), ascii_ops), justify="left")
        r += 1
    if layout.signatures:
        line = "    ".join(f"{layout.label(k)}{clean(project.text(k), ascii_ops)}" for k in layout.signatures)
        block.add(r, 0, Text(line), colspan=2, justify="left")
    return block
