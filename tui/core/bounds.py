"""Every number that enters (records, profiles, bundles, printed text, typed text) is bounded here
before any arithmetic, so that no Decimal operation can raise. No Textual.

What a form holds is money (at most trillions), weights, scores and percentages. A number is
taken when it is finite, its integer part has at most MAX_INT_DIGITS digits and it has at most
MAX_PLACES decimals. Then the largest quotient the scoring makes (10^15 / 10^-10 x 100) has 28
digits, which the default context holds exactly; NaN, Infinity, 1E+999999 (Overflow) and
0.<999,999 zeros>1 (Overflow on division) never get that far.

Two ways in:
- `number_problem(value)` for a Decimal just made (the loaders' entry points call it);
- `check_tree(data)` for parsed TOML: integers out of range, and number-like text in fields that
  are parsed later (targets, actuals, whatever a new format adds) with too many digits or an
  exponent. Free-text fields (names, goals, reasons) are not scanned: a long number there is text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal

# tomli, the package the standard library's tomllib was taken from, installed compiled (mypyc):
# the same parser, about three times faster. TOML 1.0 (tomli < 2.4), as tomllib reads it.
import tomli

MAX_INT_DIGITS = 15
MAX_PLACES = 10
MAX_INT = 10 ** MAX_INT_DIGITS
# Tables and arrays nested deeper than this are refused by parse_toml: a record is nested four
# deep, a bundle about seven. Whatever walks parsed TOML recursively (check_tree) stays far
# from the recursion limit, whichever parser (compiled, deeper than the limit) made it.
MAX_DEPTH = 64

# Fields whose text is only ever shown, never computed with (records, profiles, bundles).
FREE_TEXT = frozenset({
    "id", "predecessor", "name", "department", "implementer", "rules", "rows", "money_unit",
    "expected", "achieved",
    "level1", "level2", "reason", "title", "label", "grade", "generator", "made_by", "sha256",
    "history", "unit", "note", "notes", "description",
})

# A number as text: digits, decimals, an exponent; NaN and Infinity spelled out.
_NUMBER = re.compile(r"(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
_RISKY = re.compile(r"[eEnNiI]")  # an exponent, NaN, Infinity
_SPECIAL = re.compile(r"[+-]?(?:s?nan\d*|inf(?:inity)?)", re.IGNORECASE)


def number_problem(value: Decimal) -> str | None:
    """Why `value` can't be computed with (one Chinese phrase), or None."""
    if not value.is_finite():
        return "不是有限的数（NaN 或无穷大）"
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a letter ('n', 'N', 'F') only for NaN and infinity
    if exponent < -MAX_PLACES:
        return f"小数位数过多（最多 {MAX_PLACES} 位）"
    if len(digits) + exponent > MAX_INT_DIGITS and value != 0 or exponent > MAX_INT_DIGITS:
        return f"数值过大（整数部分最多 {MAX_INT_DIGITS} 位）"
    return None


def text_problem(text: str) -> str | None:
    """Why number-like text can't be computed with: NaN/Infinity, an exponent, or a number with
    too many digits (full-width digits count as digits)."""
    if len(text) <= 12 and not _RISKY.search(text):
        return None  # too short for 16 digits or 11 decimals (most figures: "1248.00", "≥90(%)")
    plain = (text if text.isascii() else unicodedata.normalize("NFKC", text)).replace(",", "")
    if _SPECIAL.fullmatch(plain.strip()):
        return f"“{_cut(text)}”不是有限的数（NaN 或无穷大）"
    for m in _NUMBER.finditer(plain):
        whole, places, exponent = m.group(1).lstrip("0"), m.group(2) or "", m.group(3)
        if exponent is not None:
            return f"“{_cut(m.group())}”：请不要用科学计数法（E），直接写出数字"
        if len(whole) > MAX_INT_DIGITS:
            return f"“{_cut(m.group())}”数值过大（整数部分最多 {MAX_INT_DIGITS} 位）"
        if len(places) > MAX_PLACES:
            return f"“{_cut(m.group())}”小数位数过多（最多 {MAX_PLACES} 位）"
    return None


TOO_DEEP = f"不是有效的 TOML（嵌套层数过多，最多 {MAX_DEPTH} 层）"


def check_tree(data, fail) -> None:
    """Walk parsed TOML and call `fail(field path, reason)` on the first integer out of range,
    float that is not finite, or number-like text out of bounds in a field that is not free
    text; `fail("", TOO_DEEP)` where tables or arrays are nested deeper than MAX_DEPTH anywhere
    (as `parse_toml` refuses them: the same walk, so `parse_toml(text, nesting=False)` leaves it
    here). `fail` raises the caller's error. (Recursive, never deeper than MAX_DEPTH.)"""
    try:
        _check(data, None, 1)
    except _TooDeep:
        fail("", TOO_DEEP)
    except _OutOfBounds as exc:
        if _too_deep(data):  # nesting too deep further on is named first, as parse_toml does
            fail("", TOO_DEEP)
        fail(_path(tuple(reversed(exc.where))), exc.problem)


class _OutOfBounds(Exception):
    def __init__(self, problem: str):
        self.problem = problem
        self.where: list[object] = []


class _TooDeep(Exception):
    pass


def _check(value, key, depth: int) -> None:
    # Strings, the most of a record, are checked in their table's loop, not a call each.
    kind = type(value)
    if (kind is dict or kind is list) and depth > MAX_DEPTH:
        raise _TooDeep
    if kind is dict:
        for k, v in value.items():
            if type(v) is str:
                if k in FREE_TEXT or (len(v) <= 12 and not _RISKY.search(v)):
                    continue
                problem = text_problem(v)
                if problem is None:
                    continue
                exc = _OutOfBounds(problem)
                exc.where.append(k)
                raise exc
            try:
                _check(v, k, depth + 1)
            except _OutOfBounds as exc:
                exc.where.append(k)
                raise
    elif kind is str:
        if key not in FREE_TEXT and (problem := text_problem(value)):
            raise _OutOfBounds(problem)
    elif kind is list:
        for i, v in enumerate(value):
            try:
                _check(v, key, depth + 1)
            except _OutOfBounds as exc:
                exc.where.append(i)
                raise
    elif kind is int:
        if not -MAX_INT < value < MAX_INT:
            raise _OutOfBounds(f"整数过大（最多 {MAX_INT_DIGITS} 位）")
    elif kind is float and (value != value or value in (float("inf"), float("-inf"))):
        raise _OutOfBounds("不是有限的数（NaN 或无穷大）")


def _path(where: tuple) -> str:
    """A field path as messages write it: indicators[3].target, "a key".b."""
    out = ""
    for k in where:
        if isinstance(k, int):
            out += f"[{k}]"
        else:
            name = k if re.fullmatch(r"\w+", k) else json.dumps(k, ensure_ascii=False)
            out += f".{name}" if out else name
    return out


def parse_toml(text: str, nesting: bool = True) -> dict:
    """TOML parsed (tomli: tomllib's parser, compiled), every failure a ValueError with a Chinese
    reason: besides invalid TOML, tables or arrays nested deeper than MAX_DEPTH (or thousands
    deep: RecursionError in the parser) and an integer of thousands of digits (Python's int
    limit) are refused, not raised. `nesting=False`: nesting is left to the caller's
    `check_tree`, which walks the tree anyway (records: one walk, not two)."""
    try:
        data = tomli.loads(text.removeprefix("\ufeff"))  # a BOM, as Notepad writes it
    except tomli.TOMLDecodeError as exc:
        raise ValueError(f"不是有效的 TOML（{exc}）") from None
    except RecursionError:  # deeper than the parser goes (how deep depends on tomli's build)
        raise ValueError(TOO_DEEP) from None
    except ValueError:
        raise ValueError("不是有效的 TOML（整数位数过多）") from None
    if nesting and _too_deep(data):
        raise ValueError(TOO_DEEP)
    return data


def _too_deep(data: dict) -> bool:
    """Whether tables or arrays are nested deeper than MAX_DEPTH (a walk without recursion, over
    tables and arrays only: a record has a few dozen)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = value.values() if type(value) is dict else value
        for child in children:  # type: ignore[attr-defined]
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


def _cut(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else f"{text[:limit // 2]}…（共 {len(text)} 个字符）"
