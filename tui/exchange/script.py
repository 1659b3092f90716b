"""Published text in the form's own script: traditional characters back to simplified, and the
pinyin some document sites put after characters (預(yù)算) taken out, before the text is read.

Document sites re-publish forms converted to traditional characters with pinyin after some of
them; the forms themselves are simplified, and their vocabulary (项目名称, 绩效指标…) is what the
readers look for. Line by line, so the reader's line numbers still point at the user's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

# A pinyin syllable in brackets right after a Han character: letters with at least one tone mark,
# so that a unit such as 长度(km) is left alone.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)")
HAN = re.compile(r"[\u4e00-\u9fff]")
# A text counts as traditional when converting changes at least this share of its Han characters:
# simplified text converts to itself but for a rare variant, which must not be touched.
SHARE = 0.02


@cache
def _converter():
    import opencc  # here: only a text import needs it

    return opencc.OpenCC("t2s")


@dataclass
class Simplified:
    """A text as the readers take it, what was done to it, and the way back for what it says."""

    text: str
    notes: list[str]
    # a simplified character -> the traditional one the text had for it, where it had only one:
    # a record keeps its names as written (檔案), while the readers find 项目名称 in 項目名稱
    back_map: dict[str, str] = field(default_factory=dict)

    def back(self, value: str) -> str:
        """`value`, read from the simplified text, in the characters the text had."""
        return "".join(self.back_map.get(ch, ch) for ch in value) if self.back_map else value


def simplified(text: str) -> Simplified:
    """`text` in simplified characters without pinyin annotations, with notes saying what changed
    (none when nothing did)."""
    notes = []
    lines = text.split("\n")
    subbed = [PINYIN.subn("", line) for line in lines]
    stripped = [line for line, _n in subbed]
    removed = sum(n for _line, n in subbed)
    if removed:
        notes.append(f"删去了字后括号中的拼音注音 {removed} 处")
    han = sum(len(HAN.findall(line)) for line in stripped)
    converted = [_converter().convert(line) for line in stripped] if han else stripped
    changed = sum(a != b for line, new in zip(stripped, converted) for a, b in zip(line, new))
    if not (han and changed >= max(1, han * SHARE)):
        return Simplified("\n".join(stripped), notes)
    notes.append(f"繁体字已转为简体（{changed} 字）")
    seen: dict[str, set[str]] = {}
    for line, new in zip(stripped, converted):
        if len(line) == len(new):  # character for character (t2s nearly always is)
            for was, now in zip(line, new):
                seen.setdefault(now, set()).add(was)
    # A character seen both as itself and as one traditional one (评 in labels a program printed
    # in simplified, 評 in the form's words) goes back to the traditional one: the text is
    # traditional, its simplified characters are someone else's print.
    back = {}
    for now, olds in seen.items():  # (not `was`: the loop above made that a str for mypy)
        other = olds - {now}
        if len(other) == 1:
            back[now] = next(iter(other))
    return Simplified("\n".join(converted), notes, back)


# The fields of a record that hold the form's own words (kept as written). The others stay
# simplified: the program's (money_unit, layout, rules…), figures, and the words the rules score
# or check — levels, targets and actuals (達成指標 is the tier 达成指标 only in simplified).
WORDS = ("name", "department", "implementer")
ITEM_WORDS = ("name", "reason")


def restore(record: dict, script: Simplified) -> None:
    """Put the form's own words of `record` back in the characters the text had."""
    if not script.back_map:
        return
    for key in WORDS:
        if isinstance(record.get(key), str):
            record[key] = script.back(record[key])
    for table in (record.get("goals"), record.get("texts"), (record.get("funding") or {}).get("labels")):
        if isinstance(table, dict):
            for key, value in table.items():
                if isinstance(value, str):
                    table[key] = script.back(value)
    for item in record.get("indicators") or ():
        for key in ITEM_WORDS:
            if isinstance(item.get(key), str):
                item[key] = script.back(item[key])
