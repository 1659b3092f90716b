"""Cells as Excel's tab-separated text, both ways (tui.ui.clipboard, no Textual)."""

from __future__ import annotations


import pytest

from tui.ui.clipboard import from_tsv, is_table, paste_rows, row_cells, to_tsv
from tui.core.model import ParseError
from tui.store.recordfile import load
from conftest import SAMPLES



def test_cells_with_tabs_quotes_and_line_breaks_go_out_and_come_back():
    rows = [["a\tb", '说"明"', "两\n行"], ["", "x", ""]]
    text = to_tsv(rows)
    assert text.endswith("\n")
    assert from_tsv(text) == rows
    assert from_tsv(text.replace("\n", "\r\n")) == rows


def test_what_counts_as_a_range():
    assert is_table("a\tb") and is_table("a\nb\n")
    assert not is_table("一段文字") and not is_table("一格\n") and not is_table("两\n行")


def test_copied_rows_paste_back_to_the_same_project():
    project = load(next(SAMPLES.glob("11-*.toml"))).project
    rows = [row_cells(project, i) for i in range(len(project.indicators))]
    assert paste_rows(project, 0, "level1", from_tsv(to_tsv(rows))) == project


def test_too_many_columns_are_refused():
    project = load(next(SAMPLES.glob("11-*.toml"))).project
    with pytest.raises(ParseError, match="从“偏差原因分析”起只有 1 列"):
        paste_rows(project, 0, "reason", [["a", "b"]])


def test_a_pasted_figure_out_of_bounds_is_refused_before_it_can_be_saved():
    """Sixteen digits pasted from a sheet: once taken, saved and then refused on open (the
    loader's bounds); now refused at the paste, naming the cell."""
    project = load(next(SAMPLES.glob("11-*.toml"))).project
    with pytest.raises(ParseError, match="第 1 项指标的分值"):
        paste_rows(project, 0, "weight", [["9" * 16]])
