"""`zipin import-text` on any published form: the forms of ../shared/forms (a `|` table, one cell per
line, cells split by spaces), our own `render --format text`, cut-off forms, --rules, --layout and
--partial. The expected figures are read off the form texts (quoted in the comments), not computed.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal

import pytest

from tui.printed.form import render_text
from tui.core.rules import load_rules
from tui.store.codec import record_from_dict
from tui.store.recordfile import load, load_folder
from tui.exchange.textimport import check_form, import_text
from conftest import ROOT

FORMS = ROOT.parent / "shared" / "forms"
OTHER = ROOT / "samples" / "other"
needs_forms = pytest.mark.skipif(not FORMS.is_dir(), reason="../shared/forms not present")


def form_text(prefix: str) -> str:
    return next(FORMS.glob(f"{prefix}_*.txt")).read_text("utf-8")


def checked(text: str, rules="default", **kw):
    result = import_text(text, **kw)
    for form in result.forms:
        check_form(form, load_rules(rules, OTHER) if isinstance(rules, str) else rules)
    return result


def project_of(form):
    return record_from_dict(form.record, form.name)


# Spaces a printed cell drops where it wraps ("经济效益 指标" wraps as 经济效益 / 指标) can't come
# back from the text; these records are compared with the spaces in their labels taken out.
SPACED_LABELS = {"01", "09"}


def _unspaced(project):
    items = tuple(dataclasses.replace(i, level1=i.level1.replace(" ", ""), level2=i.level2.replace(" ", ""))
                  for i in project.indicators)
    return dataclasses.replace(project, indicators=items)


@pytest.mark.parametrize("path", sorted((ROOT / "samples" / "2023").glob("*.toml"))
                         + sorted(p for p in OTHER.glob("*.toml") if not p.name.startswith("10-")),
                         ids=lambda p: p.name[:2] + p.parent.name)
@pytest.mark.parametrize("named", [True, False], ids=["layout-named", "layout-detected"])
def test_render_text_comes_back_as_the_same_record(path, named):
    project = load(path).project
    rules = load_rules(project.rules, path.parent)
    result = checked(render_text(project, rules, 100), rules, layout=project.layout if named else "")
    assert len(result.forms) == 1
    form = result.forms[0]
    assert form.ok, form.problems
    # its own figures, checked by its own rules: a blank rate printed as — where none can be
    # computed, a grade marked 未定 while the record has errors, agree with the record
    assert not form.disagreements
    form.record["id"] = project.id
    if not project.layout:
        form.record.pop("layout")
    back = project_of(form)
    if path.parent == OTHER and path.name[:2] in SPACED_LABELS:
        project, back = _unspaced(project), _unspaced(back)
    assert back == project


def test_the_fragment_comes_back_with_partial():
    path = next(OTHER.glob("10-*.toml"))
    project = load(path).project
    rules = load_rules(project.rules, OTHER)
    text = render_text(project, rules, 100)
    refused = checked(text, rules, layout=project.layout, year=2023)
    assert "缺少项目名称" in refused.forms[0].problems[0]
    form = checked(text, rules, layout=project.layout, year=2023, partial=True).forms[0]
    assert form.ok
    back = project_of(form)
    assert back.incomplete == "表格不完整，缺少项目名称"
    assert [(i.name, i.target, i.weight) for i in back.indicators] == [
        (i.name, i.target, i.weight) for i in project.indicators]


@needs_forms
def test_a_one_cell_per_line_sichuan_form_imports():
    # 03 青神: 总额 | 238.93 | 251.89 | 251.89 | 100.00% | 10 | (empty) ; 其他资金 | | | | | / | /
    form = checked(form_text("03")).forms[0]
    assert form.ok, form.problems
    p = project_of(form)
    assert (p.year, p.name, p.layout) == (2023, "51000021R000000019951-工资性支出", "sichuan")
    assert p.funding.row_set == "sichuan" and p.funding.weight == Decimal("10")
    assert p.funding.stated_total.adjusted == Decimal("251.89") and p.funding.fiscal.budget == Decimal("238.93")
    assert p.funding.other.budget is None and p.funding.other.executed is None  # blank, not 0
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight) for i in p.indicators] == [
        ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%", "", Decimal("60")),
        ("效益指标", "社会效益指标", "足额保障率(参保率)", "=100%", "", Decimal("30"))]
    assert p.text("problems") == "结合自评情况,分析存在的问题及原因。(200字以内)"
    assert form.printed.rate == "100.00" and form.printed.weight_total == "100"
    assert "sichuan（自动识别）" in form.notes[0]


@needs_forms
def test_a_space_separated_central_form_imports_as_transcribed():
    # 04 天长: 年度资金总额: 880 880 880 10 10 … 总分 100 100
    form = checked(form_text("04"), "half-up").forms[0]
    assert form.ok, form.problems
    assert form.disagreements == []
    got = project_of(form)
    want = load(next(OTHER.glob("04-*.toml"))).project
    assert dataclasses.replace(got, id=want.id) == want


@needs_forms
def test_a_cut_off_form_says_what_is_missing_and_imports_with_partial():
    refused = checked(form_text("01"), "hubei-ezhou-2021")
    (problem,) = refused.forms[0].problems
    assert "缺少总分（合计）" in problem and "第 188 行“岗”" in problem and "--partial" in problem
    form = checked(form_text("01"), "hubei-ezhou-2021", partial=True).forms[0]
    assert form.ok
    p = project_of(form)
    assert p.incomplete and p.name == "市民中心运行维护费" and p.year == 2021
    # 年度资金总额 | 150万 | 150万 | 125.25万 | 100 | 83.5% | 98
    total = p.funding.stated_total
    assert (total.budget, total.adjusted, total.executed) == (150, 150, Decimal("125.25"))
    assert form.printed.rate == "83.5" and p.funding.weight == 100 and p.funding.score == 98
    # 预算执行率 20 18, then five indicators of 10 10
    assert [(i.weight, i.score) for i in p.indicators][0] == (20, 18)
    assert [i.weight for i in p.indicators] == [20, 10, 10, 10, 10, 10]


@needs_forms
def test_a_pipe_table_with_two_forms_gives_two_and_names_each_gap():
    result = checked(form_text("02"), "sichuan-2023")
    first, second = result.forms
    assert "缺少项目名称、项目资金" in first.problems[0]  # the previous form's tail
    assert "缺少总分（合计）" in second.problems[0] and "第 22 行“100”" in second.problems[0]
    form = checked(form_text("02"), "sichuan-2023", partial=True).forms[1]
    p = project_of(form)
    # 总额 | 0.00 | 3.36 | 3.36 | 100.00% | 10 | 10 ; 其他资金 | / | /
    assert p.funding.stated_total.executed == Decimal("3.36") and p.funding.other.adjusted is None
    assert form.printed.rate == "100.00" and form.printed.funding_score == "10"


@needs_forms
def test_cli_rules_layout_and_partial(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "tui", "import-text", *args], cwd=ROOT,
                              capture_output=True, text=True)

    out = tmp_path / "out"
    done = run(str(next(FORMS.glob("04_*.txt"))), str(out), "--rules", "half-up", "--layout", "central")
    assert done.returncode == 0, done.stdout + done.stderr
    (record,) = load_folder(out).records
    assert (record.project.rules, record.project.layout) == ("half-up", "central")
    assert "版式：central" in done.stdout and "空格分隔" in done.stdout
    cut = run(str(next(FORMS.glob("01_*.txt"))), str(out))
    assert cut.returncode == 1 and "可用 --partial" in cut.stdout
    part = run(str(next(FORMS.glob("01_*.txt"))), str(out), "--partial")
    assert part.returncode in (0, 1), part.stdout + part.stderr
    assert any(r.project.incomplete for r in load_folder(out).records)
    bad = run(str(next(FORMS.glob("04_*.txt"))), str(out), "--layout", "nope")
    assert bad.returncode == 1 and "找不到版式“nope”" in bad.stderr


def test_xlsx_of_format_2_records_comes_back(tmp_path):
    """render --format xlsx of samples/other (row sets, blanks, hand scores, layouts), then
    import-xlsx --rules: the same records (the fragment 10, with no name, is refused)."""
    from tui.exchange.xlsxin import read_workbook
    from tui.printed.xlsx import save_workbook, workbook
    from tui.core.scoring import score

    loaded = [r for r in load_folder(OTHER).records if not r.path.name.startswith("10-")]
    forms = [(r.project, score(r.project, load_rules(r.project.rules, OTHER))) for r in loaded]
    path = tmp_path / "other.xlsx"
    save_workbook(workbook(forms), path)
    result, _titles = read_workbook(path)
    assert len(result.forms) == len(loaded)
    for form, record in zip(result.forms, loaded):
        check_form(form, load_rules(record.project.rules, OTHER))
        assert form.ok, (record.path.name, form.problems)
        assert project_of(form) == record.project, record.path.name  # a sheet's cells keep their spaces


@needs_forms
def test_a_run_together_fragment_reads_by_the_layouts_columns():
    # 10: 产出指标数量指标足额保障率=100% 22.5 科目调整次数≤10次 22.5 … 合计100 评价结论及时、足额缴纳。
    result = checked(form_text("10"), "sichuan-2023", layout="sichuan", year=2023, partial=True)
    (form,) = result.forms
    assert form.ok and "各格连写在一行" in form.notes[0]
    p = project_of(form)
    want = load(next(OTHER.glob("10-*.toml"))).project
    assert [(i.level1, i.level2, i.name, i.target, i.weight) for i in p.indicators] == [
        (i.level1, i.level2, i.name, i.target, i.weight) for i in want.indicators]
    assert form.printed.weight_total == "100" and p.text("conclusion") == "及时、足额缴纳。"
    assert p.text("leader") == "" and p.text("problems") == "暂无"
    assert "项目名称" in p.incomplete


@needs_forms
def test_an_unscored_run_together_form_imports_whole():
    # 05 衡山: 一级指标 二级指标 三级指标 年度指标值 全年完成值 未完成原因和改进措施 (no 分值, no
    # 得分), cells run together over three "1、" "2、" "3、" pages, target and actual glued
    # (…到位率100%100%库存…, 0起0起, 高高), a funding sub-row glued to its figures
    result = checked(form_text("05"), "hunan-2020-unscored")
    form = result.forms[0]
    assert form.ok and not form.disagreements, (form.problems, form.disagreements)
    assert "incomplete" not in form.record
    got, want = project_of(form), load(next(OTHER.glob("05-*.toml"))).project
    assert got.funding == want.funding  # 194.9 / 194.9 and the sub-row's own label; weight 0
    assert len(got.indicators) == len(want.indicators) == 16
    # every row as transcribed, the one whose figures and reason run into its name too
    # (政策性挂账利息补贴保障率100%无没有轮换、动用库存: 100%, 无, 没有轮换、动用库存)
    assert got.indicators == want.indicators
    # the goals run together (保持和稳定地方粮食储备机制地方储备粮食规模达标): read as 预期目标, said
    assert (got.expected, got.achieved) == ("保持和稳定地方粮食储备机制地方储备粮食规模达标", "")
    assert any("预期目标与实际完成情况连写" in n and n.startswith("第 4 行") for n in form.notes)


def test_a_target_and_actual_printed_together_are_cut_by_their_unit():
    from tui.exchange.formrows import pair_of

    assert pair_of("100%100%") == ("100%", "100%")
    assert pair_of("290%100%") == ("290%", "100%")
    assert pair_of("0起0起") == ("0起", "0起")
    assert pair_of("00") == ("0", "0")
    assert pair_of("高高") == ("高", "高")
    assert pair_of("100%90") is None and pair_of("5000吨稻谷") is None and pair_of("0505") is None


@needs_forms
def test_a_department_form_is_named_as_such():
    # 06 重庆: 部门整体绩效自评表, a department as a whole: no 项目名称, no 项目资金
    form = checked(form_text("06")).forms[0]
    assert "第 3 行“部门整体绩效自评表”：这是部门整体绩效自评表" in form.problems[0]
    assert "不是项目支出绩效自评表" in form.problems[0]


@needs_forms
@pytest.mark.parametrize(("prefix", "missing"), [("07", "缺少总分（合计）"), ("09", "缺少项目资金、总分（合计）")])
def test_headings_read_only_to_the_name_do_not_make_a_form_unscored(prefix, missing):
    # 07 (OCR: 考值参分, 指标值(八); its 项Fl资金 now read) and 09 (名称年初指年终完自评复核指标): cut
    # off, and scored
    form = checked(form_text(prefix)).forms[0]
    assert missing in form.problems[0] and "不计分" not in form.problems[0]


@needs_forms
def test_07s_ocr_damaged_headings_are_read_and_said():
    # 银川: 项Fl资金(万兀)年度资金总额年初预匏数调整预算将,A、全年执行数(B)执行率(B/A)64.864.864.8100%
    # … 三级指标考值参分指标值(八)全年实际值(B)得分
    form = checked(form_text("07"), partial=True).forms[0]
    assert form.ok, form.problems
    assert "第 3 行“项Fl资金”按字形读作“项目资金”" in form.notes
    assert "第 3 行“年初预匏数”按字形读作“年初预算数”" in form.notes
    assert "第 3 行“考值参分”按字形读作“参考分值”" in form.notes
    p = project_of(form)
    total = p.funding.stated_total
    assert (total.budget, total.adjusted, total.executed) == (Decimal("64.8"),) * 3
    assert form.printed.rate == "100"
    assert p.indicators[0].name == "预算执行率"
