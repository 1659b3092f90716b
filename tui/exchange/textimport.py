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

from decimal import Decimal

from tui.exchange.formcheck import read_text
from tui.core.model import FUNDING_ROWS
from tui.exchange.seedform import parse_form
from tui.exchange.textcells import cells_of
from tui.exchange.textform import (ImportedForm, Printed, TextImport, _dec, normalize_amount, normalize_value,
                       split_forms, width)

__all__ = ["ImportedForm", "Printed", "TextImport", "check_form", "import_text", "normalize_amount",
           "normalize_value", "parse_form", "split_forms", "width"]



def import_text(text: str, *, year: int | None = None, layout: str = "",
                partial: bool = False) -> TextImport:
    """Find and parse every form of `text`, whatever its shape. `year` is used when a form does not
    print its year; `layout` names the form layout (default: detected); `partial` imports a cut-off
    form marked incomplete. The seed's ``pdftotext`` text (one cell to a line, wraps inside cells)
    is read by `_seed_text` below; every other shape, and any text it can't read, by tui.exchange.formcheck."""
    if cells_of(text)[0] == "lines" and layout in ("", "shanghai") and not partial:
        seed = _seed_text(text, year=year)
        if seed.ok:
            return seed
        other = read_text(text, year=year, layout=layout, partial=partial)
        # the reader that places more forms wins, then the one that found more of them whole
        # (its messages say what is wrong inside, not that parts are missing); a tie, the seed's
        return other if _placed(other) > _placed(seed) else seed
    return read_text(text, year=year, layout=layout, partial=partial)


def _placed(result: TextImport) -> tuple[int, int]:
    whole = sum(not any(p.startswith("表格不完整") for p in f.problems) for f in result.forms)
    return sum(f.ok for f in result.forms), whole


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
# Checking a form against itself


def check_form(form: ImportedForm, rules) -> None:
    """Score the record with `rules` (a tui.core.rules.Rules), record the printed indicator scores that
    differ from the computed ones as the evaluator's, and fill `form.disagreements` with every
    printed figure the rules do not reproduce. Problems building the record go to `form.problems`."""
    from tui.core.format import fixed
    from tui.core.scoring import score
    from tui.store.codec import RecordError, record_from_dict
    from tui.core.validation import ERROR, validate

    if form.record is not None and form.record.get("format") == 2:
        from tui.exchange.formcheck import check_read  # a form read by the general reader

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
        if not result.applicable:  # 不适用: its score cell holds a mark, not a figure (R9)
            continue
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

    def differ(what: str, said: str, computed: Decimal | None, unit: str = "") -> None:
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
