"""What `zipin import` says of a conflict, in words a clerk can trust (found using the app as a
new user): a 年度资金总额 no longer stated is the rows' sum, not “（无）”; a conflict may be a copy
never exchanged before, not only “双方都改过”."""

from __future__ import annotations

from pathlib import Path

from tui import cli
from tui.core.editing import blank_text, label
from tui.store.recordfile import load

from conftest import copy_samples

FIRST = "01-残疾人基本保障和帮扶经费.toml"


def test_a_total_not_stated_is_shown_as_the_rows_sum(tmp_path: Path, capsys):
    theirs, mine = copy_samples(tmp_path / "theirs"), copy_samples(tmp_path / "mine")
    record = theirs / FIRST
    text = record.read_text(encoding="utf-8")
    stated = '[funding.total]\nbudget = "1248.00"\nadjusted = "1231.96"\nexecuted = "1230.37"\n\n'
    assert stated in text
    text = text.replace(stated, "").replace('executed = "1230.37"', 'executed = "1240"', 1)
    record.write_text(text, encoding="utf-8")  # as the app saves an amount typed into a row
    project = load(record).project
    assert project.funding.stated_total is None
    assert blank_text(project, "funding.total.executed", None) == "（未填：各行合计 1240.00）"
    assert blank_text(project, "funding.total", None) == "（未填：各行合计）"
    assert blank_text(project, "funding.score", None) == "（无）"
    assert blank_text(None, "funding.total.budget", None) == "（无）"
    assert blank_text(project, "indicators[6].actual", "") == "（空白）"
    assert blank_text(project, "funding.total.executed", "1240") is None
    assert label("funding.total") == "年度资金总额" and label("funding.other") == "其他资金"
    bundle = tmp_path / "b.toml"
    assert cli.main(["export", str(theirs), "-o", str(bundle)]) == 0
    capsys.readouterr()
    assert cli.main(["import", str(bundle), str(mine), "--dry-run"]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    assert "年度资金总额的年初预算数：本机 1248.00 ／ 包内 （未填：各行合计 1248.00）" in said
    assert "年度资金总额的全年执行数：本机 1230.37 ／ 包内 （未填：各行合计 1240.00）" in said
    assert "（无）" not in said
    assert "或此前没有交换过" in said and "无法判断是哪一方改的" in said


def test_a_rules_name_too_long_for_a_file_is_not_found(tmp_path: Path):
    """test_fuzz found it: a record naming a profile of 1,000 full-width digits stopped
    load_rules with OSError (File name too long) instead of saying the profile is not found."""
    import pytest

    from tui.core.rules import RulesError, load_rules

    (tmp_path / "profiles").mkdir()
    with pytest.raises(RulesError, match="找不到评分规则"):
        load_rules("１" * 1000, tmp_path)
    with pytest.raises(RulesError, match="找不到评分规则"):
        load_rules("１" * 84, tmp_path)  # 252 bytes with .toml: still a name a file may have


def test_zipin_diff_says_a_total_not_stated_is_the_rows_sum(tmp_path: Path, capsys):
    """`zipin diff` (and git through it) words a blank as the import review does: it printed
    “1230.37 → （无）” for a 年度资金总额 no longer stated, as if the budget were gone."""
    folder = copy_samples(tmp_path / "s")
    before = folder / FIRST
    after = tmp_path / "after.toml"
    text = before.read_text(encoding="utf-8")
    stated = '[funding.total]\nbudget = "1248.00"\nadjusted = "1231.96"\nexecuted = "1230.37"\n\n'
    text = text.replace(stated, "").replace('executed = "1230.37"', 'executed = "1240"', 1)
    after.write_text(text, encoding="utf-8")
    cli.main(["diff", str(before), str(after)])
    out = capsys.readouterr().out
    assert "年度资金总额的全年执行数：1230.37 → （未填：各行合计 1240.00）" in out
    assert "（无）" not in out
