"""zipin summary of samples/2023 against the hand-typed seed figures: the 12 totals and grades, the
grade counts (优 10 良 1 中 1), and the year's budget and executed (the year line in issue 15:
预算 5,776.93 执行 4,231.02 万元 73.23%)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from rich.cells import cell_len

from seed_figures import FIGURES
from conftest import ROOT



@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    """A copy of samples/2023: summary keeps an index in the folder (.zipin/), and tests never
    write into the repository."""
    dest = tmp_path_factory.mktemp("summary") / "2023"
    shutil.copytree(ROOT / "samples" / "2023", dest, ignore=shutil.ignore_patterns(".*"))
    return dest


def zipin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8")


def test_json(samples):
    proc = zipin("summary", str(samples), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [(p["name"], p["rate"], p["funding_score"], p["total"], p["grade"])
            for p in data["projects"]] == [(s[1], s[2], s[3], s[4], s[5]) for s in FIGURES]
    assert data["grades"] == {"优": 10, "良": 1, "中": 1, "差": 0}
    assert (data["budget"], data["executed"], data["rate"]) == ("5776.93", "4231.02", "73.23")
    assert data["count"] == 12 and data["errors"] == 0
    assert sum(data["rate_bands"].values()) == 12
    # two projects under 60% (37.40, 51.79), seven at 95% or over, by the seed's rates
    assert data["rate_bands"]["<60%"] == 2 and data["rate_bands"]["≥95%"] == 7
    assert data["title"] == "2023年度项目支出绩效自评结果汇总表"


def test_text_csv_html_xlsx(samples, tmp_path):
    text = zipin("summary", str(samples)).stdout
    assert "5,776.93" in text and "4,231.02" in text and "73.23" in text
    for _file, name, _rate, _f, total, grade, _s in FIGURES:
        line = next(line for line in text.splitlines() if name in line)
        assert total in line and grade in line
    assert "等级分布" in text and "执行率分布" in text
    rows = list(csv.reader(io.StringIO(zipin("summary", str(samples), "--format", "csv").stdout)))
    assert [r[7] for r in rows[1:13]] == [s[4] for s in FIGURES]
    assert rows[-1][3:5] == ["5776.93", "4231.02"]
    html = zipin("summary", str(samples), "--format", "html").stdout
    assert "@page { size: A4 landscape" in html and html.count("<tr>") >= 13 + 5 + 5
    out = tmp_path / "汇总.xlsx"
    assert zipin("summary", str(samples), "--format", "xlsx", "-o", str(out)).returncode == 0
    ws = openpyxl.load_workbook(out)["汇总"]
    assert [ws.cell(r, 2).value for r in range(3, 15)] == [s[1] for s in FIGURES]
    assert [f"{ws.cell(r, 8).value:.2f}" for r in range(3, 15)] == [s[4] for s in FIGURES]
    assert zipin("summary", str(samples), "--format", "xlsx").returncode == 2  # needs -o


def test_a_bad_record_is_named_and_left_out(tmp_path):
    (tmp_path / "bad.toml").write_text("format = 1\n", encoding="utf-8")
    proc = zipin("summary", str(tmp_path), "--format", "json")
    assert proc.returncode == 1 and "bad.toml" in proc.stderr
    assert json.loads(proc.stdout)["count"] == 0


@pytest.mark.parametrize("width", [74, 100, 120, 150])
def test_the_table_keeps_every_column_and_figure_whole_at_any_width(samples, width):
    """At 100 or 120 cells (F9 in a terminal of that size) the names wrap, never a figure and
    never the last column: the table was cut at the right (未解决错误 gone, no right border) and
    1,231.96 folded over two lines."""
    from tui.store import recordfile
    from tui.core.rules import load_rules
    from tui.printed.summary import as_text, summarize
    from tui.core.validation import assess

    rules = load_rules("default")
    items = [(r.path.name, r.project, assess(r.project, rules))
             for r in recordfile.load_folder(samples).records]
    lines = as_text(summarize(items, rules), width).splitlines()
    table = [line for line in lines if line.startswith(("┌", "│", "├", "└"))]
    assert all(cell_len(line) <= width for line in lines)
    assert all(line.endswith(("┐", "│", "┤", "┘")) for line in table)  # the right border drawn
    assert "错误" in "".join(table[:6])
    for number, (_file, _name, rate, funding, total, grade, _s) in enumerate(FIGURES, 1):
        row = next(line for line in table if line.startswith("│") and line.split("│")[1].strip() == str(number))
        cells = [c.strip() for c in row.strip("│").split("│")]
        assert cells[-5:] == [rate, funding, total, grade, "0"], row
    assert any("1,231.96" in line for line in table) and any("5,776.93" in line for line in table)
