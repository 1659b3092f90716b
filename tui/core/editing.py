"""Pure edits: (project, field path, typed text) -> a new project. No I/O, no Textual.

Field paths are the ones validation reports (``name``, ``funding.other.executed``,
``indicators[3].actual``), so a problem in the list leads straight to the cell that fixes it.
Text that cannot be taken raises `ParseError` with a Chinese reason, and the project is unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from decimal import Decimal
from typing import Any

from tui.core.bounds import FREE_TEXT, text_problem
from tui.core.model import (AMOUNT_FIELDS, BLANK, BLANK_MARKS, COMPARATIVE_WORDS, LEVEL2_CHOICES, ROW_LABELS,
                    Funding, Indicator, ParseError, Project, normalize, parse_actual, parse_decimal, parse_target)

TEXT_FIELDS = {"name": "项目名称", "department": "主管部门", "implementer": "实施单位",
               "expected": "预期目标", "achieved": "实际完成情况"}
INDICATOR_FIELDS = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标",
                    "target": "年度指标值", "actual": "实际完成值", "weight": "分值",
                    "score": "得分", "reason": "偏差原因分析"}
FUNDING_FIELDS = {"weight": "资金分值", "score": "资金得分", "reason": "资金得分的原因"}
TEXTS = "texts."  # a record text by its layout's key (texts.conclusion: 评价结论), tui.printed.layout
_INDICATOR_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)")


# Fields of a record (as tui.core.format writes it) that the form has no name for.
RECORD_FIELDS = {"indicators": "指标个数", "rules": "评分规则", "money_unit": "金额单位",
                 "format": "格式版本", "id": "编号"}


@lru_cache(maxsize=4096)  # the same few paths for every record a folder check reports on
def label(path: str) -> str:
    """The form's own name for a field path (1-based: ``indicators[13].actual`` -> 第 14 项指标的
    实际完成值), for the app's messages, the problem list, the import review and the CLI. Takes
    validation's paths and a record's (``goals.achieved``, ``funding.total.executed``)."""
    path = path.removeprefix("goals.")
    if path in TEXT_FIELDS:
        return TEXT_FIELDS[path]
    if path in RECORD_FIELDS:
        return RECORD_FIELDS[path]
    if path.startswith(TEXTS):  # the layout names it (tui.printed.layout); here its key, marked
        return f"表上文字“{path.removeprefix(TEXTS)}”"
    if path == "year":
        return "年度"
    if m := _INDICATOR_PATH.fullmatch(path):
        return f"第 {int(m[1]) + 1} 项指标的{INDICATOR_FIELDS.get(m[2], m[2])}"
    parts = path.split(".")
    if parts[0] == "funding":
        rows = dict(ROW_LABELS, total="年度资金总额")
        if len(parts) == 3:
            return f"{rows.get(parts[1], parts[1])}的{dict(AMOUNT_FIELDS).get(parts[2], parts[2])}"
        if len(parts) == 2 and parts[1] in rows:  # a whole row (the review's field-by-field list)
            return rows[parts[1]]
        if len(parts) == 2 and parts[1] in FUNDING_FIELDS:
            return FUNDING_FIELDS[parts[1]]
    return {"weights": "分值合计"}.get(path, path)


def blank_text(project: Project | None, path: str, value: object) -> str | None:
    """How a comparison (the import review, the CLI) shows a field `project` holds blank (`value`
    "") or not at all (None); None for any other value. “（无）” / “（空白）”, but a cell of 年度资金
    总额 not stated is the rows' sum and says so — “（无）” read as if that side had no budget (a
    total whose rows were edited is no longer stated)."""
    if value == "":
        return "（空白）"
    if value is not None:
        return None
    parts = path.split(".")
    if project is None or parts[:2] != ["funding", "total"]:
        return "（无）"
    summed = getattr(project.funding.summed, parts[2], None) if len(parts) == 3 else None
    return f"（未填：各行合计 {summed}）" if summed is not None else "（未填：各行合计）"


def indicator_path(path: str) -> tuple[int, str] | None:
    """(index, field) of an indicator path, else None."""
    m = _INDICATOR_PATH.fullmatch(path)
    return (int(m[1]), m[2]) if m else None


def value_text(project: Project, path: str) -> str:
    """What an editor shows for a field before it is edited (the inverse of apply_edit)."""
    if (found := indicator_path(path)) is not None:
        index, field = found
        value = getattr(project.indicators[index], field)
        return "" if value is None else f"{value:f}" if isinstance(value, Decimal) else value
    if path == "year":
        return str(project.year) if project.year else ""
    if path.startswith(TEXTS):
        return project.text(path.removeprefix(TEXTS))
    parts = path.split(".")
    if parts[0] == "funding":
        funding = project.funding
        if len(parts) == 2:
            value = getattr(funding, parts[1])
        elif parts[1] == "total":
            value = getattr(funding.stated_total or funding.total, parts[2])
        else:
            value = getattr(funding.row(parts[1]), parts[2])
        return "" if value is None else f"{value:f}" if isinstance(value, Decimal) else value
    return getattr(project, path)


def _year(text: str) -> int:
    digits = unicodedata.normalize("NFKC", text).strip()
    if not re.fullmatch(r"\d{4}", digits):
        raise ParseError(f"年度“{text}”应为四位数字")
    return int(digits)


def _worded(text: str) -> bool:
    """Text whose canonical form would drop the form's words (1000人以上, 不低于90%): kept as typed."""
    return any(word in normalize(text) for word in COMPARATIVE_WORDS)


def _target(text: str) -> str:
    target = parse_target(text)
    return text.strip() if _worded(text) else target.text()


def _actual(text: str, target_text: str) -> str:
    """Canonical actual; a bare number takes the target's unit (typing 95 against ≥90(%) gives 95(%))."""
    actual = parse_actual(text)
    if _worded(text):
        return text.strip()
    if actual.empty or actual.tier or actual.word or actual.unit:
        return actual.text()
    try:
        unit = parse_target(target_text).unit
    except ParseError:
        unit = ""
    return replace(actual, unit=unit).text()


def apply_edit(project: Project, path: str, text: str) -> Project:
    """The project with one field set from typed text; ParseError if the text can't be taken.

    The one judge of typed text: the widgets check a keystroke with it and the document takes it
    with it, so they never disagree (a number out of bounds, tui.core.bounds, is refused here as a file
    holding it would be: the funding table once let one through that the document refused)."""
    key = path.rsplit(".", 1)[-1]
    if key not in FREE_TEXT and (problem := text_problem(text)):
        raise ParseError(problem)
    if path in TEXT_FIELDS:
        changes: dict[str, Any] = {path: text}
        return replace(project, **changes)
    if path == "year":
        return replace(project, year=_year(text))
    if path.startswith(TEXTS):
        return _text_edit(project, path.removeprefix(TEXTS), text)
    if (found := indicator_path(path)) is not None:
        index, field = found
        if not 0 <= index < len(project.indicators):
            raise ParseError(f"没有第 {index + 1} 项指标")
        item = project.indicators[index]
        what = INDICATOR_FIELDS.get(field, field)
        value: Any
        if field in ("level1", "level2", "name", "reason"):
            value = text
        elif field == "target":
            value = _target(text)
        elif field == "actual":
            value = _actual(text, item.target)
        elif field == "weight":
            value = parse_decimal(text, what)
        elif field == "score":
            value = None if not text.strip() else parse_decimal(text, what)
        else:
            raise ParseError(f"未知字段 {path}")
        return project.with_indicator(index, **{field: value})
    if path.startswith("funding."):
        return _funding_edit(project, path, text)
    raise ParseError(f"未知字段 {path}")


def _text_edit(project: Project, key: str, text: str) -> Project:
    """A record text set: changed in place, added after the others, or dropped when emptied (a
    record that never had it is written as before)."""
    if not key:
        raise ParseError(f"未知字段 {TEXTS}")
    if text == project.text(key):
        return project
    texts = dict(project.texts)
    if text:
        texts[key] = text
    else:
        texts.pop(key, None)
    return replace(project, texts=tuple(texts.items()))


def _blank_or_decimal(text: str, what: str) -> Decimal | None:
    """An amount cell: "—", "/", "-" or nothing is blank (not a zero), else a decimal."""
    return None if normalize(text) in BLANK_MARKS else parse_decimal(text, what)


def _funding_edit(project: Project, path: str, text: str) -> Project:
    funding = project.funding
    parts = path.split(".")
    if len(parts) == 2 and parts[1] in FUNDING_FIELDS:
        field = parts[1]
        value: Any
        if field == "reason":
            value = text
        elif field == "score":
            value = None if not text.strip() else parse_decimal(text, "资金得分")
        else:  # weight: blank means the rule profile's
            value = None if not text.strip() else parse_decimal(text, "资金分值")
        if value == getattr(funding, field):
            return project  # the same figure retyped ("10" for 10.00): keep it as written
        changes: dict[str, Any] = {field: value}
        return replace(project, funding=replace(funding, **changes))
    if len(parts) != 3 or parts[2] not in dict(AMOUNT_FIELDS) or \
            (parts[1] != "total" and parts[1] not in funding.keys):
        raise ParseError(f"未知字段 {path}")
    key, field = parts[1], parts[2]
    amount = _blank_or_decimal(text, label(path))
    cell: dict[str, Any] = {field: amount}
    if key == "total":
        # The form's own 年度资金总额: stated cell by cell (a blank cell there is the rows' sum).
        stated = funding.stated_total or BLANK
        if amount == getattr(stated, field) and funding.stated_total is not None:
            return project
        return replace(project, funding=replace(funding, stated_total=replace(stated, **cell)))
    old = funding.row(key)
    if amount == getattr(old, field) and (amount is None) == (getattr(old, field) is None):
        # Retyping an amount as it was (Enter on an unchanged cell, "1,230.370") changes
        # nothing: the stated 年度资金总额 stays, and so does the amount as written.
        return project
    row = replace(old, **cell)
    now_stated = funding.stated_total
    if now_stated is not None and now_stated == funding.summed:
        # A stated total that was the rows' sum was a claim about the old rows: now it is derived.
        # One that differed (a stated total over blank rows) is the form's own and stays.
        now_stated = None
    rows: dict[str, Any] = {key: row}
    return replace(project, funding=replace(funding, stated_total=now_stated, **rows))


def add_indicator(project: Project, index: int, level1: str = "", level2: str = "") -> Project:
    """A blank indicator inserted at `index`, in the levels given (default: those of its neighbour)."""
    items = list(project.indicators)
    near = items[min(index, len(items)) - 1] if items and index > 0 else None
    level1 = level1 or (near.level1 if near else "产出指标")
    level2 = level2 or (near.level2 if near else LEVEL2_CHOICES[level1][0] if level1 in LEVEL2_CHOICES else "")
    items.insert(index, Indicator(level1=level1, level2=level2))
    return replace(project, indicators=tuple(items))


def delete_indicator(project: Project, index: int) -> Project:
    items = list(project.indicators)
    del items[index]
    return replace(project, indicators=tuple(items))


def move_indicator(project: Project, index: int, delta: int) -> tuple[Project, int]:
    """Move an indicator up (-1) or down (+1); returns the project and the indicator's new index."""
    items = list(project.indicators)
    new = max(0, min(len(items) - 1, index + delta))
    items.insert(new, items.pop(index))
    return replace(project, indicators=tuple(items)), new


# The template of a new project: MoF's default split 产出 50 / 效益 30 / 满意度 10 / 资金 10.
TEMPLATE = (
    ("产出指标", "数量指标", "20"), ("产出指标", "质量指标", "20"), ("产出指标", "时效指标", "10"),
    ("效益指标", "社会效益指标", "15"), ("效益指标", "可持续影响指标", "15"),
    ("满意度指标", "服务对象满意度指标", "10"),
)


def new_project(year: int, department: str = "", rules: str = "default") -> Project:
    """A blank project with the standard indicator levels, weights adding up to 100. Its funding
    weight is left to the rule profile (10 in most, 20 in some older forms) until one is typed."""
    items = tuple(Indicator(level1=l1, level2=l2, weight=Decimal(w)) for l1, l2, w in TEMPLATE)
    return Project(year=year, department=department, implementer=department, rules=rules,
                   funding=Funding(weight=None), indicators=items)
