"""The seed's indicator rows in ``pdftotext`` text: the level-1 and level-2 labels as anchors, each
row's name, target, actual, weight, score and reason from the tokens between them.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from tui.exchange.textform import (_ACTUAL, _COST_LEVEL2, _OPS, _PLAIN, _TARGET, _TIER_SPELLINGS, LEVEL1_LABELS,
                       LEVEL2_LABELS, Printed, _capacity, _fits, _join_wrapped, _Line, normalize_value,
                       normalize_amount, width)


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
