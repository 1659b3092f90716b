"""Figures that touch: a row whose cells ran together with nothing between them (``194.9194.9100%``
under 全年预算数 / 全年执行数 / 执行率), split by the columns the form's heading gives.

Every way of cutting the text into one well-formed figure per column is tried: money with at most
four decimals, a rate, weight or score with at most two, no leading zero (``05``), the ``%`` only
on a rate. When the row has both money columns and a rate, the rate must be what the two amounts
give (rounded or cut at its printed places). The figures are split only when exactly one way is
left; otherwise the caller says which line could not be split and why. Pure, no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal, ROUND_DOWN, ROUND_HALF_UP

MONEY = ("budget", "adjusted", "executed")
_INT = r"(?:0|[1-9]\d*)"
_PATTERNS = {
    # money may carry its unit, as some forms print each amount (10万)
    "money": re.compile(rf"{_INT}(?:\.\d{{1,4}})?(?:万元|万|元)?"),
    "rate": re.compile(rf"{_INT}(?:\.\d{{1,2}})?%?"),
    "other": re.compile(rf"{_INT}(?:\.\d{{1,2}})?"),
}
_BOUNDARY = re.compile(r"(?:万元|万|元|%)\d")
TOUCHING = re.compile(r"^(?:[\d.,]+(?:万元|万|元)?)+%?[\d.,]*$")


def _kind(head: str) -> str:
    return "money" if head in MONEY else "rate" if head == "rate" else "other"


def _cuts(text: str, kinds: list[str]) -> list[list[str]]:
    """Every way to cut `text` into len(kinds) figures, each a whole match of its kind's pattern."""
    if not kinds:
        return [[]] if not text else []
    out: list[list[str]] = []
    for end in range(1, len(text) + 1):
        part = text[:end]
        if _PATTERNS[kinds[0]].fullmatch(part) and ("%" not in part or kinds[0] == "rate"):
            out.extend([part] + rest for rest in _cuts(text[end:], kinds[1:]))
    return out


def _amount(text: str) -> str:
    """An amount without the unit it was printed with (10万 → 10): both amounts carry the same."""
    return re.sub("(?:万元|万|元)$", "", text)


def _rate_agrees(figures: dict[str, str]) -> bool:
    """Whether the printed rate is executed / (adjusted, else budget), rounded or cut at its places."""
    base = figures.get("adjusted") or figures.get("budget")
    done, rate = figures.get("executed"), figures.get("rate")
    if not (base and done and rate):
        return True  # nothing to check against
    base_d, rate_d = Decimal(_amount(base)), Decimal(rate.rstrip("%"))
    if base_d == 0:
        return False
    exact = Decimal(_amount(done)) / base_d * 100
    exponent = rate_d.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite figure: a letter only for NaN and infinity
    step = Decimal(1).scaleb(exponent)
    return rate_d in (exact.quantize(step, ROUND_HALF_UP), exact.quantize(step, ROUND_DOWN))


def touching(text: str) -> bool:
    """Whether `text` is figures standing together that no single figure reads: two decimal points
    or more, or a unit or % followed by more digits (whole numbers run together can't be told from
    one figure, and are not split)."""
    plain = text.replace(",", "")
    # a unit or % with a digit after it ends one figure for sure (10万10万100%20)
    return bool(TOUCHING.match(text)) and (plain.count(".") >= 2 or bool(_BOUNDARY.search(plain)))


def split_touching(text: str, heads: list[str]) -> list[list[str]]:
    """The ways `text` (digits, points, a final %) splits into one figure for each of `heads`
    that the columns allow: split when there is exactly one. Thousands commas are ignored."""
    plain = text.replace(",", "")
    if not TOUCHING.match(text) or len(heads) < 2:
        return []
    found = []
    for cut in _cuts(plain, [_kind(h) for h in heads]):
        if _rate_agrees(dict(zip(heads, cut))):
            found.append(cut)
    return found
