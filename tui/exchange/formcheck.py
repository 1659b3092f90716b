"""Reading a published form's text into records and checking each against the rules.

`read_text` finds the text's shape (tui.exchange.textcells), its forms and their layouts (tui.exchange.formreader);
`check_read` scores each record with the rule profile and reports every printed figure the rules
do not give, with both figures. A form whose own figures disagree still imports: the disagreements
are the record's validation errors, for the clerk to fix in the record. A cut-off form is refused
with what was found and what is missing, or, with `partial`, imported marked incomplete.
No I/O, no Textual.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tui.exchange.formfunding import is_blank
from tui.exchange.formreader import read_form, split_forms
from tui.exchange.nearwords import mend
from tui.exchange.script import restore, simplified
from tui.exchange.textcells import cells_of
from tui.exchange.textform import ImportedForm, TextImport

SHAPES = {"grid": "画线表格", "pieces": "画线表格（断成小段，已按边框拼回整行）", "pipes": "“|”分隔的表格", "tabs": "制表符分隔的表格（从 Excel、WPS 或 Word 复制）", "lines": "每行一格", "spaced": "空格分隔",
          "run": "各格连写在一行"}


NOT_A_FORM = "不是绩效自评表的文本：没有找到自评表的标题或“项目名称”"

def read_text(text: str, *, year: int | None = None, layout: str = "", partial: bool = False) -> TextImport:
    """Every form of `text` (any shape). `layout` names the layout (default: detected, and said
    in each form's notes); `partial` imports a cut-off form, marked incomplete."""
    if not text.strip():
        return TextImport([], ["文本为空：没有任何内容"])
    script = simplified(text)
    shape, cells = cells_of(script.text)
    mended: list[str] = []
    if shape not in ("grid", "pieces"):  # a drawn table is a program's print, never OCR's
        fixed, mended = mend(script.text)
        if mended:
            shape, cells = cells_of(fixed)
    parts = split_forms(cells)
    if not parts:
        return TextImport([], [NOT_A_FORM])
    forms: list[ImportedForm] = []
    skipped: list[str] = []
    for part in parts:
        form, found = read_form(part, len(forms) + 1, year=year, layout_hint=layout)
        if not form.found and len(parts) > 1:
            # text between forms or before the first (a report's prose) that holds none of a
            # form's parts: said, not imported as an empty record
            skipped.append(f"第 {part[0].line}–{part[-1].line} 行没有自评表的内容（项目名称、项目资金、绩效指标），"
                           "未当作表导入")
            continue
        form.notes[:0] = [f"文本形式：{SHAPES[shape]}；版式：{found}" + ("" if layout else "（自动识别）"),
                          *script.notes, *mended, *skipped]
        skipped = []
        if form.record is not None:
            restore(form.record, script)
        form.project_name = script.back(form.project_name)
        missing = form.missing
        if missing and partial and form.record is not None:
            form.record["incomplete"] = f"表格不完整，缺少{missing}"
            form.problems = [p for p in form.problems if not p.startswith("表格不完整")]
            form.notes.append(f"按 --partial 导入不完整的表（缺少{missing}），记录标为不完整")
        elif missing:
            at = next(n for n, p in enumerate(form.problems) if p.startswith("表格不完整"))
            form.problems[at] += "；可用 --partial 导入已有部分"
        forms.append(form)
    if skipped and forms:
        forms[-1].notes += skipped
    return TextImport(forms) if forms else TextImport([], [NOT_A_FORM, *skipped])


def _dec(text: str) -> Decimal | None:
    try:  # 166（未定）: a total printed while its record had errors
        return Decimal(text.replace("(未定)", "").replace("（未定）", "").rstrip("%"))
    except (InvalidOperation, AttributeError):
        return None


def _fewer_places(value: Decimal, amounts, rules) -> bool:
    """A rate printed with fewer decimals than the rules give (95.2% for 95.23…%, 86% for 86.18…%)
    that is the rate rounded the rules' way to the places printed: the same figure, said shorter."""
    from tui.core.rules import ROUNDINGS

    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0
    f = rules.figure("rate")
    if places >= f.places or amounts.adjusted is None or amounts.executed is None or not amounts.adjusted:
        return False
    raw = amounts.executed / amounts.adjusted * 100
    return raw.quantize(Decimal(1).scaleb(-places), ROUNDINGS[f.rounding]) == value


def check_read(form: ImportedForm, rules) -> None:
    """Score the record with `rules`; a printed indicator score that differs becomes the evaluator's
    score; every printed figure the rules don't give is a disagreement naming both figures."""
    from tui.core.format import amount, fixed
    from tui.core.model import AMOUNT_FIELDS
    from tui.core.scoring import score
    from tui.store.codec import RecordError, record_from_dict, record_to_dict
    from tui.core.validation import ERROR, validate

    if form.record is None or form.problems:
        return
    record, printed = form.record, form.printed
    record["rules"] = rules.name
    try:
        project = record_from_dict(record, form.name)
    except RecordError as exc:
        form.problems.append(f"记录无效：{exc}")
        return
    sheet = score(project, rules)
    for n, (item, result) in enumerate(zip(record["indicators"], sheet.indicators)):
        if not result.applicable:  # 不适用: its score cell holds a mark, not a figure (R9)
            continue
        said = printed.indicator_scores[n] if n < len(printed.indicator_scores) else ""
        value = _dec(said)
        if not said:
            form.notes.append(f"第 {n + 1} 项“{item['name']}”表上未填得分，按规则计算")
        elif value is None:
            form.disagreements.append(f"第 {n + 1} 项“{item['name']}”的得分“{said}”不是数字")
        elif value != result.score and (result.computed is None or value != result.computed):
            item["score"] = said
            computed = "无法计算" if result.computed is None else sheet.show(result.computed, "indicator_score")
            form.notes.append(f"第 {n + 1} 项“{item['name']}”：表上得分 {said}，按规则为 {computed}，记为评价人的评分")
    funding_said = _dec(printed.funding_score)
    if funding_said is not None and funding_said != sheet.funding_score and "funding" in record:
        record["funding"]["score"] = printed.funding_score
        form.notes.append(f"资金得分：表上 {printed.funding_score}，按规则为 "
                          f"{sheet.show(sheet.funding_score, 'funding_score')}，记为手填的资金得分")
    project = record_from_dict(record, form.name)
    sheet = score(project, rules)

    def differ(what: str, said: str, computed, figure: str, unit: str = "", amounts=None) -> None:
        if not said or (computed is None and is_blank(said.removesuffix(unit))):
            return  # the form leaves it blank (—, /), or prints a blank where none can be computed
        value = _dec(said)
        shown = sheet.show(computed, figure) if computed is not None else "—"
        if value is not None and amounts is not None and _fewer_places(value, amounts, rules):
            form.notes.append(f"{what}表上印 {said}{unit}（少印了小数位），与按规则计算的 {shown}{unit} 一致")
        elif value is None or computed is None or value != computed:
            form.disagreements.append(f"{what}：表上 {said}{unit}，按规则为 {shown}{unit}")

    differ("执行率", printed.rate, sheet.rate, "rate", "%", sheet.rows[0].amounts)
    differ("资金得分", printed.funding_score, sheet.funding_score, "funding_score")
    for row in sheet.rows[1:]:
        if row.key in printed.row_rates:
            differ(f"{project.funding.label(row.key)}执行率", printed.row_rates[row.key], row.rate, "rate", "%",
                   row.amounts)
    if printed.weight_total and _dec(printed.weight_total) != sheet.weight_total:
        form.disagreements.append(f"分值合计：表上 {printed.weight_total}，各项分值之和为 {fixed(sheet.weight_total)}")
    differ("总分", printed.total, sheet.total, "total")
    # a grade printed while its record had errors carries the mark (优（未定：2 个错误）), as a
    # total does (_dec): the grade is what stands before it
    grade = re.split(r"[（(]\s*未定", printed.grade)[0].strip()
    if grade and grade != sheet.grade:
        form.disagreements.append(f"评分等级：表上 {printed.grade}，按总分应为 {sheet.grade}")
    # The rate, scores and total follow the stated total, so a row whose cells moved over (a cell
    # deleted in the sheet) agrees with them: say where the rows don't add up to it.
    stated, summed = project.funding.stated_total, project.funding.summed
    for field, label in AMOUNT_FIELDS if stated is not None else ():
        said, rows = getattr(stated, field), getattr(summed, field)
        if said is not None and rows is not None and said != rows:
            form.notes.append(f"年度资金总额的{label}：表上 {amount(said)}，各分项之和为 {amount(rows)}")
    for problem in validate(project, rules, sheet):
        if problem.level == ERROR:
            form.notes.append(f"记录的校验错误（导入后在记录中修改）：{problem.path} {problem.message}")
    # written in the lowest record format that holds it (a seed-like form stays format 1)
    form.record = record_to_dict(project, lowest=True)
