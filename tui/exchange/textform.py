"""What importing a form's text gives (the record, the figures it prints, problems and notes) and the
text helpers and vocabulary the readers share: widths, wraps, values and amounts, finding the forms
of a text. Pure functions: no Textual, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from tui.core.bounds import number_problem
from tui.core.model import TIERS

# ---------------------------------------------------------------------------------------------
# Vocabulary of the printed form

LEVEL1_LABELS = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2_LABELS = (
    "数量指标", "质量指标", "时效指标", "成本指标",
    "经济成本指标", "社会成本指标", "生态环境成本指标",
    "社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标",
    "服务对象满意度指标", "满意度指标",
)
# Level-2 labels that follow a level-1 "成本指标" (the 2021 MoF template makes 成本 a level 1).
_COST_LEVEL2 = ("经济成本指标", "社会成本指标", "生态环境成本指标")

# Tiers as printed, plus the short forms some forms use; the record keeps the full label.
_TIER_SPELLINGS = {t: t for t in TIERS}
_TIER_SPELLINGS.update({"达成": TIERS[0], "部分达成": TIERS[1], "部分达成指标": TIERS[1],
                        "未达成": TIERS[2], "未达成指标": TIERS[2]})

_TITLE = re.compile(r"项目支出绩效自评")
_OPERATOR_SPELLINGS = (
    (">=", "≥"), ("≧", "≥"), ("=>", "≥"), ("≥=", "≥"),
    ("<=", "≤"), ("≦", "≤"), ("=<", "≤"), ("≤=", "≤"),
    ("═", "="), ("==", "="),
)
_OPS = "≥>=≤<"
_NUMBER = r"\d+(?:\.\d+)?"
_TARGET = re.compile(rf"^[{_OPS}]?{_NUMBER}(?:\([^()]*\)|%)?$")
_ACTUAL = re.compile(rf"^{_NUMBER}(?:\([^()]*\)|%)?$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_ITEM_START = re.compile(
    r"^(?:\d{1,2}[、.．](?!\d)|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]"
    r"|[一二三四五六七八九十]{1,3}[、．]|第[一二三四五六七八九十\d]+[条项点部]|[①-⑳])")
_CLOSING = set("，。、；：？！）》」』】”’,.;:?!)%")
_OPENING = set("（《「『【“‘(")
_GRADES = "优良中差"


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Printed:
    """The figures a form prints, as printed (strings), for checking the form against itself."""

    rate: str = ""  # 年度资金总额 执行率
    funding_score: str = ""
    row_rates: dict[str, str] = field(default_factory=dict)  # sub-row key -> rate as printed
    indicator_scores: list[str] = field(default_factory=list)
    weight_total: str = ""  # the 总分 column's 100
    total: str = ""
    grade: str = ""


@dataclass
class ImportedForm:
    """One form found in the text: the record (None when it could not be built), what it prints,
    problems (the form cannot be imported), notes (guesses worth a look) and, once checked,
    disagreements (printed figures that differ from what the rules compute)."""

    index: int  # 1-based position in the text
    line: int  # line number where the form starts
    record: dict | None
    printed: Printed
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    project_name: str = ""  # 项目名称, even when no record could be built
    missing: str = ""  # the parts of the form not found in the text (、-separated)
    found: str = ""  # the parts found (、-separated); none: the text there is not a form

    @property
    def name(self) -> str:
        if self.record and self.record.get("name"):
            return self.record["name"]
        return self.project_name or f"第 {self.index} 张表"

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.problems


@dataclass
class TextImport:
    """Every form of one text, and problems of the text as a whole (empty, not a form)."""

    forms: list[ImportedForm]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.forms) and all(f.ok for f in self.forms)


# ---------------------------------------------------------------------------------------------
# Text helpers


def width(text: str) -> int:
    """Printed width in half-em: CJK and East-Asian-ambiguous (“”…—) 2, everything else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _first_unit(text: str) -> str:
    """What the layout had to move as one piece to the next line: a run of ASCII letters/digits,
    or one character with the closing punctuation glued to it (and an opening bracket before it)."""
    if not text:
        return ""
    m = re.match(r"[A-Za-z0-9.%]+", text)
    if m:  # a number is not split from the character after it (``100545.2元；``)
        j = m.end() + (1 if m.end() < len(text) and not text[m.end()].isspace() else 0)
        while j < len(text) and text[j] in _CLOSING:
            j += 1
        return text[:j]
    i = 0
    while i < len(text) - 1 and text[i] in _OPENING:
        i += 1
    j = i + 1
    while j < len(text) and text[j] in _CLOSING:
        j += 1
    return text[:j]


def _fits(prev: str, nxt: str, cap: int | None) -> bool:
    """True when `nxt`'s first piece would still have fitted after `prev`: the break is real."""
    if cap is None:
        return True
    return width(prev) + width(_first_unit(nxt)) <= cap


def _capacity(widths: list[int]) -> int | None:
    """A column's capacity: its widest line, once at least two lines come near it (one long line
    alone says nothing about where the cell's edge is)."""
    if not widths:
        return None
    top = max(widths)
    return top if sum(1 for w in widths if w >= top - 2) >= 2 else None


def _join_wrapped(lines: list[str], cap: int | None, *, raw: list[str] | None = None,
                  items: bool = True) -> str:
    """Join a cell's lines: wraps vanish, paragraph ends and new numbered items keep a line break."""
    out = ""
    for i, line in enumerate(lines):
        if i == 0:
            out = line
            continue
        prev = lines[i - 1]
        hard = ((raw is not None and raw[i - 1] != raw[i - 1].rstrip())
                or (items and _ITEM_START.match(line))
                or _fits(prev, line, cap))
        if hard:
            out += "\n" + line
        elif prev[-1:].isascii() and prev[-1:].isalpha() and line[:1].isascii() and line[:1].isalpha():
            out += " " + line
        else:
            out += line
    return out


def normalize_value(text: str) -> str:
    """A target or actual as the record keeps it: NFKC (full-width digits and brackets to ASCII),
    canonical operators, no spaces, no thousands separators."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    for spelled, canonical in _OPERATOR_SPELLINGS:
        text = text.replace(spelled, canonical)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def normalize_amount(text: str) -> str | None:
    """A printed amount as a record string (``1,248.00`` -> ``1248.00``); None if not a number."""
    text = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    return text if _PLAIN.match(text) else None


def _dec(text: str) -> Decimal | None:
    """A printed figure as a number; None if it is not one or is out of bounds (tui.core.bounds)."""
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        return None
    return None if number_problem(value) else value


# ---------------------------------------------------------------------------------------------
# Finding forms


def split_forms(text: str) -> list[tuple[int, list[str]]]:
    """The forms of a text: (1-based line number of the form's first line, its lines)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    starts = [i for i, line in enumerate(lines)
              if _TITLE.search(line) and width(line.strip()) <= 60]
    first_name = next((i for i, line in enumerate(lines) if line.strip().startswith("项目名称")), None)
    if first_name is not None and (not starts or first_name < starts[0]):
        # No title printed (or text before the first title holds a form of its own).
        starts = [first_name] + starts if starts else [i for i, line in enumerate(lines)
                                                       if line.strip().startswith("项目名称")]
    forms = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        forms.append((start + 1, lines[start:end]))
    return forms


@dataclass
class _Line:
    no: int  # 1-based line number in the whole text
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()
