"""A record as a TOML table, both ways: read strictly, field by field, every failure a
RecordError naming the file and the field path; written in canonical key order (docs/format.md),
in format 1 while the record fits it. No files here (tui.store.recordfile reads and writes them)."""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from typing import Any, Literal, NoReturn, overload

from tui.core.bounds import MAX_INT_DIGITS, MAX_PLACES, check_tree, number_problem
from tui.core.format import plain
from tui.core.messages import visible
from tui.core.model import (AMOUNT_FIELDS, BLANK, FORMAT_VERSION, FUNDING_ROWS, ROW_SETS, Amounts, Funding,
                            Indicator, Project)


class RecordError(ValueError):
    """A record that cannot be read; str() is one Chinese line naming the file and the field."""

    def __init__(self, file: str, field: str, message: str):
        self.file, self.field, self.message = file, field, message
        where = f"{file}：字段 {field}：" if field else f"{file}："
        super().__init__(visible(where + message))


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII only: \d would take full-width digits
_WITHIN_BOUNDS = min(MAX_INT_DIGITS, MAX_PLACES + 2)  # "0." and 10 places; 12 digits
_ABSENT = object()
_WORD = re.compile(r"\w+")  # a key written bare in a field path
_TOP_KEYS = ("format", "id", "predecessor", "year", "name", "department", "implementer", "rules",
             "layout", "money_unit", "incomplete", "funding", "goals", "texts", "indicators")
_INDICATOR_KEYS = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")
_INDICATOR_SET = frozenset(_INDICATOR_KEYS)
_AMOUNT_ORDER = tuple(f for f, _ in AMOUNT_FIELDS)
_AMOUNT_KEYS = frozenset(_AMOUNT_ORDER)


class _Reader:
    """Typed access to one table of a record; every failure names the file and the field path."""

    def __init__(self, data, source: str, path: str = ""):
        if not isinstance(data, dict):
            raise RecordError(source, path or "(整个文件)", "应为表（table）")
        self.data, self.source, self.path = data, source, path

    def _name(self, key: str) -> str:
        # A key that is not a plain word (an empty one, one with dots or spaces) is quoted as TOML does.
        key = key if _WORD.fullmatch(key) else json.dumps(key, ensure_ascii=False)
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> NoReturn:
        raise RecordError(self.source, self._name(key), message)

    def known(self, keys) -> None:
        for key in self.data:
            if key not in keys:
                self.fail(key, "未知字段（拼写有误？）")

    def get(self, key: str, kind: type, default=None, required: bool = True):
        value = self.data.get(key, _ABSENT)
        if value is _ABSENT:
            if required:
                self.fail(key, "缺少此字段")
            return default
        if kind is str:  # the most asked for first: a record is mostly text
            if not isinstance(value, str):
                self.fail(key, f"应为文字，实为 {value!r}")
            # Saving writes CR LF as LF (tomli-w): read it so, and load == load(save).
            return value.replace("\r\n", "\n") if "\r" in value else value
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(key, f"应为整数，实为 {value!r}")
        return value

    @overload
    def decimal(self, key: str) -> Decimal: ...
    @overload
    def decimal(self, key: str, default: Decimal | None, required: bool = ...) -> Decimal | None: ...
    @overload
    def decimal(self, key: str, *, required: bool) -> Decimal | None: ...

    def decimal(self, key: str, default: Decimal | None = None, required: bool = True) -> Decimal | None:
        if key not in self.data:
            if required:
                self.fail(key, "缺少此字段")
            return default
        value = self.data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            return self._bounded(key, Decimal(value))
        if isinstance(value, float):
            self.fail(key, f"数字请写成带引号的字符串（如 \"{value:.2f}\"），以免丢失小数位")
        if not isinstance(value, str):
            self.fail(key, f"应为数字字符串，实为 {value!r}")
        if _DECIMAL.fullmatch(value):
            # Short enough to be within every bound whatever its digits (most figures are).
            return Decimal(value) if len(value) <= _WITHIN_BOUNDS else self._bounded(key, Decimal(value))
        hint = unicodedata.normalize("NFKC", value).replace(",", "")
        if hint != value and _DECIMAL.fullmatch(hint):
            self.fail(key, f"“{value}”含全角字符或千分位，请写作“{hint}”")
        self.fail(key, f"“{value}”不是数字")

    def _bounded(self, key: str, value: Decimal) -> Decimal:
        problem = number_problem(value)
        if problem:
            self.fail(key, problem)
        return value

    @overload
    def table(self, key: str, required: Literal[True] = ...) -> _Reader: ...
    @overload
    def table(self, key: str, required: bool) -> _Reader | None: ...

    def table(self, key: str, required: bool = True) -> _Reader | None:
        if key not in self.data:
            if required:
                self.fail(key, "缺少此表")
            return None
        return _Reader(self.data[key], self.source, self._name(key))


def _number(value) -> Decimal | None:
    """`value` as a number when it is what a saved record holds (a plain decimal string short
    enough to be within every bound whatever its digits), else None: then `_Reader.decimal`
    reads it and says what is wrong."""
    if type(value) is str and len(value) <= _WITHIN_BOUNDS and _DECIMAL.fullmatch(value):
        return Decimal(value)
    return None


def _plain_amounts(data, version: int) -> Amounts | None:
    """A funding row with every cell a plain figure (format 2: or "" for a blank) read at once;
    None for anything else (then `_amounts` reads it cell by cell and names what is wrong)."""
    if type(data) is not dict or not data.keys() <= _AMOUNT_KEYS:
        return None
    cells: list[Decimal | None] = []
    for key in _AMOUNT_ORDER:
        value = data.get(key, "")
        if version > 1 and value == "":
            cells.append(None)
        elif (number := _number(value)) is None:
            return None
        else:
            cells.append(number)
    return Amounts(*cells)


def _amounts(reader: _Reader, version: int = 1) -> Amounts:
    """A funding row. Format 1 has every cell; in format 2 "" (or a cell left out) is blank."""
    plain_row = _plain_amounts(reader.data, version)
    return plain_row if plain_row is not None else _read_amounts(reader, version)


def _read_amounts(reader: _Reader, version: int) -> Amounts:
    """`_amounts` cell by cell, the first problem named."""
    reader.known([f for f, _ in AMOUNT_FIELDS])
    if version == 1:
        return Amounts(*(reader.decimal(f) for f, _ in AMOUNT_FIELDS))
    return Amounts(*(None if reader.data.get(f, "") == "" else reader.decimal(f) for f, _ in AMOUNT_FIELDS))


def _funding(top: _Reader, version: int) -> Funding:
    fund = top.table("funding")
    if version == 1:
        fund.known(("weight", "total") + tuple(k for k, _ in FUNDING_ROWS))
        rows: dict[str, Any] = {key: _amounts(fund.table(key)) for key, _ in FUNDING_ROWS}
        total = fund.table("total", required=False)
        return Funding(weight=fund.decimal("weight"), stated_total=_amounts(total) if total else None,
                       **rows)
    row_set = fund.get("rows", str, "central", required=False)
    if row_set not in ROW_SETS:
        fund.fail("rows", f"“{row_set}”不是已知的资金行组（可用：{'、'.join(ROW_SETS)}）")
    keys = tuple(k for k, _ in ROW_SETS[row_set])
    fund.known(("weight", "rows", "budget_column", "labels", "score", "reason", "total") + keys)
    budget_column = fund.data.get("budget_column", True)
    if not isinstance(budget_column, bool):
        fund.fail("budget_column", f"应为 true 或 false，实为 {budget_column!r}")
    labels: tuple[tuple[str, str], ...] = ()
    if (table := fund.table("labels", required=False)) is not None:
        table.known(("total",) + keys)
        labels = tuple((key, table.get(key, str)) for key in table.data)
    rows = {}
    for key in keys:
        table = fund.table(key, required=False)
        rows[key] = _amounts(table, 2) if table is not None else BLANK
    total = fund.table("total", required=False)
    return Funding(weight=fund.decimal("weight", None, required=False), rows=tuple(rows.items()),
                   row_set=row_set, labels=labels or (),
                   stated_total=_amounts(total, 2) if total is not None else None,
                   score=fund.decimal("score", None, required=False),
                   reason=fund.get("reason", str, "", required=False), budget_column=budget_column)


def _plain_indicator(raw) -> Indicator | None:
    """An indicator as saved records hold it (known keys, every text a string without CR, weight
    and score plain figures) read at once; None for anything else, which `_indicator` reads
    field by field and names. Indicators are most of a record: a call per field cost a third."""
    if type(raw) is not dict or not raw.keys() <= _INDICATOR_SET:
        return None
    get = raw.get
    texts: tuple[Any, ...] = (get("level1"), get("level2", ""), get("name"), get("target"),
                              get("actual", ""), get("reason", ""))
    for text in texts:
        if type(text) is not str or "\r" in text:  # missing, not text, or CR LF to make LF
            return None
    weight = _number(get("weight"))
    score = get("score")
    if weight is None or (score is not None and (score := _number(score)) is None):
        return None
    level1, level2, name, target, actual, reason = texts
    return Indicator(level1=level1, level2=level2, name=name, target=target, actual=actual,
                     weight=weight, score=score, reason=reason)


def _indicator(r: _Reader) -> Indicator:
    """An indicator read field by field, the first problem named."""
    r.known(_INDICATOR_KEYS)
    return Indicator(
        level1=r.get("level1", str), level2=r.get("level2", str, "", required=False),
        name=r.get("name", str), target=r.get("target", str), actual=r.get("actual", str, "", False),
        weight=r.decimal("weight"), score=r.decimal("score", None, required=False),
        reason=r.get("reason", str, "", required=False))


def record_from_dict(data: dict, source: str) -> Project:
    """A record from parsed TOML, checked field by field (RecordError on the first problem)."""
    top = _Reader(data, source)

    def out_of_bounds(field: str, message: str):
        raise RecordError(source, field, message)

    check_tree(data, out_of_bounds)  # every number bounded before anything computes with it
    version = top.get("format", int)
    if version > FORMAT_VERSION:
        top.fail("format", f"记录格式版本 {version} 比本程序支持的 {FORMAT_VERSION} 新，请升级 zipin")
    if version < 1:
        top.fail("format", f"记录格式版本 {version} 无效")
    top.known(_TOP_KEYS)
    record_id = top.get("id", str)
    if not record_id.strip():
        top.fail("id", "为空")

    funding = _funding(top, version)

    goals = top.table("goals", required=False) or _Reader({}, source, "goals")
    goals.known(("expected", "achieved"))

    texts = top.table("texts", required=False) or _Reader({}, source, "texts")
    for key, value in texts.data.items():
        if not isinstance(value, str):
            texts.fail(key, f"应为文字，实为 {value!r}")

    raw_items = top.get("indicators", list, default=[], required=False)
    if not isinstance(raw_items, list):
        top.fail("indicators", "应为表数组（[[indicators]]）")
    items = []
    for i, raw in enumerate(raw_items):
        item = _plain_indicator(raw)
        items.append(item if item is not None else _indicator(_Reader(raw, source, f"indicators[{i}]")))

    return Project(
        id=record_id, year=top.get("year", int), name=top.get("name", str),
        department=top.get("department", str, "", False), implementer=top.get("implementer", str, "", False),
        rules=top.get("rules", str, "default", False), money_unit=top.get("money_unit", str, "万元", False),
        funding=funding, expected=goals.get("expected", str, "", False),
        achieved=goals.get("achieved", str, "", False), indicators=tuple(items),
        predecessor=top.get("predecessor", str, "", False), format=version,
        layout=top.get("layout", str, "", False), texts=tuple(texts.data.items()),
        incomplete=top.get("incomplete", str, "", False))


def _amounts_dict(a: Amounts) -> dict:
    return {f: "" if getattr(a, f) is None else plain(getattr(a, f)) for f, _ in AMOUNT_FIELDS}


def fits_format_1(project: Project) -> bool:
    """Whether format 1 can hold the record: the central rows, every cell filled, nothing new."""
    f = project.funding
    cells = [a for _k, a in f.rows] + ([f.stated_total] if f.stated_total is not None else [])
    if project.layout or project.texts or project.incomplete:
        return False
    return (f.row_set == "central" and not f.labels and f.weight is not None and f.score is None
            and not f.reason and f.budget_column and not any(a.has_blank for a in cells))


def _funding_dict(funding: Funding, version: int) -> dict:
    out: dict = {}
    if funding.weight is not None:
        out["weight"] = plain(funding.weight)
    if version > 1:
        if funding.row_set != "central":
            out["rows"] = funding.row_set
        if not funding.budget_column:
            out["budget_column"] = False
        if funding.score is not None:
            out["score"] = plain(funding.score)
        if funding.reason:
            out["reason"] = funding.reason
        if funding.labels:
            out["labels"] = dict(funding.labels)
    if funding.stated_total is not None:
        out["total"] = _amounts_dict(funding.stated_total)
    for key, amounts in funding.rows:
        out[key] = _amounts_dict(amounts)
    return out


def record_to_dict(project: Project, lowest: bool = False) -> dict:
    """The record in canonical key order (docs/format.md); optional fields only when set. A record
    read from format 1 is written in format 1 while it fits it, so an unedited file keeps its bytes
    (and older versions of zipin can still open it). `lowest`: in the lowest format that holds it,
    whatever it was read from (the canonical form of bundles: equal records, equal digests)."""
    version = 1 if (lowest or project.format == 1) and fits_format_1(project) else FORMAT_VERSION
    funding = _funding_dict(project.funding, version)
    items = []
    for item in project.indicators:
        d = {"level1": item.level1, "level2": item.level2, "name": item.name, "target": item.target,
             "actual": item.actual, "weight": plain(item.weight)}
        if item.score is not None:
            d["score"] = plain(item.score)
        if item.reason:
            d["reason"] = item.reason
        items.append(d)
    head = {"format": version, "id": project.id}
    if project.predecessor:
        head["predecessor"] = project.predecessor
    out = {
        **head, "year": project.year, "name": project.name,
        "department": project.department, "implementer": project.implementer,
        "rules": project.rules}
    if project.layout:
        out["layout"] = project.layout
    out["money_unit"] = project.money_unit
    if project.incomplete:
        out["incomplete"] = project.incomplete
    out["funding"] = funding
    out["goals"] = {"expected": project.expected, "achieved": project.achieved}
    if project.texts:
        out["texts"] = dict(project.texts)
    out["indicators"] = items
    return out
