"""The record of one project as the printed form holds it.

Frozen dataclasses; money, weights and scores are `Decimal` from file to screen. No I/O, no Textual.
Targets and actuals are kept as the text the form prints (``≥2.00(次)``, ``达成指标``) and parsed on
demand by `parse_target` / `parse_actual`, so what a person typed is never lost.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from functools import cached_property, lru_cache
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

FORMAT_VERSION = 2  # the newest record format; format 1 is still read, and written while it fits

# Funding row sets: each form family's sub-rows of 年度资金总额, in printed order, with their labels.
# A record names its set (and may give its own printed labels); "central" is the MoF template's.
ROW_SETS: dict[str, tuple[tuple[str, str], ...]] = {
    "central": (("appropriation", "当年财政拨款"), ("carried_over", "上年结转资金"), ("other", "其他资金")),
    "sichuan": (("fiscal", "财政资金"), ("special_account", "财政专户管理资金"), ("unit", "单位资金"),
                ("other", "其他资金")),
    "sources": (("central", "中央"), ("provincial", "省、地"), ("local", "本级"), ("other", "其他")),
    "subsidy": (("subsidy", "上级补助资金"), ("other", "其他资金")),
    "total_only": (),
}
ROW_LABELS = {key: label for rows in ROW_SETS.values() for key, label in rows}
FUNDING_ROWS = ROW_SETS["central"]
AMOUNT_FIELDS: tuple[tuple[str, str], ...] = (
    ("budget", "年初预算数"),
    ("adjusted", "全年预算数"),
    ("executed", "全年执行数"),
)
# What a form prints in a blank amount cell; typed into one, it makes the cell blank.
BLANK_MARKS = ("", "—", "/", "-", "－", "－－", "——", "／")

LEVEL1_CHOICES = ("产出指标", "效益指标", "满意度指标")
LEVEL2_CHOICES = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}

ZERO = Decimal("0")


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return a if b is None else b if a is None else a + b


@dataclass(frozen=True)
class Amounts:
    """One funding row: budget at start of year, adjusted full-year budget, executed.
    None is a blank cell ("—", "/", empty on the form), which is not a zero."""

    budget: Decimal | None = ZERO
    adjusted: Decimal | None = ZERO
    executed: Decimal | None = ZERO

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(_add(self.budget, other.budget), _add(self.adjusted, other.adjusted),
                       _add(self.executed, other.executed))

    @property
    def has_blank(self) -> bool:
        return None in (self.budget, self.adjusted, self.executed)


BLANK = Amounts(None, None, None)


@dataclass(frozen=True, init=False)
class Funding:
    """项目资金: the weight, the sub-rows of a row set, and what the form states of the total."""

    weight: Decimal | None  # None: the rule profile's funding weight
    rows: tuple[tuple[str, Amounts], ...]
    row_set: str
    labels: tuple[tuple[str, str], ...]  # printed labels that differ from the row set's
    # The 年度资金总额 row as the form states it; a blank cell there is taken from the rows.
    stated_total: Amounts | None
    score: Decimal | None  # the funding score given by hand, when it differs from the formula
    reason: str
    budget_column: bool  # whether the form prints 年初预算数 (some print only 全年预算数 and 执行数)

    def __init__(self, weight: Decimal | None = Decimal("10.00"), rows=(), row_set: str = "central",
                 labels=(), stated_total: Amounts | None = None, score: Decimal | None = None,
                 reason: str = "", budget_column: bool = True, **by_key: Amounts):
        if row_set not in ROW_SETS:
            raise ValueError(f"unknown row set {row_set!r}")
        keys = [key for key, _ in ROW_SETS[row_set]]
        given = dict(rows)
        given.update(by_key)
        if set(given) - set(keys):
            raise TypeError(f"rows {sorted(set(given) - set(keys))} are not in row set {row_set!r}")
        for name, value in (("weight", weight), ("rows", tuple((k, given.get(k, Amounts())) for k in keys)),
                            ("row_set", row_set), ("labels", tuple(labels)),
                            ("stated_total", stated_total), ("score", score), ("reason", reason),
                            ("budget_column", budget_column)):
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Amounts:
        # funding.appropriation, funding.fiscal…: the row of that key (only called for non-fields)
        if not name.startswith("_") and name != "rows":
            for key, amounts in self.__dict__.get("rows", ()):
                if key == name:
                    return amounts
        raise AttributeError(name)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.rows)

    def label(self, key: str) -> str:
        """A row's label as the form prints it."""
        own = dict(self.labels).get(key)
        return own or ("年度资金总额" if key == "total" else ROW_LABELS.get(key, key))

    # Worked out once per (frozen) Funding: scoring, validation and the list each ask for them.
    @cached_property
    def summed(self) -> Amounts:
        """The sum of the sub-rows, cell by cell; a column of blanks sums to blank."""
        out = BLANK
        for _key, amounts in self.rows:
            out = out + amounts
        return out

    @cached_property
    def total(self) -> Amounts:
        """年度资金总额 as scored: the stated cells, and the sum of the rows where none is stated."""
        summed = self.summed
        if self.stated_total is None:
            return summed
        s = self.stated_total
        return Amounts(*(getattr(s, f) if getattr(s, f) is not None else getattr(summed, f)
                         for f, _ in AMOUNT_FIELDS))

    def row(self, key: str) -> Amounts:
        return self.total if key == "total" else dict(self.rows)[key]


@dataclass(frozen=True)
class Indicator:
    """One row of the 绩效指标 table: its three levels, target and actual as typed, weight."""
    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""
    weight: Decimal = ZERO
    score: Decimal | None = None  # recorded score, only when it differs from the computed one
    reason: str = ""


@dataclass(frozen=True)
class Project:
    """One project's self-evaluation form: header, funding, goals, indicators and texts."""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    year: int = 0
    name: str = ""
    department: str = ""
    implementer: str = ""
    rules: str = "default"
    money_unit: str = "万元"
    # The record format the file was read in (1 or 2): kept as 1 while the record fits it. Not
    # part of what the record says, so two records with the same content are equal.
    format: int = field(default=FORMAT_VERSION, compare=False)
    funding: Funding = Funding()
    expected: str = ""
    achieved: str = ""
    indicators: tuple[Indicator, ...] = ()
    predecessor: str = ""  # the id of last year's record this one was started from (next-year)
    layout: str = ""  # the form layout it is printed in (tui.printed.layout); "" the default (the seed's)
    # Texts of the form beyond the table, by the layout's keys: 项目负责人及电话, 评价结论, 存在问题…
    texts: tuple[tuple[str, str], ...] = ()
    incomplete: str = ""  # imported from a cut-off form with --partial: what the form was missing

    def text(self, key: str) -> str:
        return dict(self.texts).get(key, "")

    def with_indicator(self, index: int, **changes) -> Project:
        items = list(self.indicators)
        items[index] = replace(items[index], **changes)
        return replace(self, indicators=tuple(items))


# ---------------------------------------------------------------------------------------------
# Targets and actuals

OPERATORS = ("≥", ">", "=", "≤", "<")
POSITIVE = ("≥", ">", "")  # "" is a bare number: a level to reach
NEGATIVE = ("≤", "<")

# Spellings seen in other departments' forms, after NFKC (which already maps ＞ to > and ＝ to =).
_OPERATOR_SPELLINGS = (
    (">=", "≥"), ("≧", "≥"), ("=>", "≥"),
    ("<=", "≤"), ("≦", "≤"), ("=<", "≤"),
    ("═", "="), ("﹦", "="), ("==", "="),
)

TIERS = ("达成指标", "部分达成指标并具有一定效果", "未达成指标且效果较差")
# Short forms a person may type; the record keeps the printed label.
_TIER_ALIASES = {
    "达成": TIERS[0], "达成指标": TIERS[0],
    "部分达成": TIERS[1], "部分达成指标": TIERS[1], TIERS[1]: TIERS[1],
    "未达成": TIERS[2], "未达成指标": TIERS[2], TIERS[2]: TIERS[2],
}

# A number, then a unit in brackets or a bare unit with no digits ("95%", "100人次"; not "1O0").
_QUANTITY = re.compile(r"^(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:\((?P<unit>[^()]*)\)|(?P<bare>[^\d().+-]+))?$")


class ParseError(ValueError):
    """Text that should be a number or a tier and is not; the message is in Chinese."""


@dataclass(frozen=True)
class Target:
    """A target (年度指标值) parsed: operator, number and unit, or a qualitative word."""
    op: str = ""  # one of OPERATORS, "" for a bare number, or None-like "" with word set
    value: Decimal | None = None
    unit: str = ""
    word: str = ""  # a qualitative target (规范, 及时…)

    @property
    def numeric(self) -> bool:
        return self.value is not None

    def text(self) -> str:
        if self.value is None:
            return self.word
        return f"{self.op}{self.value}" + (f"({self.unit})" if self.unit else "")


@dataclass(frozen=True)
class Actual:
    """An actual (实际完成值) parsed: number and unit, a tier, a word, or empty."""
    value: Decimal | None = None
    unit: str = ""
    tier: str = ""  # one of TIERS
    empty: bool = False
    op: str = ""  # an actual that carries its operator ("≥266米", "1000人以上")
    word: str = ""  # a qualitative word (完成, 及时, 有效): its tier is a matter of the rule profile

    def text(self) -> str:
        if self.tier:
            return self.tier
        if self.word:
            return self.word
        if self.value is None:
            return ""
        return f"{self.op}{self.value}" + (f"({self.unit})" if self.unit else "")


@lru_cache(maxsize=8192)  # asked for each target and actual at each scoring (不适用 marks too)
def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII), operator spellings made canonical, no spaces."""
    text = unicodedata.normalize("NFKC", text)
    for spelled, canonical in _OPERATOR_SPELLINGS:
        text = text.replace(spelled, canonical)
    return re.sub(r"\s+", "", text)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


# Thousands separators inside a number ("≥1,000人"); a comma elsewhere is left to fail.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

# Chinese comparatives and the operator each means; a rule profile may give its own list. Written
# before the number (不低于90%) or after it (1000人以上). Longer words are tried first, so 不低于 is
# not read as 低于. Every word here is also what `swallowed` looks for in a unit.
class Comparatives(tuple[tuple[str, str], ...]):
    """(word, operator) pairs, hashed once: each parse of a target or actual looks its text up in
    the memo beside them (two a row at every scoring), and 21 pairs hashed anew each time cost
    more than the lookup itself."""

    _hash: int

    def __new__(cls, pairs=()):
        self = super().__new__(cls, pairs)
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self) -> int:
        return self._hash


COMPARATIVES: tuple[tuple[str, str], ...] = Comparatives((
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("及以上", "≥"), ("以上", "≥"),
    ("不超过", "≤"), ("不高于", "≤"), ("不多于", "≤"), ("不大于", "≤"), ("至多", "≤"),
    ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"),
))
COMPARATIVE_WORDS = tuple(sorted({w for w, _ in COMPARATIVES}, key=len, reverse=True))


@lru_cache(maxsize=1024)  # asked of each figure's unit at each validation; units are few
def swallowed(unit: str) -> str:
    """The comparative word a unit holds ("人以上的" -> "以上"), "" if none: a figure whose
    comparative was not understood and would be scored as if it were `=`."""
    return next((w for w in COMPARATIVE_WORDS if w in unit), "")


def _operator(text: str, comparatives: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """(operator, the rest): a symbol first, else a comparative word before or after a number."""
    if text and text[0] in OPERATORS:
        return text[0], text[1:]
    for word, op in sorted(comparatives, key=lambda c: len(c[0]), reverse=True):
        if text.startswith(word) and _has_digit(text[len(word):]):
            return op, text[len(word):]
        if text.endswith(word) and _has_digit(text[:-len(word)]):
            return op, text[:-len(word)]
    return "", text


def _quantity(text: str, what: str) -> tuple[Decimal, str]:
    m = _QUANTITY.match(_THOUSANDS.sub("", text))
    if not m:
        raise ParseError(f"{what}“{text}”不是“数字(单位)”的形式")
    try:
        value = Decimal(m["num"])
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ParseError(f"{what}“{text}”中的数字无法识别") from exc
    unit = m["unit"] if m["unit"] is not None else (m["bare"] or "")
    return value, unit


def _is_phrase(text: str) -> bool:
    """Words with figures in them (2021年12月完成, 符合3项标准): text, not a malformed number."""
    # CJK ideographs U+3400-U+9FFF, compared as characters: the regex class of that range took
    # 1.2 ms to compile, at every start.
    return (any("\u3400" <= ch <= "\u9fff" for ch in text)
            and not _QUANTITY.match(_THOUSANDS.sub("", text)))


def _figure(raw: str, text: str, what: str,
            comparatives: tuple[tuple[str, str], ...]) -> tuple[str, Decimal, str] | None:
    """`text` (normalised `raw`) as (operator, number, unit), or None where it is words: no digit,
    or a phrase such as 2021年12月完成. `what` names the field in the ParseError."""
    op, rest = _operator(text, comparatives)
    if not op and (not _has_digit(text) or _is_phrase(text)):
        return None
    if not rest:
        raise ParseError(f"{what}“{raw}”只有运算符，缺少数值")
    value, unit = _quantity(rest, what)
    return op, value, unit


# Parsing is memoised: every keystroke rescores the whole project (scoring and validation both
# parse each target and actual), and the texts rarely change. The results are immutable.
@lru_cache(maxsize=4096)
def parse_target(raw: str, comparatives: tuple[tuple[str, str], ...] = COMPARATIVES) -> Target:
    """Parse a 年度指标值. Text with no number (or a phrase such as 2021年12月完成) is a word."""
    text = normalize(raw)
    if not text:
        raise ParseError("年度指标值为空")
    figure = _figure(raw, text, "年度指标值", comparatives)
    if figure is None:
        return Target(word=text)
    op, value, unit = figure
    return Target(op=op, value=value, unit=unit)


@lru_cache(maxsize=4096)
def parse_actual(raw: str, comparatives: tuple[tuple[str, str], ...] = COMPARATIVES) -> Actual:
    """Parse a 实际完成值: a tier, a word, or a number with an optional unit and operator."""
    text = normalize(raw)
    if not text:
        return Actual(empty=True)
    if text in _TIER_ALIASES:
        return Actual(tier=_TIER_ALIASES[text])
    figure = _figure(raw, text, "实际完成值", comparatives)
    if figure is None:
        return Actual(word=text)
    op, value, unit = figure
    return Actual(op=op, value=value, unit=unit)


def parse_decimal(raw: str, what: str) -> Decimal:
    """A plain decimal as typed by a person: full-width digits and thousands separators accepted."""
    text = normalize(raw).replace(",", "")
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", text):
        raise ParseError(f"{what}“{raw}”不是数字")
    return Decimal(text)
