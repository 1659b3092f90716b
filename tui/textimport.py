"""Bring old forms in: parse the text of printed forms (``pdftotext`` output) into records.

``pdftotext`` flattens a form's table into a column-by-column stream of short lines: labels and
values broken across lines, names wrapped inside narrow cells, an operator on its own line (``≥``
then ``2.00(次)``), the level-1 heading repeated after a page break, and the 预期目标 and 实际完成情况
columns printed one after the other. This module finds each form in such text and rebuilds the
record (docs/format.md), keeping the figures the form prints so the caller can check the form
against itself (`check_form`).

Pure functions: no Textual, no I/O. The text comes in as a string; rules come in as an argument.

How wraps are told from real line breaks: a cell's text is laid out greedily, so a line that ends
early (the next line's first character would still have fitted) ends a paragraph, and a line that
is full was wrapped. Widths are counted in half-em units (CJK 2, ASCII 1); a column's capacity is
the widest line seen in it. A line printed with trailing spaces, or a next line that starts a
numbered item (``1.`` ``2、`` ``（3）``), also keeps its break.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .bounds import number_problem
from .model import FUNDING_ROWS, TIERS

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
    """A printed figure as a number; None if it is not one or is out of bounds (tui.bounds)."""
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


def import_text(text: str, *, year: int | None = None, layout: str = "",
                partial: bool = False) -> TextImport:
    """Find and parse every form of `text`, whatever its shape. `year` is used when a form does not
    print its year; `layout` names the form layout (default: detected); `partial` imports a cut-off
    form marked incomplete. The seed's ``pdftotext`` text (one cell to a line, wraps inside cells)
    is read by `_seed_text` below; every other shape, and any text it can't read, by tui.formcheck."""
    from .formcheck import read_text
    from .textcells import cells_of

    if cells_of(text)[0] == "lines" and layout in ("", "shanghai") and not partial:
        seed = _seed_text(text, year=year)
        if seed.ok:
            return seed
        other = read_text(text, year=year, layout=layout, partial=partial)
        # the reader that places more forms wins; a tie, the seed's (its messages know its text)
        return other if sum(f.ok for f in other.forms) > sum(f.ok for f in seed.forms) else seed
    return read_text(text, year=year, layout=layout, partial=partial)


def _seed_text(text: str, *, year: int | None = None) -> TextImport:
    """The seed's pdftotext text, read line by line (see the module's docstring)."""
    if not text.strip():
        return TextImport([], ["文本为空：没有任何内容"])
    chunks = split_forms(text)
    if not chunks:
        return TextImport([], ["不是绩效自评表的文本：没有找到“财政项目支出绩效自评价”标题或“项目名称”"])
    forms = [parse_form(lines, index=i + 1, line=start, year=year)
             for i, (start, lines) in enumerate(chunks)]
    return TextImport(forms)


# ---------------------------------------------------------------------------------------------
# One form


@dataclass
class _Line:
    no: int  # 1-based line number in the whole text
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()


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


# ---------------------------------------------------------------------------------------------
# Indicators


@dataclass
class _Tok:
    text: str
    line: int  # index into the section's lines


def _label_at(tokens: list[_Tok], i: int, labels) -> tuple[str, int] | None:
    """The longest label spelled by whole tokens from i on (a wrapped label spans several):
    (label, index after it), or None."""
    joined, found = "", None
    for j in range(i, min(i + 5, len(tokens))):
        joined += tokens[j].text
        if joined in labels:
            found = (joined, j + 1)
        if not any(label.startswith(joined) for label in labels):
            break
    return found


def _starts_label(tokens: list[_Tok], i: int) -> bool:
    return (_label_at(tokens, i, LEVEL1_LABELS + LEVEL2_LABELS) is not None
            or (i < len(tokens) and tokens[i].text.startswith("一级指")))


def _anchors(tokens: list[_Tok]) -> list[tuple[int, int]]:
    """(weight index, score index) of each indicator row: the last two of each run of plain
    numbers (a bare actual or target may precede them in the same run)."""
    out = []
    i = 0
    while i < len(tokens):
        if _PLAIN.match(tokens[i].text):
            j = i
            while j + 1 < len(tokens) and _PLAIN.match(tokens[j + 1].text):
                j += 1
            if j > i:
                out.append((j - 1, j))
            i = j + 1
        else:
            i += 1
    return out


def _indicators(rows: list[_Line], printed: Printed, notes: list[str], problems: list[str]) -> list[dict]:
    lines = [unicodedata.normalize("NFC", r.text) for r in rows if r.text]
    line_nos = [r.no for r in rows if r.text]
    # Column headers repeated after a page break.
    kept, kept_nos, skipping = [], [], False
    for text, no in zip(lines, line_nos):
        if text.startswith("一级指"):
            skipping = True
        if not skipping:
            kept.append(text)
            kept_nos.append(no)
        if skipping and "偏差原因" in text:
            skipping = False
    lines, line_nos = kept, kept_nos
    tokens = [_Tok(t, n) for n, text in enumerate(lines) for t in text.split()]
    anchors = _anchors(tokens)
    if not anchors:
        problems.append("绩效指标：没有找到任何一行“分值 得分”")
        return []
    anchor_lines = {tokens[s].line for _w, s in anchors}

    # Column widths: names wrap in narrow cells, reasons in a wide one.
    single = [width(text) for n, text in enumerate(lines) if n not in anchor_lines and " " not in text]
    name_cap = Counter(single).most_common(1)[0][0] if single else 8
    wide = [w for w in single if w > name_cap + 2]
    for _w, s in anchors:
        rest = [t.text for t in tokens[s + 1:] if t.line == tokens[s].line]
        if rest:
            wide.append(width(" ".join(rest)))
    reason_cap = _capacity(wide)

    items: list[dict] = []
    level1 = level2 = ""
    pos = 0
    for k, (wi, si) in enumerate(anchors):
        limit = anchors[k + 1][0] if k + 1 < len(anchors) else len(tokens)
        pre = tokens[pos:wi]
        where = f"绩效指标第 {k + 1} 行（第 {line_nos[tokens[wi].line]} 行）"
        item, level1, level2 = _row(pre, level1, level2, name_cap, where, problems)
        reason, pos = _reason(tokens, si, limit, lines, name_cap, reason_cap)
        item["weight"] = normalize_amount(tokens[wi].text) or tokens[wi].text
        printed.indicator_scores.append(unicodedata.normalize("NFKC", tokens[si].text))
        if reason:
            item["reason"] = reason
        items.append(item)
    if pos < len(tokens):
        junk = "".join(t.text for t in tokens[pos:])
        problems.append(f"绩效指标：最后一行之后还有无法归属的文字“{junk[:40]}”")
    return items


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _row(pre: list[_Tok], level1: str, level2: str, name_cap: int, where: str, problems: list[str]):
    i = 0
    while True:
        found = _label_at(pre, i, LEVEL1_LABELS + LEVEL2_LABELS)
        if found is None:
            break
        label, nxt = found
        follow = _label_at(pre, nxt, LEVEL2_LABELS)
        if label in LEVEL1_LABELS and label in LEVEL2_LABELS:  # 满意度指标, 成本指标: which level?
            if follow is not None and (label != "成本指标" or follow[0] in _COST_LEVEL2):
                level1, level2 = label, ""
            elif label == "满意度指标" and level1 != label:
                level1, level2 = label, ""
            else:
                level2 = label
        elif label in LEVEL1_LABELS:
            level1, level2 = label, ""
        else:
            level2 = label
        i = nxt
    rest = pre[i:]
    item = {"level1": level1, "level2": level2, "name": "", "target": "", "actual": ""}
    if not rest:
        problems.append(f"{where}：缺少三级指标、年度指标值和实际完成值")
        return item, level1, level2
    # Actual: a tier, or a number with its unit, spelled by the last tokens.
    n_actual = None
    for k in range(1, min(6, len(rest)) + 1):
        joined = "".join(t.text for t in rest[-k:])
        if joined in _TIER_SPELLINGS:
            item["actual"], n_actual = _TIER_SPELLINGS[joined], k
            break
    if n_actual is None:
        for k in range(1, min(3, len(rest)) + 1):
            joined = normalize_value("".join(t.text for t in rest[-k:]))
            if _ACTUAL.match(joined):
                item["actual"], n_actual = joined, k
                break
    if n_actual is None:
        problems.append(f"{where}：实际完成值“{''.join(t.text for t in rest[-3:])}”既不是数值也不是达成等级")
        return item, level1, level2
    rest = rest[:-n_actual]
    # Target: an operator and a number (the longest such tail), else one qualitative word.
    n_target = None
    for k in range(min(4, len(rest)), 0, -1):
        joined = normalize_value("".join(t.text for t in rest[-k:]))
        if _TARGET.match(joined) and (joined[0] in _OPS or rest[-k].text[:1].isdigit()
                                      or normalize_value(rest[-k].text)[:1] in _OPS):
            item["target"], n_target = joined, k
            break
    if n_target is None and rest:
        item["target"], n_target = normalize_value(rest[-1].text), 1
        # A one-character word after a full line is the tail of a target wrapped in its cell
        # (应用安全 / 无逻辑漏 / 洞: the target is 无逻辑漏洞, as 安全管理 / 数据安全 above it).
        if (len(rest) >= 3 and len(item["target"]) == 1 and rest[-2].line != rest[-1].line
                and width(rest[-2].text) >= name_cap and not _has_digit(rest[-2].text)):
            item["target"], n_target = normalize_value(rest[-2].text + rest[-1].text), 2
    if n_target is None:
        problems.append(f"{where}：缺少年度指标值")
        return item, level1, level2
    name_tokens = rest[:-n_target]
    item["name"] = _join_name(name_tokens)
    if not item["name"]:
        problems.append(f"{where}：缺少三级指标名称")
    if not level1:
        problems.append(f"{where}：“{item['name']}”之前没有一级指标")
    return item, level1, level2


def _join_name(tokens: list[_Tok]) -> str:
    """A cell wrapped line by line: lines join with nothing, tokens on one line with a space."""
    out = ""
    for n, tok in enumerate(tokens):
        if n and tokens[n - 1].line == tok.line:
            out += " "
        out += tok.text
    return out


def _reason(tokens: list[_Tok], si: int, limit: int, lines: list[str], name_cap: int,
            reason_cap: int | None) -> tuple[str, int]:
    """The 偏差原因分析 after a row's score: the rest of its line, then whole lines while they are
    too wide to be a name cell or continue a full (wrapped) reason line. Returns (text, next i)."""
    parts: list[str] = []
    i = si + 1
    if i < limit and tokens[i].line == tokens[si].line:
        line = tokens[i].line
        parts.append(" ".join(t.text for t in tokens[i:limit] if t.line == line))
        while i < limit and tokens[i].line == line:
            i += 1
    while i < limit:
        line = tokens[i].line
        j = i
        while j < len(tokens) and tokens[j].line == line:
            j += 1
        if j > limit:  # the next row's weight is on this line: the line is that row's
            break
        if _starts_label(tokens, i):
            break
        text = " ".join(t.text for t in tokens[i:j])
        prev_full = bool(parts) and not _fits(parts[-1], text, reason_cap)
        if prev_full or (" " not in text and width(text) > name_cap + 2):
            parts.append(text)
            i = j
        else:
            break
    return _join_wrapped(parts, reason_cap, items=False), i


# ---------------------------------------------------------------------------------------------
# Checking a form against itself


def check_form(form: ImportedForm, rules) -> None:
    """Score the record with `rules` (a tui.rules.Rules), record the printed indicator scores that
    differ from the computed ones as the evaluator's, and fill `form.disagreements` with every
    printed figure the rules do not reproduce. Problems building the record go to `form.problems`."""
    from .format import fixed
    from .scoring import score
    from .storage import RecordError, record_from_dict
    from .validation import ERROR, validate

    if form.record is not None and form.record.get("format") == 2:
        from .formcheck import check_read  # a form read by the general reader

        return check_read(form, rules)
    if form.record is None:
        return
    record, printed = form.record, form.printed
    try:
        project = record_from_dict(record, form.name)
    except RecordError as exc:
        form.problems.append(f"记录无效：{exc}")
        return
    sheet = score(project, rules)
    scores = printed.indicator_scores
    for n, (item, result) in enumerate(zip(record["indicators"], sheet.indicators)):
        said = _dec(scores[n]) if n < len(scores) else None
        if said is None:
            form.disagreements.append(f"第 {n + 1} 项“{item['name']}”的得分“{scores[n]}”不是数字")
            continue
        if result.computed is None or said != result.computed:
            item["score"] = fixed(said) if said == said.quantize(Decimal("0.01")) else str(said)
            if result.computed is not None and item.get("reason"):
                form.notes.append(f"第 {n + 1} 项“{item['name']}”：表上得分 {scores[n]}，按规则计算为 "
                                  f"{fixed(result.computed)}，有偏差原因，记为评价人的评分")
    project = record_from_dict(record, form.name)
    sheet = score(project, rules)

    def differ(what: str, said: str, computed: Decimal, unit: str = "") -> None:
        value = _dec(said)
        if value is None or value != computed:
            form.disagreements.append(f"{what}：表上 {said or '（未印）'}{unit}，按规则计算为 {fixed(computed)}{unit}")

    differ("执行率", printed.rate, sheet.rate, "%")
    differ("资金得分", printed.funding_score, sheet.funding_score)
    for row in sheet.rows[1:]:
        if row.key in printed.row_rates:
            differ(f"{dict(FUNDING_ROWS)[row.key]}执行率", printed.row_rates[row.key], row.rate, "%")
    differ("分值合计", printed.weight_total, sheet.weight_total)
    differ("总分", printed.total, sheet.total)
    if printed.grade != sheet.grade:
        form.disagreements.append(f"评分等级：表上 {printed.grade or '（未印）'}，按总分 {fixed(sheet.total)} 应为 {sheet.grade}")
    names = {f"indicators[{n}]": item["name"] for n, item in enumerate(record["indicators"])}
    for problem in validate(project, rules, sheet):
        if problem.level != ERROR or problem.path == "weights":
            continue
        head = problem.path.split(".")[0]
        where = f"第 {int(head[11:-1]) + 1} 项“{names[head]}”" if head in names else problem.path
        form.disagreements.append(f"{where}：{problem.message}")
