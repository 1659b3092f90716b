"""Qualitative actuals written as words around a word: 基本健全, 已健全, 未按时完成, 健全完善.

A rule profile's ``[qualifiers]`` (data, read here for tui/core/rules.py) lists the words that may
stand before a qualitative word and the tier each makes of it (基本/较为/总体 … → 部分达成, 未/不/没有
… → 未达成, 已/均/全部 … → 达成), and the words that may follow it and keep it met (完善, 到位).
The word so qualified is the target's own word or a word the profile lists for its best tier
(完成, 达标, 满意). docs/rules.md R4 says what is read and what stays an error. No Textual here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from tui.core.bounds import parse_toml
from tui.core.model import COMPARATIVE_WORDS, normalize

# A profile without [qualifiers] reads as the default profile's: profiles written before there
# were qualifiers (a folder's own, a bundle's) keep their digests and agree with the built-in.
DEFAULT_PROFILE = Path(__file__).parent / "profiles" / "default.toml"
# Never read as a negation of a word: 不适用 marks an indicator not applicable (R9), 不低于 and
# 不超过 are comparatives; a profile's own marks and comparatives are added where it is asked.
NOT_NEGATIONS = ("不适用", *COMPARATIVE_WORDS)
MAX_CHAIN = 2  # 已基本健全: a met word (已, 均) may stand before one other qualifier


class Qualifiers(NamedTuple):
    """The words around a qualitative word: before it, each with the tier label it gives; after it,
    the words that keep it met (健全完善). A NamedTuple, not a dataclass: made at every start, it
    costs a quarter of one (0.1 ms against 0.4 ms here)."""
    before: tuple[tuple[str, str], ...] = ()
    met_after: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"before": by_label(self.before), "met_after": list(self.met_after)}


def by_label(pairs: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    """(word, tier label) pairs as {label: [words]}, in their order: a profile's TOML tables."""
    out: dict[str, list[str]] = {}
    for word, label in pairs:
        out.setdefault(label, []).append(word)
    return out


def qualifiers_from(value, labels: set[str], source: str, error: type[Exception]) -> Qualifiers:
    """A profile's ``[qualifiers]`` table checked; a problem raises `error` (the caller's) with a
    Chinese message naming the file and the field. Absent: the default profile's."""
    found = _qualifiers(value, labels, source)
    if isinstance(found, str):
        raise error(found)
    return found


def _qualifiers(value, labels: set[str], source: str) -> Qualifiers | str:
    if value is None:
        return default_qualifiers()
    if not isinstance(value, dict) or set(value) - {"before", "met_after"}:
        return f"{source}：字段 qualifiers 应为表，只含 before 与 met_after"
    before: dict[str, str] = {}
    table = value.get("before", {})
    if not isinstance(table, dict):
        return f"{source}：字段 qualifiers.before 应为表（等级 → 用语）"
    for label, words in table.items():
        if label not in labels:
            return f"{source}：字段 qualifiers.before.{label} 不是 tiers 中的等级"
        if not isinstance(words, list) or not all(isinstance(w, str) and normalize(w) for w in words):
            return f"{source}：字段 qualifiers.before.{label} 应为非空文字的数组"
        for word in words:
            key = normalize(word)
            if before.get(key, label) != label:
                return f"{source}：字段 qualifiers.before.{label}：“{word}”已属于“{before[key]}”"
            before[key] = label
    after = value.get("met_after", [])
    if not isinstance(after, list) or not all(isinstance(w, str) and normalize(w) for w in after):
        return f"{source}：字段 qualifiers.met_after 应为非空文字的数组"
    return Qualifiers(tuple(before.items()), tuple(dict.fromkeys(normalize(w) for w in after)))


@cache
def default_qualifiers() -> Qualifiers:
    """The built-in default profile's qualifiers: what a profile without the table means."""
    data = parse_toml(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    return qualifiers_from(data.get("qualifiers", {}), {t["label"] for t in data["tiers"]},
                           str(DEFAULT_PROFILE), ValueError)


def _chain(prefix: str, before: dict[str, str], met: str) -> list[str] | None:
    """The qualifiers `prefix` is made of, first to last (fewest first: 不完全 is one word, not
    不 + 完全), or None. Only a met word may stand before another (已基本, 均未; not 未完全)."""
    if prefix in before:
        return [prefix]
    for cut in range(len(prefix) - 1, 0, -1):
        head, tail = prefix[:cut], prefix[cut:]
        if before.get(head) == met and tail in before:
            return [head, tail]
    return None


def qualified(word: str, target_word: str, qualifiers: Qualifiers, met: str, met_words: set[str],
              not_negations: tuple[str, ...] = ()) -> tuple[str | None, str]:
    """(tier label, "") for an actual `word` that is a known word qualified, else (None, why) with
    why "" when the word has nothing of the target's in it (the caller's plain message stands).

    Known words: the target's own and the profile's words for its best tier (`met_words`)."""
    before = dict(qualifiers.before)
    if target_word and word.startswith(target_word) and word != target_word:
        rest = word[len(target_word):]
        if rest in qualifiers.met_after:
            return met, ""
        return None, (f"实际完成值“{word}”在年度指标值“{target_word}”之后另有“{rest}”，无法判断达成程度；"
                      f"请写作“{target_word}”“基本{target_word}”“未{target_word}”或等级用语")
    if word in (*NOT_NEGATIONS, *not_negations):
        return None, ""
    known = [w for w in (target_word, *sorted(met_words, key=len, reverse=True))
             if w and word.endswith(w) and word != w]
    for base in known:
        chain = _chain(word[:-len(base)], before, met)
        if chain:
            return before[chain[-1]], ""
    if _chain(word, before, met):
        return None, (f"实际完成值“{word}”只有程度用语，缺少所修饰的指标用语；请写作“{word}{target_word}”"
                      "或等级用语（达成指标、部分达成…）" if target_word else
                      f"实际完成值“{word}”只有程度用语，缺少所修饰的用语")
    if target_word and any(word.startswith(q) for q in before):
        return None, (f"实际完成值“{word}”既不是年度指标值“{target_word}”，也不是“基本{target_word}”"
                      f"“未{target_word}”这样带程度用语的写法，无法判断达成程度")
    return None, ""
