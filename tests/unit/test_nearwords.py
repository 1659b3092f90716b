"""Headings misread by OCR are read as the heading they are close to, and nothing else is: the
near misses of real headings (a letter, figure or uncommon character for one of theirs, their
characters out of order) against other headings, common words and prose that share characters."""

from __future__ import annotations

import pytest

from tui.exchange.nearwords import closest, mend


@pytest.mark.parametrize(("printed", "heading"), [
    ("项Fl资金", "项目资金"),  # one character read as two letters
    ("项目资仝", "项目资金"),  # an uncommon character for the last one
    ("年初预匏数", "年初预算数"),  # … for one inside
    ("顼目产出", "项目产出"),  # … for the first
    ("成4指标", "成本指标"),  # a figure inside
    ("考值参分", "参考分值"),  # the characters out of order
    ("実际完成值", "实际完成值"),  # a Japanese form of the character, at the start
    ("满意l度指标", "满意度指标"),  # one character too many, a letter
    ("实际完戍值", "实际完成值"),  # a common character drawn like the heading's (戍 for 成: LOOKALIKES)
])
def test_a_near_miss_of_a_heading_is_read_as_it(printed, heading):
    assert closest(printed) == heading


@pytest.mark.parametrize("printed", [
    "项目名称", "质量指标", "时效指标",  # other headings one or two characters away
    "项目支出",  # a title's words (项目支出绩效自评表), not 项目产出
    "评价结果", "项目基金", "数量指怀",  # a common character makes another word
    "戍边", "实际完成戍",  # a look-alike where the heading has no such character
    "偏差原因分析及改进措旅",  # a common character not drawn like the heading's (旅 for 施)
    "全年完成1",  # a figure at the end is the text going on (全年完成13家)
    "数调整预算",  # a heading's turn in a text that repeats it (…数调整预算数…)
    "三级指", "产出", "指标",  # too short
    "项目资金", "年初预算数",  # the heading itself: nothing to mend
])
def test_other_words_are_not_read_as_a_heading(printed):
    assert closest(printed) is None


def test_mend_names_line_and_text_and_leaves_the_rest():
    text = "项目名称初中公用经费\n项Fl资金(万兀)年度资金总额年初预匏数全年执行数\n具体目标：全年完成13家单位年报审计\n顼目产出"
    fixed, notes = mend(text)
    assert fixed.split("\n") == ["项目名称初中公用经费", "项目资金(万兀)年度资金总额年初预算数全年执行数",
                                 "具体目标：全年完成13家单位年报审计", "项目产出"]
    assert notes == ["第 2 行“项Fl资金”按字形读作“项目资金”", "第 2 行“年初预匏数”按字形读作“年初预算数”",
                     "第 4 行“顼目产出”按字形读作“项目产出”"]


def test_a_stretch_holding_a_heading_as_printed_is_left_alone():
    # 年初预算 and 年初预算数 are both headings: the whole one is read, and one printed right is kept
    assert mend("年初预算数全年执行数")[1] == []
    assert mend("年初预匏数")[0] == "年初预算数"


def test_no_word_of_the_samples_or_the_seed_is_taken_for_a_misreading():
    # names, goals and reasons of 20 real forms, and the seed's printed text: nothing to mend
    from conftest import NO_SEED, OTHER, SAMPLES, SEED
    from tui.core.rules import load_rules
    from tui.printed.form import render_text
    from tui.store.recordfile import load

    for path in sorted(SAMPLES.glob("*.toml")) + sorted(OTHER.glob("*.toml")):
        project = load(path).project
        text = render_text(project, load_rules(project.rules, path.parent), 100)
        assert mend(text)[1] == [], path.name
    if not SEED.is_file():
        pytest.skip(NO_SEED)
    assert mend(SEED.read_text("utf-8"))[1] == []
