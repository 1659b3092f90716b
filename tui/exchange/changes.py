"""How two versions of a record differ, in words: the fields that changed (`canonical.differences`,
named as the form names them) with both values, and what that did to the scores (“总分 71.67 →
69.67”). What `zipin diff` prints, git shows through it, and the review screen labels. No Textual.
"""

from __future__ import annotations


from tui.exchange.canonical import differences, flat_fields  # flat_fields: the paths differences() names
from tui.core.editing import blank_text, label
from tui.core.model import Project
from tui.core.rules import Rules
from tui.core.validation import Assessment, assess
from tui.core.messages import visible
from tui.store.codec import record_to_dict

def value_text(value: object, project: Project | None = None, path: str = "") -> str:
    """A value (of `project`'s field `path`) on one line, as a terminal may show it (control
    characters and breaks escaped); a blank or missing one as the import review says it
    (editing.blank_text: a 年度资金总额 not stated is the rows' sum, not “（无）”)."""
    return blank_text(project, path, value) or visible(str(value))


def _figures(result: Assessment | None) -> list[tuple[str, str]]:
    """(what, figure) of the scores a form prints, in its order, with the places its profile
    prints and the 未定 mark a record with errors gets."""
    if result is None:
        return []
    sheet = result.sheet
    show = sheet.show
    rate = show(sheet.rate, "rate")
    out = [("执行率", f"{rate}%" if rate else "—"),
           ("资金得分", show(sheet.funding_score, "funding_score"))]
    out += [(f"第 {i} 项指标得分", show(s.score, "indicator_score"))
            for i, s in enumerate(sheet.indicators, 1)]
    return out + [("总分", result.total_text), ("等级", result.grade_text)]


def score_changes(old: Assessment | None, new: Assessment | None) -> list[str]:
    """The figures that changed, as “总分 71.67 → 69.67（-2.00）”."""
    before, after = dict(_figures(old)), dict(_figures(new))
    lines = []
    for what in dict.fromkeys([*before, *after]):
        a, b = before.get(what), after.get(what)
        if a == b:
            continue
        line = f"{what} {a or '（无）'} → {b or '（无）'}"
        if what == "总分" and old is not None and new is not None:
            places = new.sheet.rules.figure("total").places if new.sheet.rules else 2
            line += f"（{new.sheet.total - old.sheet.total:+.{places}f}）"
        lines.append(line)
    return lines


def describe(old: Project, new: Project, old_rules: Rules | None, new_rules: Rules | None) -> list[str]:
    """Every changed field (“第 3 项指标的实际完成值：95.00(%) → 90.00(%)”), then the changed
    scores; a side whose rule profile is unknown (None) gives no scores."""
    lines = [f"{label(path)}：{value_text(a, old, path)} → {value_text(b, new, path)}"
             for path, a, b in differences(old, new)]
    return lines + score_changes(assess(old, old_rules) if old_rules else None,
                                 assess(new, new_rules) if new_rules else None)


def as_text(project: Project, rules: Rules | None) -> str:
    """A record as lines of “字段：值” then its scores: what git compares line by line when it
    uses `zipin diff FILE` as the textconv of record files, so a diff reads “-总分 71.67 / +总分
    69.67” instead of TOML lines. Multi-line texts continue on indented lines."""
    lines = []
    for path, value in flat_fields(record_to_dict(project)).items():
        if path == "indicators":
            continue
        text = "" if value is None else str(value)
        first, *rest = text.split("\n")
        lines.append(f"{label(path)}：{visible(first)}")
        lines += [f"  {visible(line)}" for line in rest]
    result = assess(project, rules) if rules else None
    if result is None:
        lines.append(f"（评分规则“{visible(project.rules)}”不可用，未计算得分）")
    lines += [f"{what} {figure}" for what, figure in _figures(result)]
    return "\n".join(lines) + "\n"
