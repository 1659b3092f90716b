"""Forms re-published in traditional characters with pinyin after some of them (黄冈 2020, form 08
of shared/forms): read as the simplified form they were, saying so; amounts printed with their
unit and run together (10万10万100%20); a funding weight stated in the headings ((20分)); a
report's prose before the form is not a form."""

from __future__ import annotations

from tui.core.rules import load_rules
from tui.core.validation import assess
from tui.exchange.figuresplit import split_touching, touching
from tui.exchange.script import simplified
from tui.printed.form import render_text
from tui.store.codec import record_from_dict
from tui.store.recordfile import load

from conftest import SAMPLES
from seed_figures import FIGURES
from test_import_forms import checked, form_text, needs_forms


def test_pinyin_after_characters_is_taken_out_and_traditional_made_simplified():
    script = simplified("預(yù)算執(zhí)行情況(萬元)(20分)\n項目名稱 長度(km)")
    assert script.text == "预算执行情况(万元)(20分)\n项目名称 长度(km)"  # a unit in brackets stays
    # what is read from it goes back to the characters the text had
    assert script.back("项目名称长度") == "項目名稱長度"
    assert script.notes == ["删去了字后括号中的拼音注音 2 处", "繁体字已转为简体（7 字）"]  # 預執況萬 項稱長


def test_simplified_text_is_left_as_it_is():
    seed_like = "项目名称 残疾人基本保障和帮扶经费 著名 乾坤 后来 面包 实际完成值 100(%)\n(A)(B)(yu)"
    script = simplified(seed_like)
    assert (script.text, script.notes, script.back("后来")) == (seed_like, [], "后来")


def test_amounts_with_their_unit_run_together_are_split_by_the_columns():
    assert touching("10万10万100%20")
    assert not touching("1010")  # whole numbers alone can't be told apart
    heads = ["adjusted", "executed", "rate", "score"]
    assert split_touching("10万10万100%20", heads) == [["10万", "10万", "100%", "20"]]
    # the rate must be what the amounts give: 9万 of 10万 is not 100%
    assert split_touching("10万9万100%20", heads) == []


@needs_forms
def test_form_08_reads_as_the_simplified_form_it_was():
    result = checked(form_text("08"), partial=True)
    assert len(result.forms) == 1  # the report before it is said, not imported
    form = result.forms[0]
    record = form.record
    # read in simplified characters, kept as the text wrote them
    assert record["name"].startswith("檔案搶救與保護、檔案工作考評")
    assert record["implementer"] == "黃岡市檔案館"  # not “…項目類別1、上級專項”
    assert record["funding"]["weight"] == "20"
    assert (record["funding"]["total"]["adjusted"], record["funding"]["total"]["executed"]) == ("10", "10")
    assert form.disagreements == []  # 100% and 20 as printed (20 × 100%)
    notes = " ".join(form.notes)
    assert "繁体字已转为简体" in notes and "拼音注音" in notes
    assert "第 2–16 行没有自评表的内容" in notes
    assert record["incomplete"] == "表格不完整，缺少总分（合计）"  # cut off at 三级指


@needs_forms
def test_form_08_without_partial_names_what_is_missing():
    form = checked(form_text("08"), year=2020).forms[0]
    assert form.problems == ["表格不完整：找到了项目名称、项目资金、绩效指标表头，缺少总分（合计），文本在第 16 行"
                             "“三级指”处结束；可用 --partial 导入已有部分"]



def test_a_seed_form_printed_in_traditional_characters_scores_as_printed():
    """Seed form 03 rendered, then converted to traditional (OpenCC s2t, as a publishing site
    does): the tier words of its actuals (達成指標) still score, its names stay as written."""
    import opencc

    text = render_text(load(SAMPLES / FIGURES[2][0]).project, load_rules("default"), width=160)
    result = checked(opencc.OpenCC("s2t").convert(text))
    (form,) = result.forms
    assert form.problems == [] and form.disagreements == []
    project = record_from_dict(form.record, form.name)
    assert project.name == "殘疾人教育和就業經費"
    a = assess(project, load_rules("default"))
    assert (str(a.sheet.total), a.sheet.grade, a.error_count) == (FIGURES[2][4], FIGURES[2][5], 0)
