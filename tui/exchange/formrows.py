"""The indicator table of a published form: its headings, then its rows, whatever the text's shape.

Rows are read three ways: a row to a line (a drawn grid, a ``|`` table with a row per line: the
cells of a line are a row, its merged 一级/二级 cells only in its first row); a cell to a line (the
cells counted off under the headings); or cells split by spaces or run together (a name, then the
figures that follow it, placed by how many there are). No I/O, no Textual.
"""

from __future__ import annotations

import re

from tui.exchange import formvocab as V
from tui.exchange.rowlines import row_lines as _row_lines
from tui.exchange.rowplace import by_columns, by_count as _by_count, pair_of, unscored as _unscored
from tui.exchange.rowwords import FIG as _FIG, LEVEL1_WEIGHT as _LEVEL1_WEIGHT, flat as _flat, is_level1, is_level2
from tui.exchange.rowwords import nospace as _nospace, sq as _sq
from tui.exchange.textcells import TextCell

_OP_IN_NAME = re.compile(r"^(?P<name>.*?[^\d≥≤<>=])(?P<target>[≥≤<>=]\s*\d.*)$")
# a rate glued to the name before it (库存数量真实率100%): on a form without scores, its target
_RATE_AFTER_NAME = re.compile(r"^(?P<name>.*[\u4e00-\u9fff])(?P<target>\d+(?:\.\d+)?%)$")
# a row of a form without scores run into one cell: name, target with its unit, an actual in the
# same unit or a blank mark (无, /, —), then the reason (补贴保障率100%无没有轮换、动用库存)
_GLUED_ROW = re.compile(r"^(?P<name>.*[\u4e00-\u9fff])(?P<target>[≥≤<>=]?\d+(?:\.\d+)?(?P<unit>%|万元|吨|人次|人|次|个|天|起|项))"
                        r"(?P<actual>\d+(?:\.\d+)?(?P=unit)|无|/|—)(?P<reason>[^\d%].*)?$")


_NUM = re.compile(r"\d+(?:\.\d+)?")


def _stop(text: str) -> bool:
    sq = _sq(text)
    return sq in V.CLOSING_TOTAL or sq in V.TEXTS or sq in V.GRADE or sq.startswith("注:") \
        or any(sq.startswith(w) for w in V.SIGNATURES) or sq.startswith("评价结论")


def headings(cells: list[TextCell], start: int, unknown: list[str] | None = None) -> tuple[list[str], int]:
    """The indicator columns from the heading row around `start` (the 三级指标 cell), and the index
    of the first cell after them; a heading not known is said in `unknown` (column "other")."""
    i = start
    while i > 0 and V.indicator_column(cells[i - 1].text) in ("level1", "level2"):
        i -= 1
    columns: list[str] = []
    j = i
    while j < len(cells) and (V.indicator_column(cells[j].text) or (columns and j + 1 < len(cells)
                                                                     and _between_headings(cells[j])
                                                                     and V.indicator_column(cells[j + 1].text))):
        key = V.indicator_column(cells[j].text)
        if key:
            columns.append(key)
        j += 1
    # a table that keeps its cells in place (a row to a line): a heading it doesn't know, among or
    # after the known ones on their line, holds its column (so the others stay in place), said
    line = cells[i].line
    while unknown is not None and j < len(cells) and cells[j].explicit and cells[j].line == line \
            and cells[j].text.strip() and not _FIG.match(_flat(cells[j].text)):
        unknown.append(f"第 {line} 行指标表头“{_flat(cells[j].text)}”不是认得的栏目，该栏未读入")
        columns.append("other")
        j += 1
        while j < len(cells) and cells[j].line == line and V.indicator_column(cells[j].text):
            columns.append(V.indicator_column(cells[j].text) or "")
            j += 1
    if "value" in columns and "nature" not in columns and "unit" not in columns:
        columns[columns.index("value")] = "target"  # 指标值 alone: the target, not split in three
    return columns, j


def _between_headings(cell: TextCell) -> bool:
    """An empty cell, or a heading's mark split off it ((A), (B), (B/A), or OCR's (八))."""
    return not cell.text.strip() or bool(re.fullmatch(r"[(（][^)）]{1,3}[)）]", _sq(cell.text)))


def without_scores(columns: list[str]) -> bool:
    """A form whose heading row, read to its figures (年度指标值, 全年完成值, 未完成原因), has no
    分值 and no 得分: its rows are not scored, each weighs 0. (Headings read only to the name, as
    from OCR-damaged text, say nothing either way.)"""
    return (("target" in columns or "value" in columns) and "actual" in columns
            and "weight" not in columns and "score" not in columns)


def indicator_rows(cells: list[TextCell], start: int, form,
                   columns: list[str] | None = None) -> tuple[list[dict], list[str], int]:
    """The rows from the heading row at `start`; or, given `columns` (a layout's, for a fragment
    that lost its headings), from `start` itself."""
    if columns is None:
        columns, i = headings(cells, start, form.notes)
    else:
        columns, i = list(columns), start
    if "level1" not in columns:
        columns.insert(0, "level1")
    post = columns[columns.index("name") + 1:] if "name" in columns else []
    unscored = without_scores(columns)
    end = next((k for k in range(i, len(cells)) if _stop(cells[k].text)), len(cells))
    body = _without_headings(cells[i:end])
    by_line: dict[int, list[TextCell]] = {}
    for c in body:
        by_line.setdefault(c.line, []).append(c)
    explicit = all(c.explicit for c in body)
    if explicit and body and sum(len(v) >= 3 for v in by_line.values()) >= max(1, len(by_line) // 2):
        rows = [_row_of_line(line, post) for line in by_line.values()]
    elif explicit:
        rows = _counted(body, post)
    else:
        rows = (None if unscored else _row_lines(body, post, form.notes)) or _loose(body, post, unscored)
    items, level1, level2 = [], "", ""
    level1_weight = ""
    for row in rows:
        if V.indicator_column(row.get("name", "")) and V.indicator_column(_flat(row.get("weight", ""))):
            continue  # the heading row again, where a long form goes on to a new page
        if row.get("level1_weight"):
            level1_weight = row["level1_weight"]
            continue
        if row.get("level1"):
            level1, level2 = row["level1"], ""
        if row.get("level2"):
            level2 = row["level2"]
            if not row.get("level1") and (not level1 or level1.startswith("(") or level1_weight):
                inferred = V.LEVEL1_OF.get(_sq(level2), "")
                if inferred and not level1.startswith(inferred):
                    level1 = inferred + (f"({level1_weight}分)" if level1_weight else "")
        name = row.get("name", "")
        if "unplaced" in row:
            form.problems.append(f"第 {row.get('at', row['line'])} 行“{name}”：{row['unplaced']}；每行一格的文本没有留下空格子，"
                                 "无法确定哪几栏是空的；请用保留空格的文本（如 pdftotext -layout 或从表格复制）")
            continue
        if not name and not any(row.get(k) for k in post):
            continue  # an empty row of the table
        target = row.get("target", "")
        if "value" in row or "nature" in row:
            target = f"{V.operator_of(row.get('nature', ''))}{row.get('value', '')}{row.get('unit', '')}"
        weight = _flat(row.get("weight", "")) or ("0" if unscored and name else "")
        if explicit and re.fullmatch(r"\d+(?:\.\d+)?%", weight):  # 权重 30% of the 100 points, in its column
            weight = weight[:-1]
            form.notes += [] if any("权重印作百分比" in n for n in form.notes) else [
                f"第 {row['line']} 行起权重印作百分比（{weight}%），按百分制读作分值 {weight}"]
        if not re.fullmatch(r"\d+(?:\.\d+)?", weight):
            if name and weight and weight not in ("—", "/", "-", "——", "／", "－") and not row.get("cut"):
                form.problems.append(f"第 {row['line']} 行“{name}”的分值“{weight}”不是数字")
                continue
            if name and name.strip("…. ") and not re.fullmatch(r"指标\d+[:：]?", _sq(name)):
                form.notes.append(f"第 {row['line']} 行“{name}”没有分值（“{weight or '空'}”），未作为指标读入")
            continue
        if unscored and not target and re.search(r"\d", name):
            form.notes.append(f"第 {row['line']} 行“{name}”：没有读出年度指标值（名称、指标值和完成值连写，"
                              "无法分开），请在记录中改正")
        item = {"level1": level1, "level2": level2, "name": name, "target": _value(target),
                "actual": _value(row.get("actual", "")), "weight": weight}
        if row.get("reason", "").strip():
            item["reason"] = row["reason"].strip()
        items.append(item)
        form.printed.indicator_scores.append(_flat(row.get("score", "")))
    return items, columns, end


def _without_headings(cells: list[TextCell]) -> list[TextCell]:
    """The rows without the heading row printed again on a new page (绩效指标, 一级指标 … 得分): a
    run of headings holding 一级指标 and 三级指标, whatever the text's shape."""
    if not any("一级" in c.text for c in cells):
        return cells  # (no 一级指标 heading among them: the common case, at no cost)
    out: list[TextCell] = []
    k = 0
    while k < len(cells):
        j = k + (_sq(cells[k].text) in V.SECTIONS)
        while j < len(cells) and V.indicator_column(cells[j].text):
            j += 1
        if {"level1", "name"} <= {V.indicator_column(c.text) for c in cells[k:j]}:
            k = j
            continue
        out.append(cells[k])
        k += 1
    return out


def _value(text: str) -> str:  # a target or actual as printed, its cell's line breaks gone
    return text.replace("\n", "").strip()


def _lead(cells: list[TextCell], extra: int) -> tuple[dict, list[TextCell]]:
    """The 一级/二级 cells at the head of a row: by count where the row is whole, else by word."""
    out: dict = {}
    texts = [c.text for c in cells[:2]] + ["", ""]
    if extra >= 2 or (is_level1(texts[0]) and is_level2(texts[1])):
        out["level1"], out["level2"] = _nospace(texts[0]), _nospace(texts[1])
        return out, cells[2:]
    if extra == 1 or (extra < 1 and is_level2(texts[0])):
        out["level2"] = _nospace(texts[0])
        return out, cells[1:]
    if is_level1(texts[0]):
        out["level1"] = _nospace(texts[0])
        return out, cells[1:]
    return out, cells


def _row_of_line(line: list[TextCell], post: list[str]) -> dict:
    lead, rest = _lead(line, len(line) - len(post) - 1)
    row = {**lead, "line": line[0].line}
    if rest:
        row["name"] = re.sub(r"\s+", "", rest[0].text) if "\n" in rest[0].text else rest[0].text.strip()
        placed = dict(zip(post, (c.text for c in rest[1:])))
        unit = _flat(placed.get("unit", ""))
        if len(rest) - 1 < len(post) and (not _NUM.fullmatch(_flat(placed.get("weight", "0")))
                                          or re.search(r"\d", unit) or unit and unit == _flat(placed.get("value", ""))):
            # a short row whose cells, counted off, put a figure under 度量单位 or a word under 分值:
            # a cell inside it was dropped (an empty one), so placed by its scores instead
            placed = by_columns([c.text for c in rest[1:]], post, strict=True) or placed
        row.update(placed)
    return row


def _counted(cells: list[TextCell], post: list[str]) -> list[dict]:
    rows, i = [], 0
    while i < len(cells):
        row: dict = {"line": cells[i].line}
        if is_level1(cells[i].text):
            row["level1"] = _nospace(cells[i].text)
            i += 1
        if i < len(cells) and is_level2(cells[i].text, short=i + 1 < len(cells) and not is_level2(cells[i + 1].text)):
            row["level2"] = _nospace(cells[i].text)
            i += 1
            if i < len(cells) and is_level2(cells[i].text) and "level1" not in row:  # 满意度指标, 服务对象…
                row["level1"], row["level2"] = row["level2"], _nospace(cells[i].text)
                i += 1
        if i >= len(cells):
            rows.append(row)
            break
        row["name"], row["at"] = cells[i].text.strip(), cells[i].line
        values = cells[i + 1:i + 1 + len(post)]
        # a level label ends the row: its empty cells left no trace (one cell to a line)
        short = next((k for k, c in enumerate(values) if is_level1(c.text) or is_level2(c.text)), None)
        if short is not None:
            values = values[:short]
            placed = by_columns([c.text for c in values], post, strict=True)
            row.update(placed if placed is not None else {"unplaced": f"这一行只有 {len(values)} 格（表头 {len(post)} 栏）"})
        else:
            row.update((k, c.text) for k, c in zip(post, values))
            row["cut"] = i + 1 + len(post) > len(cells)
            said = _flat(row.get("score", ""))
            if said not in ("", "—", "/", "-", "——") and not _NUM.fullmatch(said):
                # a word under 得分: the row took the next one's cells
                row["unplaced"] = f"得分栏读到“{said[:12]}”，不是数字"
        i += 1 + len(values)
        rows.append(row)
    return rows


def _loose(cells: list[TextCell], post: list[str], unscored: bool = False) -> list[dict]:
    """Cells split by spaces or run together: a name, then its figures; a word split over two
    lines (经济效益 / 指标) is joined back. On a form without scores the figures after a name are
    its target and actual, printed together (100%100%, 0起0起, 高高) or apart."""
    words = [c for c in cells if c.text.strip() not in ("……", "…", "...") and _sq(c.text) not in V.SECTIONS]
    merged: list[TextCell] = []
    for c in words:
        if merged and is_level2(merged[-1].text + c.text) and not is_level2(merged[-1].text):
            merged[-1] = TextCell(merged[-1].text + c.text, merged[-1].line, False)
        else:
            merged.append(c)
    rows: list[dict] = []
    row: dict | None = None
    figures: list[str] = []

    def close():
        if row is not None:
            if unscored:
                row.update(_unscored(figures, post))
            else:
                row.update(_by_count(figures, post))
            rows.append(row)

    pending: dict = {}
    last_level = False  # the cell before was a level-2 label
    for c in merged:
        text = c.text.strip()
        follows_level, last_level = last_level, False
        m = _LEVEL1_WEIGHT.match(_flat(text))
        if m:
            close()
            row, figures = None, []
            rows.append({"level1_weight": m.group(1), "line": c.line})
            continue
        if is_level1(text) and not figures and row is None or (is_level1(text) and row is not None):
            close()
            row, figures = None, []
            pending = {"level1": _nospace(text)}
            continue
        if is_level2(text):
            close()
            row, figures = None, []
            if follows_level and "level2" in pending and "level1" not in pending and \
                    any(_sq(pending["level2"]).startswith(w) for w in V.LEVEL1):
                # two level labels one after the other (满意度指标, 服务对象满意度指标): the
                # first is level 1
                pending["level1"] = pending.pop("level2")
            pending = {**pending, "level2": _nospace(text)}
            last_level = True
            continue
        if row is not None and (_FIG.match(_flat(text)) or unscored and pair_of(text)) \
                and len(figures) < len(post):
            figures.append(text)
            continue
        close()
        name, target = text, ""
        m = _OP_IN_NAME.match(text) or (_RATE_AFTER_NAME.match(text) if unscored else None)
        glued = _GLUED_ROW.match(text) if unscored and not m else None
        if m:
            name, target = m["name"], m["target"]
        row, figures = {**pending, "name": name, "line": c.line}, ([target] if target else [])
        if glued:  # 补贴保障率100%无没有轮换: name, target, actual, then the reason
            row["name"] = glued["name"]
            figures = [glued["target"], glued["actual"]] + ([glued["reason"]] if glued["reason"] else [])
        pending = {}
    close()
    return rows
