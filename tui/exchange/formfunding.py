"""The funding block of a published form (项目资金, 预算执行情况): its headings, then its rows
(年度资金总额 and its parts), each row's figures placed under the headings: by position where the
text keeps empty cells, by what they are where it does not; figures run together split by the
columns (tui.exchange.figuresplit). A heading or a row's label not known is said. No I/O, no Textual.
"""

from __future__ import annotations

import re
import unicodedata

from tui.core.model import BLANK_MARKS, ROW_SETS
from tui.exchange import figuresplit
from tui.exchange import formvocab as V
from tui.exchange.textcells import TextCell
from tui.exchange.textform import ImportedForm
from tui.printed.layout import FUNDING_COLUMNS

NUM = re.compile(r"^[≥≤><=]?-?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*(万元|万|元|萬)?$")
_AMOUNT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(万元|万|元|萬)?$")
_STATED_WEIGHT = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分")


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", clean(text))


def is_blank(text: str) -> bool:
    return flat(text) in BLANK_MARKS or flat(text) in ("-", "—", "/", "无", "——")


_UNIT_MARK = re.compile(r"[(（]\s*(?:单位\s*[:：]?\s*)?(万元|元)\s*[)）]")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万元|元)(?![\u4e00-\u9fff])")  # not 实施单位：元宝区…


def _money_unit(cells, start: int, end: int) -> str:
    """The block's unit of money: where the form states it — 项目资金（元） before the headings or
    wrapped under them (项目资金 / （元）), a line 单位：元 above the table — else the unit every
    amount of the block carries (1,200,000元); 万元 when nothing says."""
    near = " ".join(c.text for c in cells[max(0, start - 3):end])
    m = _UNIT_MARK.search(clean(near)) or _UNIT_LINE.search(clean(" ".join(c.text for c in cells[:end])))
    if m:
        return m.group(1)
    units = {(_AMOUNT.match(flat(c.text).replace(",", "")) or [None, None])[2] for c in cells[start:end]
             if _amount(c.text)}
    return "元" if units == {"元"} else "万元"


def _amount(text: str) -> str | None:
    """A printed amount as the record keeps it ("150万" -> "150", "1,248.00" -> "1248.00"); "" blank."""
    plain = flat(text)
    if is_blank(plain):
        return ""
    if "," in plain:  # a comma groups thousands (1,248.00); 1230,37 is no amount, not 123037
        if not _GROUPED.match(plain):
            return None
        plain = plain.replace(",", "")
    m = _AMOUNT.match(plain)
    return m.group(1) if m else None


def funding_block(cells, start: int, stop: int | None, form: ImportedForm, layout: str = ""):
    heads: list[str] = []
    i = start
    line = cells[start].line if start < len(cells) else 0
    while i < len(cells) and (V.funding_column(cells[i].text) or (not cells[i].text.strip() and not heads)
                              or _unknown_heading(cells, i, line, heads)):
        head = V.funding_column(cells[i].text)
        if not head and cells[i].text.strip():
            form.notes.append(f"第 {line} 行资金表头“{flat(cells[i].text)}”不是认得的栏目，该栏未读入")
        if head or cells[i].text.strip():
            heads.append(head or "other")
        i += 1
    columns = [h for h in heads if h != "reason"]
    rows: dict[str, dict] = {}
    labels: dict[str, str] = {}
    row_set = ""
    end = stop if stop is not None else len(cells)
    printed = form.printed
    weight = ""
    # the block's weight where the headings state it (预算执行情况(万元)(20分), 得分(20分*执行率))
    stated = _STATED_WEIGHT.search(" ".join(c.text for c in cells[max(0, start - 3):i]))
    if 0 < start and i < end and V.row_key(cells[start - 1].text) == ("", "total") and V.row_key(cells[i].text) is None:
        # 年度资金总额 printed before the headings, its figures after them (a row run into its heading row)
        cells, i = cells[:start - 1] + cells[start:i] + [cells[start - 1]] + cells[i:], i - 1
    while i < end:
        key = V.row_key(cells[i].text, row_set)
        if key is None:
            if V.squash(cells[i].text) in V.GOALS or any(V.squash(cells[i].text).startswith(g) for g in V.GOALS):
                break
            if cells[i].explicit and rows and i + 1 < end and cells[i + 1].line == cells[i].line \
                    and _amount(cells[i].text) is None and cells[i + 1].text.strip() \
                    and _amount(cells[i + 1].text) is not None:  # a label, then an amount or a blank mark
                form.notes.append(f"第 {cells[i].line} 行资金行“{flat(cells[i].text)}”不是认得的资金来源，未读入")
            i += 1
            continue
        rset, rkey = key
        row_set = row_set or rset
        j = i + 1
        values: list[TextCell] = []
        # a row printed on one line ends with it (a | table drops a short row's empty cells)
        one_line = cells[i].explicit and sum(c.line == cells[i].line for c in cells[i:i + 3]) >= 2
        while j < end and V.row_key(cells[j].text, row_set) is None and len(values) < len(heads) \
                and not (one_line and cells[j].line != cells[i].line) \
                and not V.indicator_column(cells[j].text) \
                and not any(V.squash(cells[j].text).startswith(g) for g in V.GOALS):
            values.append(cells[j])
            j += 1
        label = re.sub(r"^其中\s*[:：]\s*", "", clean(cells[i].text)).rstrip(":：")
        values = _untouch(values, heads, label, form)
        placed = _place(values, heads)
        if rkey != "total" and label != V.default_label(rkey):
            labels[rkey] = label
        elif rkey == "total" and label not in V.total_labels(layout):
            labels["total"] = label
        rows[rkey] = {f: _amount(placed.get(f, "")) or "" for f in ("budget", "adjusted", "executed")}
        for f in ("budget", "adjusted", "executed"):
            if _amount(placed.get(f, "")) is None:
                form.notes.append(f"第 {cells[i].line} 行“{label}”的“{placed[f]}”不是金额，按空白读入")
        rate = flat(placed.get("rate", "")).rstrip("%")
        if rkey == "total":
            printed.rate, printed.funding_score = rate, flat(placed.get("score", ""))
            weight = flat(placed.get("weight", ""))
        elif rate and not is_blank(rate):
            printed.row_rates[rkey] = rate
        i = j
    money_unit = _money_unit(cells, start, i)
    if not rows:
        return None, money_unit
    row_set = row_set or ("central" if len(rows) > 1 else "total_only")
    if row_set not in ROW_SETS:
        row_set = "central"
    keys = [k for k, _ in ROW_SETS[row_set]]
    fund: dict = {}
    if (not weight or is_blank(weight)) and stated:
        weight = stated.group(1)
    if weight and not is_blank(weight) and NUM.match(weight):
        fund["weight"] = weight
    elif "weight" not in columns and "score" not in columns:
        fund["weight"] = "0"  # the funding block prints no 分值 and no 得分: not scored
    fund["rows"] = row_set
    if "budget" not in columns:
        fund["budget_column"] = False
    if labels:
        fund["labels"] = {k: v for k, v in labels.items() if k in keys or k == "total"}
    if "total" in rows:
        fund["total"] = rows["total"]
    for k in keys:
        fund[k] = rows.get(k, {"budget": "", "adjusted": "", "executed": ""})
    return fund, money_unit


def _unknown_heading(cells: list[TextCell], i: int, line: int, heads: list[str]) -> bool:
    """A heading not known on the line of known ones, in a table that keeps its cells in place,
    followed by another known one: it holds its column, so the ones after stay in place."""
    return (bool(heads) and cells[i].explicit and cells[i].line == line and bool(cells[i].text.strip())
            and not NUM.match(flat(cells[i].text)) and V.row_key(cells[i].text) is None
            and any(V.funding_column(c.text) for c in cells[i + 1:i + 4] if c.line == line))


def _untouch(values: list[TextCell], heads: list[str], label: str, form: ImportedForm) -> list[TextCell]:
    """A row's figures run together in one cell (``194.9194.9100%``) split by its columns when only
    one split fits them (tui.exchange.figuresplit); else said, naming the line, and left for the reader."""
    for n, cell in enumerate(values):
        if cell.explicit or not figuresplit.touching(cell.text):
            continue
        # the cell stands under the n-th heading and runs on over some of the next ones
        span = heads[n:]
        ways = [w for m in range(len(span), 1, -1) for w in figuresplit.split_touching(cell.text, span[:m])]
        if len(ways) == 1:
            return values[:n] + [TextCell(t, cell.line, explicit=False) for t in ways[0]] + values[n + 1:]
        heading = "、".join(FUNDING_COLUMNS.get(h, h) for h in span)
        why = ("可分为 " + " 或 ".join("/".join(w) for w in ways[:3]) + "，无法确定"
               if ways else "没有一种分法与各栏相符")
        form.notes.append(f"第 {cell.line} 行“{label}”的“{cell.text}”是几个数字连写（{heading}），{why}："
                          "未分开，请在记录中填写")
        return [c for c in values if c is not cell]
    return values


def _place(values: list[TextCell], heads: list[str]) -> dict[str, str]:
    """A row's cells under its headings: by position where empty cells were kept or none is
    missing (a rate printed without its %: 880 880 880 10 100 10), else by kind."""
    if all(v.explicit for v in values) or len(values) == len(heads):
        return {h: v.text for h, v in zip(heads, values)}
    out: dict[str, str] = {}
    money = [h for h in heads if h in ("budget", "adjusted", "executed")]
    rest = [h for h in heads if h not in money and h != "rate"]
    numbers = [v.text for v in values if _amount(v.text) not in (None, "")]
    others = [v.text for v in values if _amount(v.text) in (None, "") and "%" not in v.text]
    percent = [v.text for v in values if "%" in v.text]
    if len(numbers) >= len(money):
        out.update(zip(money, numbers[:len(money)]))
        numbers = numbers[len(money):]
    else:
        out.update(zip(money, [""] * len(money)))
    if percent:
        out["rate"] = percent[0]
    out.update(zip(rest, numbers + others))
    return out


