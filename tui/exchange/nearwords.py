"""A form's headings as printed after OCR: a label with one character misread (项Fl资金, 年初预匏数,
顼目产出) or its characters out of order (考值参分: 参考分值 read across two lines of a cell) read as
the heading it is close to, before the text is cut into cells.

Close means, against a heading the readers know (tui.exchange.formvocab) of four or more characters:
- its characters in another order, nothing more or less (考值参分 → 参考分值), standing as a cell
  of its own or between headings as printed; or
- all its characters but one in place, in order, where the text has one or two characters that no
  heading uses instead (项Fl资金: Fl for 目; 年初预匏数: 匏 for 算), or all of them with one such
  character put in (满意l度指标). Such a character is a letter, figure or sign, or an uncommon
  character (outside GB2312's 3,755 common ones), or a common one drawn like the heading's own
  (LOOKALIKES: 戍 for 成, 末 for 未) where it stands for that one.
A character any heading uses is never taken as a misreading: 项目名称 is not 项目资金, 质量指标 not
数量指标 (名, 称, 数 are headings' characters). Where two headings are equally close, neither is
read. Each change is said with its line and text. Pure functions, no I/O, no Textual.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

_TITLES = ("项目支出绩效自评表", "财政项目支出绩效自评价", "部门整体支出绩效自评表", "绩效目标自评表")
LONGEST = 20_000
_SEPARATORS = re.compile(r"[\s|│┃,，、;；:：。()（）]")


@cache
def vocabulary() -> tuple[tuple[str, ...], frozenset[str], dict[str, tuple[str, ...]]]:
    """(the headings, every character they use, the headings holding each character)."""
    from tui.exchange import formvocab as V

    words = set(V.RUN_LABELS) | set(V.LEVEL1) | set(V.LEVEL2) | set(V.SIGNATURES) | set(V.GRADE) \
        | set(V.TEXTS) | set(V.WHOLE_HEADINGS)
    plain = {re.sub(r"\([^)]*\)", "", V.squash(w)).rstrip(":") for w in words}
    heads = tuple(sorted((w for w in plain if len(w) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w)),
                         key=len, reverse=True))
    # the characters of every word the readers know, titles too (项目支出绩效自评表): a misreading is
    # never one of them (项目支出 is not 项目产出)
    chars = frozenset(ch for w in words | set(_TITLES) for ch in w)
    holding: dict[str, list[str]] = {}
    for w in heads:
        for ch in set(w):
            holding.setdefault(ch, []).append(w)
    return heads, chars, {ch: tuple(ws) for ch, ws in holding.items()}


def near(text: str, word: str) -> bool:
    """Whether `text` (no spaces) is `word` misread: see the module's docstring."""
    chars = vocabulary()[1]
    if text == word or len(word) < 4 or len(text) not in (len(word), len(word) + 1) or _SEPARATORS.search(text):
        return False
    if Counter(text) == Counter(word):
        # its characters in another order, but not the word's own run through a text that repeats
        # it (…数调整预算数…: 数调整预算 is a turn of 调整预算数, not a misreading)
        return text not in word + word
    p = next((k for k, (a, b) in enumerate(zip(text, word)) if a != b), len(word))
    s = next((k for k, (a, b) in enumerate(zip(text[p:][::-1], word[p:][::-1])) if a != b),
             min(len(text), len(word)) - p)
    middle = text[p:len(text) - s]
    # one character misread as one or two (p + s = len - 1), or a stray mark put in (p + s = len)
    if not (p + s == len(word) - 1 and 1 <= len(middle) <= 2 or p + s == len(word) and len(middle) == 1) \
            or not all(_misread(ch, chars) or _looks_like(ch, word[p:p + 1], chars) for ch in middle):
        return False
    # a figure or letter at either end is the text going on (全年完成13家 is not 全年完成值): only
    # inside a heading is it a misread character
    return (p > 0 and s > 0) or all("\u4e00" <= ch <= "\u9fff" for ch in middle)


def _misread(ch: str, chars: frozenset[str]) -> bool:
    """Whether `ch` can stand for a misread character of a heading: a letter, figure or sign (Fl for
    目, 4 for 本), or an uncommon character (匏 for 算: outside GB2312's 3,755 common ones). A common
    character makes another word (评价结果 is not 评价结论), and a heading's own one another heading."""
    if ch in chars:
        return False
    if not "\u4e00" <= ch <= "\u9fff":
        return True
    try:
        return not 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
    except UnicodeEncodeError:
        return True


# Common characters OCR gives for a heading's own one drawn nearly alike (戍 for 成, 末 for 未),
# each under the characters it stands for: a misreading only where it stands in a heading for one
# of them. Characters frequent in a form's own text (人, 日, 元…) are left out: each would make the
# mending try every place it stands.
LOOKALIKES = {"戍": "成", "戌": "成", "巳": "已己", "末": "未", "曰": "日", "夭": "天", "宰": "率", "郊": "效",
              "席": "度", "植": "值", "拔": "拨", "侯": "候", "续": "绩", "折": "析", "士": "土"}


def _looks_like(ch: str, meant: str, chars: frozenset[str]) -> bool:
    """Whether `ch`, no heading's own character, is drawn like `meant` (成 misread as 戍)."""
    return bool(meant) and ch not in chars and meant in LOOKALIKES.get(ch, "")


def closest(text: str) -> str | None:
    """The one heading `text` is a misreading of, or None."""
    heads, _chars, holding = vocabulary()
    found = {w for ch in set(text) for w in holding.get(ch, ()) if near(text, w)}
    return found.pop() if len(found) == 1 else None


def mend(text: str) -> tuple[str, list[str]]:
    """`text` with each misread heading replaced by the heading, and a note for each change.
    A stretch that holds a heading as printed is left alone."""
    heads, chars, holding = vocabulary()
    exact, labels = _patterns()
    common = _common()
    lines = text.split("\n")
    notes: list[str] = []
    for n, line in enumerate(lines):
        # (a line longer than any form run together on one line is no OCR of a form: left alone,
        # so a hostile text can't make the reader search it for long)
        if len(line) > LONGEST or not any(ch in holding for ch in line):
            continue
        odd = _odd(line, chars, common)
        # where a known word (of any length) begins or ends: a reordering stands between them,
        # or as a cell of its own (三级指标考值参分指标值)
        found = list(labels.finditer(line))
        gaps = list(_SEPARATED.finditer(line))
        begins = {m.start() for m in found} | {m.start() for m in gaps} | {len(line)}
        ends = {m.end() for m in found} | {m.end() for m in gaps} | {0}
        kept = [False] * (len(line) + 1)
        for m in exact.finditer(line):
            kept[m.start():m.end()] = [True] * (m.end() - m.start())
        # the windows a misreading at k can be: a heading beside it whose characters before k
        # are the line's (its first one misread: the heading of the characters after it)
        tried: dict[int, set[tuple[int, str]]] = {}
        for k in odd:
            words = {w for j in (k - 1, k + 1, k + 2) if 0 <= j < len(line) for w in holding.get(line[j], ())}
            for w in words:
                for j in range(len(w)):
                    if (j == 0 or w[j - 1] == line[k - 1]) and k - j >= 0:
                        tried.setdefault(k - j, set()).update({(len(w), w), (len(w) + 1, w)})
        out, at = [], 0
        for i in sorted(set(tried) | ends):
            if i < at or i >= len(line) or kept[i]:
                continue
            hits = {(line[i:i + size], w) for size, w in tried.get(i, ())
                    if i + size <= len(line) and not any(kept[i:i + size]) and near(line[i:i + size], w)}
            # a heading's characters in another order, standing between known words
            hits |= {(line[i:i + size], w) for size in _reordered() if i + size in begins
                     and (w := _reordered()[size].get("".join(sorted(line[i:i + size])), ""))
                     and not any(kept[i:i + size]) and near(line[i:i + size], w)}
            longest = max((len(piece) for piece, _w in hits), default=0)
            hits = {(piece, w) for piece, w in hits if len(piece) == longest}  # 年初预算数, not 年初预算
            if len({w for _piece, w in hits}) == 1:  # two headings equally close: neither
                piece, word = hits.pop()
                out += [line[at:i], word]
                notes.append(f"第 {n + 1} 行“{piece}”按字形读作“{word}”")
                at = i + len(piece)
        if out:
            lines[n] = "".join(out) + line[at:]
    return "\n".join(lines), notes


_SEPARATED = re.compile(r"[\s|│┃,，、;；:：。()（）]+")


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """(the headings as printed, every word the readers know, however short)."""
    from tui.exchange import formvocab as V

    heads = vocabulary()[0]
    known = {re.sub(r"\([^)]*\)", "", V.squash(w)) for w in V.RUN_LABELS} | set(heads)
    words = sorted(known - {""}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, heads))), re.compile("|".join(map(re.escape, words)))


@cache
def _common() -> frozenset[str]:
    """GB2312's 3,755 common characters (its rows 16–55)."""
    return frozenset(bytes([hi, lo]).decode("gb2312", "ignore") for hi in range(0xB0, 0xD8)
                     for lo in range(0xA1, 0xFF)) - {""}


def _odd(line: str, chars: frozenset[str], common: frozenset[str]) -> list[int]:
    """The places of `line` that can hold a misread character: one or two standing together (a run
    of more is text of its own: a figure, a file name); a letter or figure only between a heading's
    characters (a misreading inside a heading). One pass, however long the line."""
    can = [(ch not in common and not _SEPARATORS.match(ch) and _misread(ch, chars))
           or (ch in LOOKALIKES and ch not in chars) for ch in line]
    out, k = [], 0
    while k < len(line):
        if not can[k]:
            k += 1
            continue
        end = k
        while end < len(line) and can[end]:
            end += 1
        if end - k <= 2:
            out += [j for j in range(k, end) if "\u4e00" <= line[j] <= "\u9fff" or _between(line, j, chars)]
        k = end
    return out


def _between(line: str, k: int, chars: frozenset[str]) -> bool:
    """Whether a heading's character stands on each side of `k` (one misread one beside it aside)."""
    return any(0 <= j < len(line) and line[j] in chars for j in (k - 1, k - 2)) and \
        any(0 <= j < len(line) and line[j] in chars for j in (k + 1, k + 2))


@cache
def _reordered() -> dict[int, dict[str, str]]:
    """The headings by length, under their characters in order (参考分值 under 值分参考)."""
    out: dict[int, dict[str, str]] = {}
    for w in vocabulary()[0]:
        out.setdefault(len(w), {})["".join(sorted(w))] = w
    return out
