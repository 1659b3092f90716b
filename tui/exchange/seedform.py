"""The seed's ``pdftotext`` text, one form at a time: header, funding, goals and footer, as the
columns of the printed form come out one cell to a line (the module docstring of tui.exchange.textimport
says how wraps are told from real line breaks). The indicator rows are tui.exchange.seedrows'.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter

from tui.core.model import FUNDING_ROWS
from tui.exchange.seedrows import _indicators
from tui.exchange.textform import (_PLAIN, _TITLE, ImportedForm, Printed, _capacity, _join_wrapped, _Line,
                       normalize_amount, width)


# ---------------------------------------------------------------------------------------------
# One form


def _find(lines: list[_Line], pred, start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if pred(lines[i].text)), None)


def parse_form(lines: list[str], *, index: int = 1, line: int = 1, year: int | None = None) -> ImportedForm:
    """Parse one form's lines (as `split_forms` gives them) into a record and its printed figures."""
    rows = [_Line(line + i, raw) for i, raw in enumerate(lines)]
    form = ImportedForm(index, line, None, Printed())
    problems, notes, printed = form.problems, form.notes, form.printed

    i_money = _find(rows, lambda t: t.startswith("项目资金") or "年度资金总额" in t)
    i_goals = _find(rows, lambda t: "预期目标" in t, i_money or 0)
    i_head = _find(rows, lambda t: t.startswith("一级指"), i_goals or i_money or 0)
    i_head_end = _find(rows, lambda t: "偏差原因" in t, i_head) if i_head is not None else None
    i_grade = next((i for i in range(len(rows) - 1, -1, -1) if "评分等级" in rows[i].text), None)

    m = re.search(r"项目名称\s*[:：]?\s*(\S+)", "\n".join(r.text for r in rows[:i_money or len(rows)]))
    form.project_name = m.group(1) if m else ""
    missing = []
    if i_money is None:
        missing.append("项目资金")
    if i_goals is None:
        missing.append("年度总体目标（预期目标/实际完成情况）")
    if i_head is None or i_head_end is None:
        missing.append("绩效指标表头")
    if i_grade is None:
        missing.append("总分和评分等级")
    if missing:
        cut = "，文本可能在中途截断" if i_grade is None else ""
        problems.append(f"表格不完整：没有找到{'、'.join(missing)}{cut}")
        return form
    assert i_money is not None and i_goals is not None and i_head is not None  # none is missing
    assert i_head_end is not None and i_grade is not None

    header = _header(rows[:i_money], year, notes, problems)
    form.project_name = header["name"]
    money_unit, funding = _funding(rows[i_money:i_goals], printed, notes, problems)
    expected, achieved = _goals(rows[i_goals:i_head], notes)
    i_total, weight_total, total, grade = _footer(rows, i_head_end, i_grade, problems)
    printed.weight_total, printed.total, printed.grade = weight_total, total, grade
    indicators = _indicators(rows[i_head_end + 1:i_total], printed, notes, problems)

    if header.get("year") is None:
        found = _year_in_text(" ".join(r.text for r in rows))
        if found is not None:
            header["year"] = found
            notes.append(f"表上未印年度，按正文中出现最多的年份取 {found} 年，请核对")
        else:
            problems.append("表上未印年度，正文中也找不到，请用 --year 指定")
    if problems:
        return form
    form.record = {
        "format": 1,
        "id": str(uuid.uuid4()),
        "year": header["year"],
        "name": header["name"],
        "department": header["department"],
        "implementer": header["implementer"],
        "rules": "default",
        "money_unit": money_unit,
        "funding": funding,
        "goals": {"expected": expected, "achieved": achieved},
        "indicators": indicators,
    }
    return form


# ---------------------------------------------------------------------------------------------
# Header: 项目名称, 主管部门, 实施单位, year

_HEADER_LABELS = ("项目名称", "主管部门", "实施单位")
_OTHER_HEADER_LABELS = ("项目负责人", "联系电话", "填报日期", "填报单位", "项目属性", "项目类型")


def _header(rows: list[_Line], year: int | None, notes: list[str], problems: list[str]) -> dict:
    text = "\n".join(r.text for r in rows)
    out: dict = {"year": None}
    title = "\n".join(r.text for r in rows if _TITLE.search(r.text))
    m = re.search(r"((?:19|20)\d{2})\s*年", title + "\n" + text.split("项目名称")[0])
    if m:
        out["year"] = int(m.group(1))
        if year is not None and year != out["year"]:
            notes.append(f"表上印的年度为 {out['year']}，与指定的 {year} 不同，按表上的")
    elif year is not None:
        out["year"] = year
    labels = "|".join(_HEADER_LABELS + _OTHER_HEADER_LABELS)
    for label in _HEADER_LABELS:
        m = re.search(rf"{label}\s*[:：]?(.*?)(?=(?:{labels})|\Z)", text, re.S)
        value = "".join(part.strip() for part in m.group(1).split("\n")) if m else ""
        key = {"项目名称": "name", "主管部门": "department", "实施单位": "implementer"}[label]
        out[key] = value.strip()
    if not out["name"]:
        problems.append("没有找到项目名称")
    for key, label in (("department", "主管部门"), ("implementer", "实施单位")):
        if not out[key]:
            notes.append(f"表上没有{label}")
    return out


def _year_in_text(text: str) -> int | None:
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年度", text) or \
        re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d)", text)
    if not years:
        return None
    return int(Counter(years).most_common(1)[0][0])


# ---------------------------------------------------------------------------------------------
# Funding: 项目资金（万元）and its four rows

_ROW_LABELS = (
    ("total", r"年度资金总额"),
    ("appropriation", r"(?:当年|本年|年度)?财政拨款"),
    ("carried_over", r"上年结转(?:资金)?"),
    ("other", r"其他资金"),
)
_ROW_NAMES = {"total": "年度资金总额", **dict(FUNDING_ROWS)}


def _funding(rows: list[_Line], printed: Printed, notes: list[str], problems: list[str]):
    text = " ".join(r.text for r in rows)
    text = unicodedata.normalize("NFKC", text)
    m = re.search(r"项目资金\s*\(\s*(万元|元)\s*\)", text)
    if m:
        unit = m.group(1)
    else:
        unit = "万元"
        notes.append("没有找到资金单位（万元/元），按万元")
    # Glue labels wrapped across lines back together, then cut the text at the row labels.
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)
    text = text.replace("其中:", " ").replace("其中", " ")
    marks = []
    for key, pattern in _ROW_LABELS:
        found = re.search(pattern, text)
        if found:
            marks.append((found.start(), found.end(), key))
    marks.sort()
    cells: dict[str, list[str]] = {}
    for n, (_start, end, key) in enumerate(marks):
        stop = marks[n + 1][0] if n + 1 < len(marks) else len(text)
        tokens = [t for t in text[end:stop].split() if re.match(r"^(?:[\d,.]+|-|—|/)$", t)]
        cells[key] = tokens
    funding: dict = {"weight": ""}
    if "total" not in cells and "appropriation" not in cells:
        problems.append("项目资金：没有找到“年度资金总额”或“财政拨款”行")
        return unit, funding

    def amounts(key: str) -> dict | None:
        tokens = cells.get(key)
        label = _ROW_NAMES[key]
        if tokens is None:
            return None
        if len(tokens) < 3:
            problems.append(f"项目资金：“{label}”行应有年初预算数、全年预算数、全年执行数，只找到 {len(tokens)} 个数")
            return None
        values = [normalize_amount(t) for t in tokens[:3]]
        if None in values:
            problems.append(f"项目资金：“{label}”行的金额“{' '.join(tokens[:3])}”无法识别")
            return None
        return dict(zip(("budget", "adjusted", "executed"), values))

    total = amounts("total")
    tokens = cells.get("total", [])
    if total is not None:
        rest = tokens[3:]
        if len(rest) >= 3:
            funding["weight"] = normalize_amount(rest[0]) or ""
            printed.rate, printed.funding_score = rest[1], rest[2]
        elif len(rest) == 2:
            printed.rate, printed.funding_score = rest
        if not funding["weight"]:
            notes.append("项目资金：没有印分值，按 10.00")
            funding["weight"] = "10.00"
        funding["total"] = total
    else:
        funding["weight"] = "10.00"
        notes.append("项目资金：没有“年度资金总额”行，分值按 10.00")
    for key, label in FUNDING_ROWS:
        row = amounts(key)
        if row is None:
            if key not in cells:
                notes.append(f"项目资金：没有“{label}”行，按 0.00")
            row = {"budget": "0.00", "adjusted": "0.00", "executed": "0.00"}
        else:
            rest = cells[key][3:]
            numbers = [t for t in rest if _PLAIN.match(t.replace(",", ""))]
            if numbers:
                printed.row_rates[key] = numbers[-1] if len(numbers) == 1 else numbers[1]
        funding[key] = row
    return unit, funding


# ---------------------------------------------------------------------------------------------
# Goals: 预期目标 then 实际完成情况, one column after the other


def _goals(rows: list[_Line], notes: list[str]) -> tuple[str, str]:
    head = rows[0].text
    body = rows[1:]
    after = head.split("实际完成情况", 1)[1].strip() if "实际完成情况" in head else ""
    if after:
        body = [_Line(rows[0].no, after)] + body
    body = [r for r in body if r.text not in ("年度总", "体目标", "年度总体目标")]
    # Blocks of non-blank lines; pdftotext leaves blank lines inside a column too.
    items: list[_Line | None] = [r if r.text else None for r in body]
    while items and items[0] is None:
        items.pop(0)
    while items and items[-1] is None:
        items.pop()
    if not items:
        notes.append("年度总体目标为空")
        return "", ""
    split = _goal_split(items)
    if split is None:
        blanks = [i for i, r in enumerate(items) if r is None]
        if blanks:
            split = blanks[-1] + 1
            notes.append("预期目标与实际完成情况的分界不明显，按最后一段为实际完成情况，请核对")
        else:
            split = len(items)
            notes.append("只找到一段目标文字，记为预期目标，实际完成情况为空，请核对")
    expected = [r for r in items[:split] if r is not None]
    achieved = [r for r in items[split:] if r is not None]
    return _goal_text(expected), _goal_text(achieved)


def _goal_split(items: list[_Line | None]) -> int | None:
    """Where 实际完成情况 starts: the achieved column is wider, so its first line wider than every
    expected line gives it away; the column starts at the blank line before that."""
    seen: list[int] = []
    for i, r in enumerate(items):
        if r is None:
            continue
        w = width(r.text)
        cap = _capacity(seen)
        if cap is not None and w >= cap + 3:
            blanks = [j for j in range(i) if items[j] is None]
            return blanks[-1] + 1 if blanks else i
        seen.append(w)
    return None


def _goal_text(lines: list[_Line]) -> str:
    texts = [r.text for r in lines]
    return _join_wrapped(texts, _capacity([width(t) for t in texts]), raw=[r.raw for r in lines])


# ---------------------------------------------------------------------------------------------
# Footer: 100 <total> / 评分等级 <grade>


def _footer(rows: list[_Line], i_head_end: int, i_grade: int, problems: list[str]):
    grade_line = unicodedata.normalize("NFKC", rows[i_grade].text)
    m = re.search(r"评分等级\s*[:：]?\s*([优良中差])", grade_line)
    grade = m.group(1) if m else ""
    if not grade:
        problems.append("评分等级没有印出“优/良/中/差”")
    before = grade_line.split("评分等级")[0]
    i_total = i_grade
    numbers = re.findall(r"\d+(?:\.\d+)?", before)
    if len(numbers) < 2:
        i = i_grade - 1
        while i > i_head_end and not rows[i].text:
            i -= 1
        i_total = i
        numbers = re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", rows[i].text))
    if len(numbers) < 2 or i_total <= i_head_end:
        problems.append("没有找到总分（分值合计与得分合计）")
        return i_total, "", "", grade
    return i_total, numbers[-2], numbers[-1], grade
