"""Reading any published form: the cells of a text (tui.exchange.textcells) placed by the labels they follow.

A form is found by its title (…自评表, …自评价) or its 项目名称; its parts by their labels (tui.exchange.formvocab):
the header fields, the funding block's headings and rows, the goals, the indicator headings and
rows, the closing total, grade, texts and signatures. Figures are placed by the column they stand
in where the text keeps empty cells (``|`` tables, one cell per line, a drawn grid), and by what they
are where it does not (cells split by spaces: a rate carries %, amounts come first). Blank marks
(—, /, -, empty) are blank cells, never zeros. What a form lacks is said, with where its text ends.

The result is the same `ImportedForm` the seed's reader (tui.exchange.seedform) gives, its record in
format 2 (docs/format.md). Pure functions, no I/O, no Textual.
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_right, insort
from itertools import accumulate

from tui.exchange import formvocab as V
from tui.exchange.formfunding import NUM as _NUM, clean as _clean, flat as _flat, funding_block
from tui.exchange.textcells import TextCell
from tui.exchange.textform import ImportedForm, Printed

_TITLE = re.compile(r"(自评表|自评价|绩效目标自评)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_LEVEL1_WEIGHT = re.compile(r"^[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_GRADES = ("优", "良", "中", "差", "优秀", "良好", "合格", "不合格")


def _is_title(text: str) -> bool:
    flat = _flat(text)
    return (bool(_TITLE.search(flat)) and len(flat) <= 48
            and not any(w in flat for w in ("说明", "报告", "《", ".doc", ".pdf", "分享")))


def split_forms(cells: list[TextCell]) -> list[list[TextCell]]:
    """The forms of a text: a title starts one; a 项目名称 after a form's indicators starts another."""
    starts = [i for i, c in enumerate(cells) if _is_title(c.text)]
    names = [i for i, c in enumerate(cells) if V.HEADER.get(V.squash(c.text)) == "name"]
    # indicator headings (三级指标) before each cell, counted once (a long text holds thousands)
    heads = list(accumulate((V.indicator_column(c.text) == "name" for c in cells), initial=0))
    for i in names:  # a form without a printed title: a 项目名称 after the last start's indicators
        last = starts[bisect_right(starts, i) - 1] if starts and starts[0] <= i else None
        if last is None or heads[i] > heads[last]:
            insort(starts, i)
    starts = sorted(set(starts))
    if not starts:
        return [cells] if cells else []
    parts = [cells[:starts[0]]] if any(V.indicator_column(c.text) or V.row_key(c.text)
                                       for c in cells[:starts[0]]) else []
    parts += [cells[a:b] for a, b in zip(starts, starts[1:] + [len(cells)])]
    return parts


class _Cursor:
    def __init__(self, cells: list[TextCell]):
        self.cells, self.i = cells, 0

    def find(self, pred, start: int | None = None, stop: int | None = None) -> int | None:
        for i in range(self.i if start is None else start, len(self.cells) if stop is None else stop):
            if pred(self.cells[i].text):
                return i
        return None


def read_form(cells: list[TextCell], index: int, *, year: int | None, layout_hint: str = "") -> tuple[ImportedForm, str]:
    """One form's record and printed figures, and the layout it looks like."""
    form = ImportedForm(index, cells[0].line if cells else 1, None, Printed())
    cur = _Cursor(cells)
    found: list[str] = []
    missing: list[str] = []
    header, texts = _header(cells, form)
    form.project_name = header.get("name", "")
    y = _year(cells, year, form)
    i_fund = cur.find(lambda t: V.funding_column(t) in ("executed", "adjusted"))
    while i_fund and V.funding_column(cells[i_fund - 1].text):
        i_fund -= 1  # the headings before it (年初预算数)
    i_ind = cur.find(lambda t: V.indicator_column(t) == "name" and "三级" in t or V.squash(t) == "指标名称")
    funding, money_unit = (funding_block(cells, i_fund, i_ind, form, layout_hint) if i_fund is not None
                           else (None, "万元"))
    # the goals where they stand: after the funding block, or before it (四川: 项目基本情况 first)
    i_goals = next((k for k in range(i_fund or 0) if V.squash(cells[k].text) in V.GOALS + V.EXPECTED), i_fund)
    expected, achieved = _goals(cells, i_goals or 0, i_ind, form.notes)
    if i_ind is not None:
        items, columns, i_end = _indicators(cells, i_ind, form)
    else:  # a fragment without its heading row: the rows as the layout lays them out
        items, columns, i_end = _headless(cells, layout_hint, form)
    closing = _closing(cells, i_end if i_end is not None else len(cells), form, texts, columns)
    from tui.exchange.formrows import without_scores
    (found if header.get("name") else missing).append("项目名称")
    (found if funding is not None else missing).append("项目资金")
    (found if i_ind is not None else missing).append("绩效指标表头")
    if i_ind is None and items:
        found.append(f"{len(items)} 项指标（按{layout_hint or 'central'}版式的列读入）")
    if closing or without_scores(columns):
        found.append("总分（合计）" if closing else "指标表（不计分：没有分值、得分列）")
    else:
        missing.append("总分（合计）")
    layout = layout_hint or _detect(cells, columns, funding)
    labels = (funding or {}).get("labels", {})
    if not layout_hint and labels.get("total") in V.total_labels(layout):
        del labels["total"]  # the detected layout prints it (总额): not the record's own, as if named
        if not labels and funding is not None:
            del funding["labels"]
    whole = next((c for c in cells[:8] if "部门整体" in _flat(c.text) and "自评" in _flat(c.text)), None)
    if missing and whole is not None and "项目名称" in missing:
        # not a project's form: a department's as a whole has no 项目名称 or 项目资金 to find
        form.problems.append(f"第 {whole.line} 行“{_flat(whole.text)[:24]}”：这是部门整体绩效自评表（整个部门的"
                             "预算执行和绩效指标），不是项目支出绩效自评表：它没有项目名称和项目资金，绩效指标按部门列出")
    form.found = "、".join(found)
    if missing:
        last = next((c for c in reversed(cells) if c.text.strip()), None)  # (not a blank kept in its column)
        where = f"，文本在第 {last.line} 行“{last.text[:20]}”处结束" if last else ""
        form.problems.append(f"表格不完整：找到了{'、'.join(found) or '（无）'}，缺少{'、'.join(missing)}{where}")
        form.missing = "、".join(missing)
    if y is None:
        form.problems.append("表上未印年度，请用 --year 指定")
        y = 0
    fund = funding or {"rows": "total_only"}
    form.record = {
        "format": 2, "id": str(uuid.uuid4()), "year": y, "name": header.get("name", ""),
        "department": header.get("department", ""), "implementer": header.get("implementer", ""),
        "rules": "default", "layout": layout, "money_unit": money_unit, "funding": fund,
        "goals": {"expected": expected, "achieved": achieved},
        "texts": {k: v for k, v in texts.items() if v}, "indicators": items,
    }
    return form, layout


def _detect(cells, columns, funding) -> str:
    if "value" in columns:
        return "sichuan" if funding and funding.get("rows") == "sichuan" else "split"
    if any("财政项目支出绩效自评价" in _flat(c.text) for c in cells[:3]):
        return "shanghai"
    return "central"


def _next_value(cells: list[TextCell], i: int) -> str:
    """The cell after a label, unless it is another label."""
    if i + 1 < len(cells):
        text = cells[i + 1].text.lstrip(":： ")
        sq = V.squash(text)
        if not sq or any(sq.startswith(w) for w in V.SIGNATURES):
            return ""
        if sq not in V.HEADER and sq not in V.UNKEPT_HEADER and not V.funding_column(text) and not any(sq.startswith(w) for w in V.FUNDING_BLOCK):
            return _clean(text)
    return ""


def _header(cells: list[TextCell], form: ImportedForm) -> tuple[dict, dict]:
    header: dict = {}
    texts: dict = {}
    for i, c in enumerate(cells):
        sq = V.squash(c.text)
        if V.indicator_column(c.text) == "name":
            break  # the header is above the indicators (项目负责人: below them is a signature)
        key = V.HEADER.get(sq)
        if key is None and sq.split(":")[0] in V.HEADER and ":" in sq:  # 项目名称:XXX in one cell
            key, value = V.HEADER[sq.split(":")[0]], sq.split(":", 1)[1]
        else:
            value = _next_value(cells, i) if key else ""
        if key and key not in header and key not in texts:
            # the department's code before its name ([301]某区卫生健康委员会): not its name
            value = re.sub(r"^[\[【(（]\d{2,}[\]】)）]\s*", "", value) if key != "name" else value
            (texts if key == "leader" else header)[key] = value
        if key == "name" and header.get("name") and any(V.indicator_column(x.text) == "name" for x in cells[:i]):
            break
    return header, texts


def _year(cells: list[TextCell], year: int | None, form: ImportedForm) -> int | None:
    for c in cells[:12]:
        if _is_title(c.text) or re.search(r"年度", c.text):
            m = _YEAR.search(_flat(c.text))
            if m:
                return int(m.group(1))
    return year


def _goals(cells, start: int, stop: int | None, notes: list[str]) -> tuple[str, str]:
    """预期目标 and 实际完成情况: the cells after their headings. A row of exactly two cells is read
    by position (either may be blank); otherwise the texts in order (a sheet's unmerged blanks).
    Text run together into one (nothing tells where one ends) is read as 预期目标, and said."""
    end = stop if stop is not None else len(cells)
    for i in range(start, end):
        if V.squash(cells[i].text) in V.ACHIEVED:
            rest = [c for c in cells[i + 1:end] if c.explicit or c.text.strip()]
            # up to the indicators' part: their headings, or the label before them (绩效指标)
            rest = rest[:next((k for k, c in enumerate(rest) if V.indicator_column(c.text)
                               or V.squash(c.text) in V.SECTIONS), len(rest))]
            if len(rest) == 1 and not rest[0].explicit:
                notes.append(f"第 {rest[0].line} 行“{rest[0].text.strip()[:40]}”：预期目标与实际完成情况连写，"
                             "无法分开，都读作预期目标，请在记录中分开")
            # the rest of a label wrapped in its narrow cell (年度总体 / 目标), printed before the texts
            heads = [V.squash(c.text) for c in cells[start:i]]
            tail = V.squash(rest[0].text) if rest else ""
            if tail and any(h + tail in V.GOALS for h in heads if h and h not in V.GOALS):
                rest = rest[1:]
            if not rest or V.squash(rest[0].text) in V.ACHIEVED:
                return "", ""
            row = [c for c in rest if c.line == rest[0].line]
            if len(row) != 2 or not all(c.explicit for c in row):
                row = [c for c in rest if c.text.strip()][:2]
            expected = row[0].text.strip() if row else ""
            # not the next part's label (四川: 2.项目实施内容及过程概述)
            label = len(row) > 1 and re.match(r"^\d+\s*[.、]\S{2,16}$", V.squash(row[1].text))
            achieved = row[1].text.strip() if len(row) > 1 and not label else ""
            return expected, achieved
    return "", ""


def _indicators(cells, start: int, form: ImportedForm):
    from tui.exchange.formrows import indicator_rows

    return indicator_rows(cells, start, form)


def _headless(cells, layout: str, form: ImportedForm):
    from tui.exchange.formrows import indicator_rows, is_level1, is_level2
    from tui.printed.layout import LayoutError, load_layout

    start = next((i for i, c in enumerate(cells) if is_level1(c.text) or is_level2(c.text)), None)
    if start is None:
        return [], [], None
    try:
        columns = load_layout(layout or "central").indicator_columns
    except LayoutError:
        columns = load_layout("central").indicator_columns
    return indicator_rows(cells, start, form, list(columns))


def _closing(cells, start: int, form: ImportedForm, texts: dict, columns=()) -> bool:
    printed = form.printed
    seen_total = False
    for i in range(start, len(cells)):
        sq = V.squash(cells[i].text)
        if sq in V.CLOSING_TOTAL and not seen_total:
            seen_total = True
            figures = [c.text for c in cells[i + 1:i + 4]
                       if c.line == cells[i].line or c.explicit or _NUM.match(_flat(c.text))]
            nums = []
            for text in figures:
                if _NUM.match(_flat(text)) or not _flat(text):
                    nums.append(_flat(text))
                else:
                    break
            # a row of a spreadsheet keeps the empty columns of its merged label (总分): its two figures
            row = [_flat(c.text) for c in cells[i + 1:] if c.line == cells[i].line and c.text.strip()]
            if len(row) >= 2 and all(_NUM.match(t) for t in row[:2]):
                nums = row[:2]
            if len(nums) >= 2 and {"weight", "score"} <= set(columns) and \
                    columns.index("score") < columns.index("weight"):
                nums = [nums[1], nums[0], *nums[2:]]  # 得分 printed before 分值: the totals in that order
            printed.weight_total = nums[0] if nums else ""
            printed.total = nums[1] if len(nums) > 1 else ""
            continue
        if sq in V.GRADE:
            printed.grade = _flat(cells[i + 1].text) if i + 1 < len(cells) else ""
        elif sq in V.TEXTS and i + 1 < len(cells):
            texts.setdefault(V.TEXTS[sq], _clean(cells[i + 1].text))
        elif any(sq.startswith(w) for w in V.SIGNATURES):
            # 项目负责人:查小兵    财务负责人:唐勇 — one cell or several
            text = _clean(cells[i].text)
            words = "|".join(V.SIGNATURES)
            for m in re.finditer(rf"({words})\s*[:：]\s*(.*?)\s*(?=(?:{words})\s*[:：]|$)", text):
                texts.setdefault(V.SIGNATURES[m.group(1)], m.group(2).strip())
    return seen_total
