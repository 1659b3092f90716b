"""The words of an indicator row as the readers tell them: level labels (产出指标, 数量指标, also a
level 2 printed without its 指标), a level 1's weight (（50分）), figures, labels made whole.
Pure, no I/O, no Textual.
"""

from __future__ import annotations

import re
import unicodedata

from tui.exchange import formvocab as V

FIG = re.compile(r"^(?:[≥≤><=]?-?\d[\d,]*(?:\.\d+)?\S{0,4}|[—/\-]+|\d+(?:\.\d+)?%)$")
LEVEL1_WEIGHT = re.compile(r"^[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


def sq(text: str) -> str:  # a label as compared (tui.exchange.formvocab.squash)
    return V.squash(text)


def is_level1(text: str) -> bool:
    word = sq(text)
    return any(word.startswith(w) for w in V.LEVEL1) and len(word) <= 14 and word not in V.LEVEL2


def is_level2(text: str, short: bool = False) -> bool:
    """A level-2 label; with `short`, also one printed without its 指标 (社会效益, 服务对象满意度),
    where the row's place says a label stands there (a name can read so too)."""
    word = re.sub(r"[(（]\d+(?:\.\d+)?分[)）]$", "", sq(text))
    return word in V.LEVEL2 or (short and len(word) >= 2 and word + "指标" in V.LEVEL2 and word + "指标" not in V.LEVEL1)


def nospace(text: str) -> str:
    """A label wrapped in its cell (满意度 / 指标) or spaced out (产 出 指 标) as one word (项目决策 2 分 kept)."""
    text = text.replace("\n", "").strip()
    return text.replace(" ", "") if re.fullmatch(r"(\S )+\S", text) else text


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
