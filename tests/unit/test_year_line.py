"""The year line under the project list: its rate is rounded by the rule profile, in its wide
context, so no amount, however large, can stop the app (Decimal's default context raised)."""

from __future__ import annotations

from decimal import Decimal

from tui.core.rules import load_rules
from tui.ui.screens.documents import year_lines
from tui.ui.widgets.entry import Entry


def _entry(adjusted: str, executed: str) -> Entry:
    return Entry(key="k", name="项目", year=2023, file="f.toml", grade="优",
                 adjusted=Decimal(adjusted), executed=Decimal(executed))


def test_a_huge_amount_is_shown_not_raised():
    text = year_lines([_entry("1", "1" + "0" * 40)], load_rules("default")).plain
    assert "2023年 1 项" in text
    assert text.endswith("100" + "0" * 40 + ".00%")


def test_the_rate_follows_the_profile_rounding():
    entries = [_entry("3", "2")]  # 66.666…%
    assert year_lines(entries, load_rules("default")).plain.endswith("66.66%")  # truncates
    assert year_lines(entries, load_rules("half-up")).plain.endswith("66.67%")
