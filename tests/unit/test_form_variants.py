"""Forms as a clerk of another department has them, made here from the samples: a table copied
out of Excel/WPS/Word (tab-separated, merged cells left empty), headings worded otherwise or damaged
by OCR. Each reads as the form it was made from; what can't be read is named with line and text.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tui.core.rules import load_rules
from tui.exchange.textcells import cells_of
from tui.exchange.textimport import check_form, import_text
from tui.printed.xlsx import META, form_sheet
from tui.core.scoring import score
from tui.store.codec import record_from_dict
from tui.store.recordfile import load
from conftest import OTHER, SAMPLES

SPACED_LABELS = {"01", "09"}  # level labels printed with a space a cell can't keep (see test_import_forms)
RECORDS = sorted(SAMPLES.glob("*.toml")) + sorted(p for p in OTHER.glob("*.toml") if not p.name.startswith("10-"))


def copied_from_excel(path) -> str:
    """The text a clerk gets by selecting a form's sheet in Excel and pasting it: a row to a line,
    cells between tabs, a merged cell's value in its first column and its other columns empty
    (zipin's hidden keys beside the form left out, as a clerk's sheet has none); a cell holding line
    breaks in double quotes, as Excel puts it on the clipboard."""
    project = load(path).project
    ws = Workbook().active
    form_sheet(ws, project, score(project, load_rules(project.rules, path.parent)))
    lines = []
    for row in ws.iter_rows(values_only=True):
        cells = ["" if v is None else str(v) for v in row]
        if any(c in META for c in cells):
            cells = cells[:next(k for k, c in enumerate(cells) if c in META)]
        lines.append("\t".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if "\n" in c else c for c in cells))
    return "\n".join(lines)


def imported(text: str, rules, **kw):
    result = import_text(text, **kw)
    for form in result.forms:
        check_form(form, rules)
    return result


def _unspaced(project):
    items = tuple(dataclasses.replace(i, level1=i.level1.replace(" ", ""), level2=i.level2.replace(" ", ""))
                  for i in project.indicators)
    return dataclasses.replace(project, indicators=items)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name[:2] + p.parent.name)
def test_a_form_copied_from_excel_comes_back_as_the_same_record(path):
    project = load(path).project
    rules = load_rules(project.rules, path.parent)
    text = copied_from_excel(path)
    assert cells_of(text)[0] == "tabs"
    result = imported(text, rules, layout=project.layout)
    (form,) = result.forms
    assert form.ok, form.problems
    assert not form.disagreements
    form.record["id"] = project.id
    if not project.layout:
        form.record.pop("layout")
    back = record_from_dict(form.record, form.name)
    if path.parent == OTHER and path.name[:2] in SPACED_LABELS:
        project, back = _unspaced(project), _unspaced(back)
    assert back == project


def test_a_blank_cell_under_a_heading_stays_blank_and_merged_columns_do_not_shift_the_figures():
    # 年初预算数 blank in the total row, 执行率 blank in 其中 rows: under a heading, so blanks of the
    # form; the columns between (a spreadsheet's merged cells) are dropped
    text = "\n".join([
        "项目支出绩效自评表",
        "（2022年度）",
        "项目名称\t\t乡村道路养护经费",
        "主管部门\t\t某县交通运输局\t\t实施单位\t\t某县公路事务中心",
        "项目资金（万元）\t\t\t年初预算数\t\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "\t年度资金总额\t\t\t\t200\t150\t10\t75%\t7.5",
        "\t其中：当年财政拨款\t\t\t\t200\t150\t—\t\t—",
        "\t上年结转资金\t\t\t\t\t\t—\t\t—",
        "\t其他资金\t\t\t\t\t\t—\t\t—",
        "年度总体目标\t预期目标\t\t\t\t实际完成情况",
        "\t养护农村公路120公里\t\t\t\t养护农村公路120公里",
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "\t产出指标\t数量指标\t养护里程\t≥120公里\t120公里\t50\t50\t",
        "\t\t时效指标\t完成时间\t12月底前\t12月底前\t20\t20",
        "\t满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t85%\t20\t18\t部分路段施工影响通行",
        "总分\t\t\t\t\t\t100\t95.5",
    ])
    assert cells_of(text)[0] == "tabs"
    (form,) = imported(text, load_rules("default", OTHER)).forms
    assert form.ok, form.problems
    p = record_from_dict(form.record, form.name)
    total = p.funding.stated_total
    assert (total.budget, total.adjusted, total.executed) == (None, 200, 150)
    assert form.printed.rate == "75" and form.printed.row_rates == {}
    assert p.department == "某县交通运输局" and p.implementer == "某县公路事务中心"
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight) for i in p.indicators] == [
        ("产出指标", "数量指标", "养护里程", "≥120公里", "120公里", 50),
        ("产出指标", "时效指标", "完成时间", "12月底前", "12月底前", 20),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "85%", 20)]
    assert p.indicators[2].reason == "部分路段施工影响通行"
    assert form.printed.weight_total == "100" and form.printed.total == "95.5"


def test_an_ocr_damaged_run_together_form_reads_its_headings_and_funding():
    # a made 07-like text: cells run together, headings misread (项Fl资金, 年初预匏数, 考值参分),
    # 年度资金总额 before the headings and its figures after them, then the next part's words
    text = ("2、某县本级部门项目支出绩效自评表(2022年)项目名称乡镇文化站运行经费主管部门某县文化旅游局"
            "实施单位某县文化馆项Fl资金(万元)年度资金总额年初预匏数全年预算数全年执行数(B)执行率(B/A)"
            "80.580.572.590.06%年度总体目标开展文化活动12场\n"
            "一级指标二级指标三级指标考值参分指标值(A)全年实际值(B)得分未完成原因分析及改进措施"
            "产出指标数量指标文化活动场次50≥12场12场50满意度指标服务对象满意度指标群众满意度50≥90%95%50")
    (form,) = imported(text, load_rules("default", OTHER), partial=True).forms
    assert form.ok, form.problems
    for misread, heading in (("项Fl资金", "项目资金"), ("年初预匏数", "年初预算数"), ("考值参分", "参考分值")):
        assert f"“{misread}”按字形读作“{heading}”" in " ".join(form.notes)
    p = record_from_dict(form.record, form.name)
    total = p.funding.stated_total
    assert (total.budget, total.adjusted, total.executed) == (80.5, 80.5, 72.5)
    assert form.printed.rate == "90.06"
    assert p.name == "乡镇文化站运行经费" and p.year == 2022


def _amounts(p):
    rows = [p.funding.stated_total] + [getattr(p.funding, k, None) for k in (
        "appropriation", "carried_over", "other", "fiscal", "special_account", "unit", "subsidy")]
    return [(r.budget, r.adjusted, r.executed) for r in rows if r is not None]


def _reworded(path, *subs):
    project = load(path).project
    rules = load_rules(project.rules, path.parent)
    text = copied_from_excel(path)
    for was, now in subs:
        assert was in text
        text = text.replace(was, now)
    (form,) = imported(text, rules, layout=project.layout).forms
    return project, form


# forms with 其中 rows, 年初预算数 and 偏差原因分析: the seed's (shanghai) and the central template's
CENTRAL = [p for p in RECORDS if (p.parent, p.name[:3]) in ((SAMPLES, "01-"), (SAMPLES, "11-"), (OTHER, "01-"),
                                                         (OTHER, "04-"))]
OTHER_04 = next(p for p in RECORDS if p.parent == OTHER and p.name.startswith("04-"))


@pytest.mark.parametrize("path", CENTRAL, ids=lambda p: p.name[:2] + p.parent.name)
@pytest.mark.parametrize("subs", [
    (("年初预算数", "年初预算"), ("全年预算数", "调整后预算数"), ("全年执行数", "全年实际支出数")),
    (("全年执行数", "决算数"),),
    (("年度指标值", "年度目标值"), ("实际完成值", "实际值"), ("偏差原因分析", "备注")),
    (("分值", "权重"), ("得分", "自评得分")),
    (("年度资金总额", "资金总额"), ("上年结转资金", "上年结余"), ("其他资金", "自有资金")),
], ids=["funding-headings", "决算数", "indicator-headings", "权重", "funding-rows"])
def test_headings_and_rows_worded_otherwise_read_the_same_figures(path, subs):
    project, form = _reworded(path, *subs)
    assert form.ok, form.problems
    assert not form.disagreements
    back = record_from_dict(form.record, form.name)
    assert _amounts(back) == _amounts(project)
    assert back.indicators == project.indicators


def test_a_heading_not_known_is_named_and_keeps_its_column():
    # 执行率 worded 支出进度, 实际完成值 worded 完成情况: said with line and text; the columns after
    # them stay in place (得分 is still the score, the amounts still the amounts)
    path = OTHER_04
    project, form = _reworded(path, ("执行率", "支出进度"), ("实际完成值", "完成情况"))
    assert "第 5 行资金表头“支出进度”不是认得的栏目，该栏未读入" in form.notes
    assert "第 12 行指标表头“完成情况”不是认得的栏目，该栏未读入" in form.notes
    back = record_from_dict(form.record, form.name)
    assert _amounts(back) == _amounts(project)
    assert form.printed.funding_score == "10.00" and form.printed.rate == ""
    assert [(i.name, i.target, i.weight) for i in back.indicators] == [
        (i.name, i.target, i.weight) for i in project.indicators]
    assert [i.actual for i in back.indicators] == [""] * len(project.indicators)


def test_a_funding_row_not_known_is_named():
    path = OTHER_04
    _project, form = _reworded(path, ("其他资金", "专项债券资金"))
    assert "第 9 行资金行“专项债券资金”不是认得的资金来源，未读入" in form.notes


def spaced_out_of(text: str) -> str:
    """A tab table as ``pdftotext -layout`` or a copy of a web page gives it: the cells of a row on
    its line with spaces between, an empty cell leaving no trace."""
    return "\n".join("   ".join(c.strip().replace(" ", "") for c in line.split("\t") if c.strip())
                     for line in text.replace('"', "").split("\n"))


# 07 prints a blank 年度指标值 before a worded 实际值, which no text without its empty cells can
# place; 09's targets hold a space of their own (10 台套), which a text split by spaces can't keep
SPACED = [p for p in RECORDS if not (p.parent == OTHER and p.name[:2] in ("07", "09"))]


@pytest.mark.parametrize("path", SPACED, ids=lambda p: p.name[:2] + p.parent.name)
def test_a_form_split_by_spaces_reads_worded_targets_and_actuals(path):
    # 及时, 合格, 达成指标: words in the 年度指标值 and 实际完成值 columns (were read as the next
    # indicator's name, the name replaced by 达成指标)
    project = load(path).project
    text = spaced_out_of(copied_from_excel(path))
    assert cells_of(text)[0] == "spaced"
    (form,) = imported(text, load_rules(project.rules, path.parent), layout=project.layout).forms
    assert form.ok, form.problems
    assert not form.disagreements  # its rate printed without % (100.00) is no score
    back = record_from_dict(form.record, form.name)
    assert _unspaced(back).indicators == _unspaced(project).indicators
    assert _amounts(back) == _amounts(project)


def test_a_spaced_row_places_its_values_by_the_columns_order():
    # 1 1 10 10.00: the last two figures are 分值 and 得分; =100% 60: a lone figure is 分值;
    # ≥90% 85% 20 18 路段施工: after the scores, the reason
    text = "\n".join([
        "项目支出绩效自评表", "（2022年度）", "项目名称   乡村道路养护经费",
        "项目资金（万元）   年初预算数   全年预算数   全年执行数   分值   执行率   得分",
        "年度资金总额   200   200   150   10   75%   7.5",
        "一级指标   二级指标   三级指标   年度指标值   实际完成值   分值   得分   偏差原因分析及改进措施",
        "产出指标   数量指标   养护里程   120   120   50   50",
        "时效指标   完成时间   及时   及时   20   20",
        "满意度指标   服务对象满意度指标   群众满意度   ≥90%   85%   20   18   路段施工影响通行",
        "总分   100   95.5",
    ])
    (form,) = imported(text, load_rules("default", OTHER)).forms
    assert form.ok, form.problems
    p = record_from_dict(form.record, form.name)
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.reason) for i in p.indicators] == [
        ("产出指标", "数量指标", "养护里程", "120", "120", 50, ""),
        ("产出指标", "时效指标", "完成时间", "及时", "及时", 20, ""),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "85%", 20, "路段施工影响通行")]
    assert form.printed.indicator_scores == ["50", "20", "18"]


@pytest.mark.parametrize("path", SPACED, ids=lambda p: p.name[:2] + p.parent.name)
@pytest.mark.parametrize("shape", ["tabs", "spaced"])
def test_a_form_in_traditional_characters_reads_the_same_figures(path, shape):
    import opencc

    project = load(path).project
    text = copied_from_excel(path)
    text = opencc.OpenCC("s2t").convert(text if shape == "tabs" else spaced_out_of(text))
    (form,) = imported(text, load_rules(project.rules, path.parent), layout=project.layout).forms
    assert form.ok, form.problems
    assert not form.disagreements
    back = record_from_dict(form.record, form.name)
    assert _amounts(back) == _amounts(project)
    assert [(i.target, i.actual, i.weight) for i in back.indicators] == [
        (i.target, i.actual, i.weight) for i in project.indicators]


def test_an_unscored_run_together_row_and_goals_are_read_or_said():
    # a made 05-like text (年度指标值, 全年完成值, 原因; no scores), cells run together: a row glued
    # to its name (覆盖率100%无未开展…) is cut at its target, its actual (the same unit, or 无) and its
    # reason; goals run together can't be cut, and say so with line and text
    text = ("2021年度县级专项资金绩效目标自评表专项资金名称农村公路养护负责人及电话张三县级主管部门某县交通运输局"
            "实施单位某县公路中心项目资金(万元)全年预算数(A)全年执行数(B)执行率(B/A)年度资金总额50.550.5100%"
            "其他资金年度总体目标年初设定目标全年实际完成情况养护农村公路完成养护任务绩效指标一级指标二级指标三级指标"
            "年度指标值全年完成值未完成原因和改进措施产出指标数量指标养护里程120公里120公里路面修补率95%95%"
            "效益指标社会效益指标通行事故下降率5%无未开展统计满意度指标服务对象满意度指标群众满意度90%92%")
    (form,) = imported(text, load_rules("default", OTHER), year=2021).forms
    assert form.ok, form.problems
    p = record_from_dict(form.record, form.name)
    assert [(i.name, i.target, i.actual, i.reason) for i in p.indicators] == [
        ("养护里程", "120公里", "120公里", ""), ("路面修补率", "95%", "95%", ""),
        ("通行事故下降率", "5%", "无", "未开展统计"), ("群众满意度", "90%", "92%", "")]
    assert (p.expected, p.achieved) == ("养护农村公路完成养护任务", "")
    assert "第 1 行“养护农村公路完成养护任务”：预期目标与实际完成情况连写，无法分开，都读作预期目标，请在记录中分开" \
        in form.notes


@pytest.mark.parametrize("path", CENTRAL, ids=lambda p: p.name[:2] + p.parent.name)
def test_a_spreadsheet_copy_with_ocr_damaged_headings_reads_the_same_figures(path):
    # a sheet made from a scan: 年初预匏数, 项Fl资金, 実际完成值, 年度指l标值, 一级指k标
    project, form = _reworded(path, ("年初预算数", "年初预匏数"), ("项目资金", "项Fl资金"),
                              ("实际完成值", "実际完成值"), ("年度指标值", "年度指l标值"), ("一级指标", "一级指k标"))
    assert form.ok, form.problems
    assert not form.disagreements
    said = [n for n in form.notes if "按字形读作" in n]
    assert len(said) == 5 and "“年初预匏数”按字形读作“年初预算数”" in said[1]
    back = record_from_dict(form.record, form.name)
    assert _amounts(back) == _amounts(project)
    assert back.indicators == project.indicators


def exported_as_pipes(path) -> str:
    """A sheet exported as a ``|`` table with every column (as a Markdown or OCR table tool writes
    it): a merged cell's other columns empty, a cell's line breaks as spaces."""
    project = load(path).project
    ws = Workbook().active
    form_sheet(ws, project, score(project, load_rules(project.rules, path.parent)))
    rows = [["" if v is None else str(v).replace("\n", " ") for v in row] for row in ws.iter_rows(values_only=True)]
    width = min(next((k for k, c in enumerate(row) if c in META), len(row)) for row in rows)
    return "\n".join("| " + " | ".join(row[:width]) + " |" for row in rows)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name[:2] + p.parent.name)
def test_a_pipe_table_with_every_column_of_a_sheet_reads_by_its_columns(path):
    # (a web page's | table drops a merged cell's other columns; an export of a sheet keeps them
    # empty: read as a tab table is, else every figure after a merged cell moves over)
    project = load(path).project
    text = exported_as_pipes(path)
    assert cells_of(text)[0] == "pipes"
    (form,) = imported(text, load_rules(project.rules, path.parent), layout=project.layout).forms
    assert form.ok, form.problems
    assert not form.disagreements
    back = record_from_dict(form.record, form.name)
    assert _amounts(back) == _amounts(project)
    assert [(i.name, i.target, i.actual, i.weight, i.reason) for i in _unspaced(back).indicators] == [
        (i.name, i.target, i.actual, i.weight, i.reason) for i in _unspaced(project).indicators]


def test_a_name_wrapped_onto_its_own_line_in_spaced_text_is_joined_and_said():
    # pdftotext -layout of a narrow 三级指标 column: the rest of a name alone on the next line
    text = "\n".join([
        "项目支出绩效自评表", "（2022年度）", "项目名称   乡村道路养护经费",
        "项目资金（万元）   年初预算数   全年预算数   全年执行数   分值   执行率   得分",
        "年度资金总额   200   200   150   10   75%   7.5",
        "一级指标   二级指标   三级指标   年度指标值   实际完成值   分值   得分   偏差原因分析及改进措施",
        "产出指标   数量指标   农村公路养护   ≥120公里   120公里   50   50",
        "                      里程",
        "满意度指标   服务对象满意度指标   群众满意度   ≥90%   及时   40   38   路段施工影响通行",
        "总分   100   95.5",
    ])
    (form,) = imported(text, load_rules("default", OTHER)).forms
    assert form.ok, form.problems
    p = record_from_dict(form.record, form.name)
    assert [(i.name, i.target, i.actual, i.weight) for i in p.indicators] == [
        ("农村公路养护里程", "≥120公里", "120公里", 50), ("群众满意度", "≥90%", "及时", 40)]
    assert "第 8 行“里程”单独一行，当作第 7 行指标名称的折行，接在其后" in form.notes


SAMPLE_01 = next(p for p in RECORDS if p.parent == SAMPLES and p.name.startswith("01-"))


def test_a_figure_with_a_comma_that_groups_no_thousands_is_named_not_read_a_hundred_times_over():
    # 1230,37 (a decimal comma, or OCR's dot): before, the comma was dropped and 123037 imported
    project = load(SAMPLE_01).project
    text = copied_from_excel(SAMPLE_01).replace("1230.37", "1230,37", 1)
    (form,) = imported(text, load_rules(project.rules, SAMPLE_01.parent), layout=project.layout).forms
    assert "第 5 行“年度资金总额”的“1230,37”不是金额，按空白读入" in form.notes
    back = record_from_dict(form.record, form.name)
    assert back.funding.total.executed == Decimal("1230.37")  # the rows' sum, no figure of 123037
    # a comma that groups thousands still reads
    text = copied_from_excel(SAMPLE_01).replace("1230.37", "1,230.37")
    (form,) = imported(text, load_rules(project.rules, SAMPLE_01.parent), layout=project.layout).forms
    assert _amounts(record_from_dict(form.record, form.name)) == _amounts(project)


def test_a_funding_row_whose_cells_moved_over_is_said_where_its_total_disagrees():
    # a cell deleted in the sheet (shift cells left): 当年财政拨款 reads 1231.96 as its 年初预算数 and
    # a blank 全年预算数; rate, score and total still agree with the form, so say the sums
    project = load(SAMPLE_01).project
    lines = copied_from_excel(SAMPLE_01).split("\n")
    k = next(i for i, line in enumerate(lines) if "当年财政拨款" in line)
    lines[k] = lines[k].replace("1248.00\t", "", 1)
    (form,) = imported("\n".join(lines), load_rules(project.rules, SAMPLE_01.parent), layout=project.layout).forms
    assert "年度资金总额的年初预算数：表上 1,248.00，各分项之和为 1,231.96" in form.notes
    assert "年度资金总额的全年预算数：表上 1,231.96，各分项之和为 0.00" in form.notes


@pytest.mark.parametrize("path", CENTRAL, ids=lambda p: p.name[:2] + p.parent.name)
def test_the_indicator_heading_repeated_on_a_new_page_is_passed_over(path):
    # a long form printed on two pages repeats the indicator table's heading row; copied out of
    # the two pages, that row sat among the indicators and refused the form (“分值“分值”不是数字”)
    project = load(path).project
    lines = copied_from_excel(path).split("\n")
    h = next(i for i, line in enumerate(lines) if "一级指标" in line and "三级指标" in line)
    text = "\n".join(lines[:h + 4] + [lines[h]] + lines[h + 4:])
    (form,) = imported(text, load_rules(project.rules, path.parent), layout=project.layout).forms
    assert form.ok, form.problems
    assert not form.disagreements
    back = record_from_dict(form.record, form.name)
    assert back.indicators == project.indicators and _amounts(back) == _amounts(project)


def _columns_swapped(text: str, a: str, b: str) -> str:
    """The sheet with two of the indicator table's columns in each other's place, from its heading
    row down (the 总分 row's figures with them)."""
    lines, at = text.split("\n"), None
    for k, line in enumerate(lines):
        cells = line.split("\t")
        if a in cells and b in cells:
            at = (cells.index(a), cells.index(b))
        if at and len(cells) > max(at):
            cells[at[0]], cells[at[1]] = cells[at[1]], cells[at[0]]
            lines[k] = "\t".join(cells)
    return "\n".join(lines)


@pytest.mark.parametrize("path", CENTRAL, ids=lambda p: p.name[:2] + p.parent.name)
def test_a_form_printing_its_score_column_before_the_weight_reads_its_totals_by_their_columns(path):
    # the rows were read by their headings, the 总分 row by position: 分值合计 “表上 99.98” and
    # 总分 “表上 100” were reported against a form that agreed with itself
    project = load(path).project
    text = _columns_swapped(copied_from_excel(path), "分值", "得分")
    (form,) = imported(text, load_rules(project.rules, path.parent), layout=project.layout).forms
    assert form.ok, form.problems
    assert not form.disagreements
    assert record_from_dict(form.record, form.name).indicators == project.indicators
