"""A row's values placed under the indicator columns after its name, where the text lost the empty
cells (split by spaces, one cell to a line, run together): 分值 and 得分 are the figures standing
together last, what comes before them the target's columns, what comes after the reason. Pure, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def by_columns(values: list[str], post: list[str], strict: bool = False) -> dict | None:
    """A row's values (empty cells left no trace) in its columns: 分值 and 得分 are the last figures
    standing together (1 1 10 10.00: 10 and 10.00; a lone one is 分值); what comes before them fills
    the columns before (年度指标值, 实际完成值) in order (`_fill`), what comes after the one after
    (原因). `strict`: None unless the cells before them are told apart (a row cut from a stream of
    cells, where a guess would take the next row's cells)."""
    scored = [k for k in post if k in ("weight", "score")]
    if not scored:
        return None
    last = next((k for k in range(len(values) - 1, -1, -1) if _NUMBER.fullmatch(_flat(values[k]))), None)
    if last is None:
        return None
    first = last
    while first > 0 and _NUMBER.fullmatch(_flat(values[first - 1])) and last - first + 1 < len(scored):
        first -= 1
    before_cols = post[:post.index(scored[0])]
    after_cols = post[post.index(scored[-1]) + 1:]
    before, after = values[:first], values[last + 1:]
    if len(before) > len(before_cols) or (after and not after_cols) or (strict and len(before) < len(before_cols) - 1):
        return None
    out = _fill(before, before_cols)
    if out is None:
        return None
    out.update(zip(scored, values[first:last + 1]))
    if after:
        out[after_cols[0]] = "".join(after)
    return out


def _nature(text: str) -> bool:
    from tui.exchange.formvocab import NATURE_WORDS, squash

    return bool(re.fullmatch(r"[≥≤<>=＝≧≦]{1,2}", _flat(text))) or squash(text) in NATURE_WORDS


def _fill(before: list[str], cols: list[str]) -> dict | None:
    """The target's columns from the cells before the scores, in order. Split in three (指标性质 /
    指标值 / 度量单位, then 完成值) with one cell gone, which one is told by what the cells are: a
    first cell that is no operator or kind (≥, 定性) is the 指标值 (性质 left empty); a kind 定性 or
    an 指标值 that is a word has no unit, nor has a row whose third cell holds a figure or the
    指标值's word again (the 完成值); a short word there is the unit (完成值 left empty). None where
    nothing tells."""
    if len(before) != len(cols) - 1 or cols[:4] != ["nature", "value", "unit", "actual"]:
        return dict(zip(cols, before))
    if not _nature(before[0]):
        return dict(zip(cols[1:], before))
    kind, value, third = before[0], before[1], before[2] if len(before) > 2 else ""
    rest = dict(zip(cols[4:], before[3:]))
    if _flat(kind).startswith("定性") or not re.search(r"\d", value) or re.search(r"\d", third) \
            or _flat(third) == _flat(value):
        return {"nature": kind, "value": value, "actual": third, **rest}
    if 0 < len(_flat(third)) <= 4:
        return {"nature": kind, "value": value, "unit": third, **rest}
    return None


def unscored(figures: list[str], post: list[str]) -> dict:
    """Target and actual of a row without scores, then what follows (the reason), in the form's
    column order: one cell holding both (100%100%) is cut where it repeats its unit or word."""
    if len(figures) == 1 and (pair := pair_of(figures[0])):
        figures = list(pair)
    keys = [k for k in post if k in ("target", "actual", "reason")]
    return dict(zip(keys, figures))


_PAIR = re.compile(r"(?P<a>[≥≤<>=]?\d+(?:\.\d+)?)(?P<u>%|[^\d\s.%]{0,3})(?P<b>\d+(?:\.\d+)?)(?P=u)")


def pair_of(text: str) -> tuple[str, str] | None:
    """Target and actual printed together with nothing between: the same unit after each number
    (100%100%, 0起0起, 00) or one word twice (高高). None when it is not such a pair."""
    t = _flat(text)
    m = _PAIR.fullmatch(t)
    if m and not (len(m["a"]) > 1 and m["a"].startswith("0")) and not (len(m["b"]) > 1 and m["b"].startswith("0")):
        return m["a"] + m["u"], m["b"] + m["u"]
    half = len(t) // 2
    if t and len(t) % 2 == 0 and t[:half] == t[half:] and not any(ch.isdigit() for ch in t):
        return t[:half], t[half:]
    return None


def by_count(figures: list[str], post: list[str]) -> dict:
    """Figures after a name, placed by how many there are: weight and score last."""
    n = len(figures)
    if n >= 4:
        keys = ["target", "actual", "weight", "score"]
    elif n == 3:
        keys = ["target", "actual", "weight"] if figures[0][:1] in "≥≤<>=" else ["actual", "weight", "score"]
    elif n == 2:
        keys = ["weight", "score"] if figures[0][:1] not in "≥≤<>=" else ["target", "weight"]
    elif n == 1:
        keys = ["weight"]
    else:
        keys = []
    return dict(zip(keys, figures))
