"""Figures run together (``194.9194.9100%``): split by the form's columns when only one split fits,
else the line is named (tui.exchange.figuresplit, the general reader's funding rows). Expected figures are
the form texts': the seed's 年度资金总额 row (1,231.96 1,230.37 … 99.87) and form 05's
(全年预算数(A) 全年执行数(B) 执行率(B/A) … 年度资金总额194.9194.9100%)."""

from __future__ import annotations


from tui.exchange.figuresplit import split_touching, touching
from tui.exchange.textimport import import_text

from test_import_forms import checked, form_text, needs_forms

MONEY_RATE = ["adjusted", "executed", "rate"]


def test_the_seeds_total_row_run_together_splits_one_way():
    assert split_touching("1231.961230.3799.87%", MONEY_RATE) == [["1231.96", "1230.37", "99.87%"]]
    assert split_touching("1,231.961,230.3799.87%", MONEY_RATE) == [["1231.96", "1230.37", "99.87%"]]


def test_a_rate_that_no_split_gives_leaves_it_unsplit():
    # 1231.96 and 1230.37 give 99.87%, never 98.00%: no way fits
    assert split_touching("1231.961230.3798.00%", MONEY_RATE) == []


def test_two_amounts_without_a_rate_are_ambiguous():
    ways = split_touching("194.9194.9", ["adjusted", "executed"])
    assert ["194.9", "194.9"] in ways and len(ways) > 1


def test_one_figure_is_not_taken_for_several():
    assert not touching("100%") and not touching("194.9") and not touching("1,230.37")
    assert touching("194.9194.9100%")


@needs_forms
def test_form_05_total_row_is_split_by_its_columns():
    # 05 (衡山县, cut off in its notes): 年度资金总额194.9194.9100% under 全年预算数(A) 全年执行数(B) 执行率(B/A)
    result = checked(form_text("05"), partial=True)
    form = result.forms[0]
    total = form.record["funding"]["total"]
    assert (total["adjusted"], total["executed"]) == ("194.9", "194.9")
    assert form.printed.rate == "100"
    assert not [d for d in form.disagreements if "执行率" in d]
    assert not [n for n in form.notes if "数字连写" in n]


@needs_forms
def test_a_row_that_cannot_be_split_is_named():
    text = form_text("05").replace("执行率(B/A)", "").replace("年度资金总额194.9194.9100%", "年度资金总额194.9194.9", 1)
    form = import_text(text, partial=True).forms[0]
    said = [n for n in form.notes if "数字连写" in n]
    # the total's two amounts, and the sub-row (now read: its label is split from its figures),
    # whose three figures fit no split under the two money headings left
    assert len(said) == 2
    assert "第 4 行“年度资金总额”的“194.9194.9”" in said[0] and "194.9/194.9" in said[0] and "无法确定" in said[0]
    assert "“中央、省、市补助县级资金”的“194.9194.9100%”" in said[1] and "没有一种分法" in said[1]
    assert form.record["funding"]["total"]["executed"] == ""  # not guessed
