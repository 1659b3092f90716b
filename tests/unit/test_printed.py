"""The printed form (tui.printed.form) and `zipin render`.

The rendered text is read back as a person reads the paper: `cells()` finds every bordered cell of
the drawn table (a flood fill between box-drawing characters) and returns their texts in reading
order, top to bottom, left to right; a merged cell (a 一级指标 over many rows) is one cell. The
figures in those texts must be the seed's figures in the seed's order, digit for digit.

Golden files: tests/golden/*.txt, the text rendering of two samples at widths 100 and 160.
Regenerate them (then read them by eye; they must look like the paper form) with

    ZIPIN_REGEN=1 python -m pytest tests/test_printed.py -k golden
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from tui.cli import main
from tui.core.format import amount, fixed
from tui.core.model import FUNDING_ROWS
from tui.printed.form import (ACHIEVED_LABEL, EXPECTED_LABEL, FUNDING_HEADER, GOALS_LABEL, GRADE_LABEL,
                         INDICATOR_HEADER, TITLE, TOTAL_LABEL, printed_form, render_svg,
                         render_text)
from tui.printed.html import render_html
from tui.core.rules import load_rules
from tui.core.scoring import score
from tui.store.recordfile import load, record_files
from tui.core.validation import assess

from conftest import GOLDEN, NO_SEED, ROOT, SEED

SAMPLES = ROOT / "samples" / "2023"
REGEN = os.environ.get("ZIPIN_REGEN") == "1"

BOX = frozenset("─│┌┐└┘├┤┬┴┼")
ASCII_BOX = frozenset("+-|")
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
QUANTITY = re.compile(r"[≥≤=<>]?\d[\d.,]*\([^()\n]*\)")
TIER = re.compile(r"部分达成指标并具有一定效果|未达成指标且效果较差|达成指标")
FILES = [p.name for p in record_files(SAMPLES)]
# Where the paper drops a trailing zero the program prints (form 07's total "98.4").
PAPER_SHORT = {("07-残疾人事业综合保障经费.toml", "98.4", "98.40")}


def sample(name: str):
    path = SAMPLES / name
    project = load(path).project
    return project, load_rules(project.rules, path.parent)


def text_of(name: str, width: int = 100, ascii_ops: bool = False) -> str:
    project, rules = sample(name)
    return render_text(project, rules, width, ascii_ops)


def cells(text: str, border=BOX) -> list[tuple[int, int, str]]:
    """Every bordered cell of a drawn table: (top line, left column, its text), in reading order.
    A wide character takes two columns; a cell's lines are joined without separators."""
    grid = []
    for line in text.split("\n"):
        row: list[str] = []
        for ch in line:
            row.append(ch)
            if cell_len(ch) == 2:
                row.append("\0")  # the second column of a wide character
        grid.append(row)
    top = next(i for i, row in enumerate(grid) if row and row[0] in "┌+")
    seen: set[tuple[int, int]] = set()
    found = []
    for y in range(top, len(grid)):
        for x, ch in enumerate(grid[y]):
            if (y, x) in seen or ch in border:
                continue
            stack, points = [(y, x)], []
            seen.add((y, x))
            while stack:
                cy, cx = stack.pop()
                points.append((cy, cx))
                for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                    if (top <= ny < len(grid) and 0 <= nx < len(grid[ny])
                            and (ny, nx) not in seen and grid[ny][nx] not in border):
                        seen.add((ny, nx))
                        stack.append((ny, nx))
            lines: dict[int, list[str]] = {}
            for cy, cx in sorted(points):
                lines.setdefault(cy, []).append(grid[cy][cx].replace("\0", ""))
            y0 = min(p[0] for p in points)
            x0 = min(p[1] for p in points if p[0] == y0)
            found.append((y0, x0, "".join("".join(chars).strip() for _, chars in sorted(lines.items()))))
    return sorted(found)


def reading(text: str, border=BOX) -> list[str]:
    return [t for _, _, t in cells(text, border)]


def numbers(texts) -> list[str]:
    return [n for t in texts for n in NUMBER.findall(t)]


# ---------------------------------------------------------------------------------------------
# Against the seed


def seed_forms() -> dict[str, str]:
    """项目名称 -> the seed's text of that form (after its title line)."""
    if not SEED.is_file():
        pytest.skip(NO_SEED)
    text = SEED.read_text(encoding="utf-8")
    forms = re.split(r"^财政项目支出绩效自评价\s*$", text, flags=re.M)[1:]
    out = {}
    for form in forms:
        name = re.search(r"^项目名称 (.+)$", form, flags=re.M)
        out[name.group(1).strip()] = form
    assert len(out) == 12
    return out


def unwrap_quantities(text: str) -> str:
    """Undo the seed's wraps inside targets and actuals: `≥\\n2.00(次)`, `100.00\\n(%)`,
    `=100.00(\\n%)`, `4000.00(\\n人次)`."""
    text = re.sub(r"(?<=[≥≤=<>])\s*\n\s*", "", text)
    text = re.sub(r"(?<=\d)\s*\n\s*(?=\()", "", text)
    return re.sub(r"\(\s*\n\s*", "(", text)


def same_figures(file: str, printed: list[str], rendered: list[str]) -> list[str]:
    problems = []
    if len(printed) != len(rendered):
        problems.append(f"{len(rendered)} figures rendered, {len(printed)} printed")
    for k, (p, r) in enumerate(zip(printed, rendered)):
        if p != r and (file, p, r) not in PAPER_SHORT:
            problems.append(f"figure {k}: printed {p!r}, rendered {r!r}")
            break
    return problems


@pytest.mark.parametrize("width", [100, 160])
@pytest.mark.parametrize("file", FILES)
def test_figures_in_seed_order(file, width):
    """Every figure of the form (amounts, weights, rates, scores, targets, actuals, total, and the
    figures inside names, goals and reasons) in the order the paper prints them."""
    forms = seed_forms()
    project, rules = sample(file)
    seed = forms[project.name]
    rendered = reading(render_text(project, rules, width))
    problems = same_figures(file, NUMBER.findall(seed), numbers(rendered))
    assert not problems, problems
    # Targets and actuals as printed, operators and units included.
    assert QUANTITY.findall(unwrap_quantities(seed)) == QUANTITY.findall("\n".join(rendered))
    # Qualitative tiers, in order.
    flat = re.sub(r"\s+", "", seed)
    assert TIER.findall(flat) == TIER.findall("".join(rendered))


def test_seed_has_twelve_forms_matching_the_samples():
    forms = seed_forms()
    assert sorted(forms) == sorted(sample(f)[0].name for f in FILES)


# ---------------------------------------------------------------------------------------------
# The samples render their own figures (needs no seed)


def expected_texts(project, sheet) -> list[str]:
    """The form's cell texts in reading order, built from the record and its score sheet."""
    out = ["项目名称", project.name, "主管部门", project.department, "实施单位", project.implementer,
           f"项目资金（{project.money_unit}）", *FUNDING_HEADER]
    labels = {"total": "年度资金总额", "appropriation": "其中：当年财政拨款", **dict(FUNDING_ROWS)}
    for i, row in enumerate(sheet.rows):
        a = row.amounts
        out += [labels[row.key], amount(a.budget), amount(a.adjusted), amount(a.executed)]
        out += ([fixed(project.funding.weight), fixed(row.rate), fixed(sheet.funding_score)] if i == 0
                else ["-", fixed(row.rate), "-"])
    out += [GOALS_LABEL, EXPECTED_LABEL, ACHIEVED_LABEL, project.expected, project.achieved,
            *INDICATOR_HEADER]
    prev = None
    for item, result in zip(project.indicators, sheet.indicators):
        if item.level1 != (prev.level1 if prev else None):
            out.append(item.level1)
        if (item.level1, item.level2) != ((prev.level1, prev.level2) if prev else None):
            out.append(item.level2)
        out += [item.name, item.target, item.actual, fixed(item.weight), fixed(result.score),
                item.reason]
        prev = item
    return out + [TOTAL_LABEL, "100", fixed(sheet.total), GRADE_LABEL, sheet.grade]


@pytest.mark.parametrize("file", FILES)
def test_sample_renders_its_own_figures(file):
    project, rules = sample(file)
    sheet = score(project, rules)
    rendered = reading(render_text(project, rules, 100))
    assert numbers(rendered) == numbers(expected_texts(project, sheet))
    for label in ("项目名称", "主管部门", "实施单位", f"项目资金（{project.money_unit}）", *FUNDING_HEADER,
                  "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", GOALS_LABEL,
                  EXPECTED_LABEL, ACHIEVED_LABEL, *INDICATOR_HEADER, TOTAL_LABEL, GRADE_LABEL):
        assert label in rendered, label
    title = render_text(project, rules, 100).split("\n")[0]
    assert TITLE in title and f"{project.year}年度" in title


def test_overridden_score_is_printed():
    """11's 系统验收通过率: 0% against 100% computes 0.00; the recorded 2.50 is what prints."""
    project, rules = sample("11-信息化建设项目.toml")
    texts = reading(render_text(project, rules, 100))
    i = texts.index("系统验收通过率")
    assert texts[i:i + 6] == ["系统验收通过率", "=100(%)", "0.00(%)", "5.00", "2.50",
                              "决策管理系统尚未进行验收"]
    assert texts[-6:] == [TOTAL_LABEL, "100", "71.67", "", GRADE_LABEL, "中"]


def test_level_names_are_merged_cells():
    project, rules = sample("11-信息化建设项目.toml")
    text = render_text(project, rules, 100)
    found = cells(text)
    texts = [t for _, _, t in found]
    assert texts.count("产出指标") == 1 and texts.count("效益指标") == 1
    assert texts.count("质量指标") == 1  # three indicators, one cell
    # The 产出指标 cell is as tall as its six indicators.
    lines = text.split("\n")
    top = next(y for y, x, t in found if t == "产出指标")
    bottom = next(y for y, x, t in found if t == "效益指标")
    names = [t for y, x, t in found if top <= y < bottom and t in {i.name for i in project.indicators}]
    assert len(names) == 6
    assert all(line.startswith("│") for line in lines[top:bottom - 1])  # no border across it
    assert lines[bottom - 1].startswith("├")


def test_accepts_rules_sheet_or_assessment():
    project, rules = sample("08-残疾预防与康复经费.toml")
    console = Console(file=io.StringIO(), width=100)
    outs = []
    for given_ in (rules, score(project, rules), assess(project, rules)):
        console.begin_capture()
        console.print(printed_form(project, given_, 100))
        outs.append(console.end_capture())
    assert outs[0] == outs[1] == outs[2]


# ---------------------------------------------------------------------------------------------
# Width


def assert_table(text: str, width: int, border=BOX) -> None:
    lines = text.rstrip("\n").split("\n")
    assert all(cell_len(line) <= width for line in lines), max(cell_len(x) for x in lines)
    table = lines[1:]
    corners = ("┌", "┐", "└", "┘") if border is BOX else ("+",) * 4
    assert table[0][0] == corners[0] and table[0][-1] == corners[1]
    assert table[-1][0] == corners[2] and table[-1][-1] == corners[3]
    assert all(cell_len(line) == width for line in table)


@pytest.mark.parametrize("width", [100, 160])
@pytest.mark.parametrize("file", FILES)
def test_never_wider_than_asked(file, width):
    assert_table(text_of(file, width), width)


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_other_widths_stay_tables(width):
    for file in FILES[::3]:
        text = text_of(file, width)
        assert_table(text, width)
        project, rules = sample(file)
        assert numbers(reading(text)) == numbers(expected_texts(project, score(project, rules)))


def test_embedded_renderable_takes_the_container_width():
    project, rules = sample("03-残疾人教育和就业经费.toml")
    console = Console(file=io.StringIO(), width=72, color_system=None)
    console.print(printed_form(project, rules))  # no width: the console's
    lines = console.file.getvalue().rstrip("\n").split("\n")
    assert max(cell_len(line) for line in lines) == 72
    # A width wider than the container is capped by it.
    console = Console(file=io.StringIO(), width=90, color_system=None)
    console.print(printed_form(project, rules, width=140))
    assert max(cell_len(line) for line in console.file.getvalue().split("\n")) == 90


HOSTILE = st.text(
    alphabet=st.sampled_from(list("ab 1.2[/]<>&\"'\\\t\n\x1b\x07\x7f\u200b")
                             + list("中文指标“”≥≤—…·×√①é") + ["\u0301", "😀", "\uff10"]),
    max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=HOSTILE, reason=HOSTILE, level2=HOSTILE, target=HOSTILE, width=st.integers(40, 200))
def test_any_text_any_width(name, reason, level2, target, width):
    project, rules = sample("12-信息化运维项目.toml")
    items = list(project.indicators)
    items[0] = replace(items[0], name=name, reason=reason, level2=level2, target=target)
    project = replace(project, name=name, expected=reason, indicators=tuple(items))
    text = render_text(project, rules, width)
    assert "\x1b" not in text and "\x07" not in text
    assert_table(text, width)


# ---------------------------------------------------------------------------------------------
# User text is text


NASTY = "[bold]粗[/bold] [/x] <script>alert(1)</script> \x1b[31m红\x1b[0m & [link=x]y[/link]"


def nasty_project():
    project, rules = sample("01-残疾人基本保障和帮扶经费.toml")
    items = list(project.indicators)
    items[0] = replace(items[0], name=NASTY, reason=NASTY, level2="[/" + items[0].level2)
    return replace(project, name=NASTY, department="[red]部门", implementer="<b>单位</b>",
                   expected=NASTY, achieved="\x1b]0;title\x07结束", indicators=tuple(items)), rules


def visible(s: str) -> str:
    return s.replace("\x1b", "␛").replace("\x07", "␇")


def test_markup_and_escapes_print_literally():
    project, rules = nasty_project()
    text = render_text(project, rules, 160)
    joined = "".join(reading(text)).replace(" ", "")  # a wrap may fall on a space
    assert joined.count(visible(NASTY).replace(" ", "")) == 4  # name, goal, indicator, reason
    assert "[red]部门" in joined and "<b>单位</b>" in joined and "␛]0;title␇结束" in joined
    assert "\x1b" not in text and "\x07" not in text
    # Printed to a terminal: Rich's own colours only; the user's escape never reaches it.
    console = Console(file=io.StringIO(), width=160, force_terminal=True, color_system="truecolor")
    console.print(printed_form(project, rules))
    out = console.file.getvalue()
    assert "\x1b[31m红" not in out and "\x1b]0;" not in out and "␛[31m红" in out


def test_html_and_svg_escape_user_text():
    project, rules = nasty_project()
    page = render_html([(project, rules)], 160)
    assert "<script>" not in page and "&lt;script&gt;" in page and "\x1b" not in page
    svg = render_svg(project, rules, 160)
    root = ET.fromstring(svg)  # well-formed
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>alert(1)</script>" in texts.replace("\xa0", " ")


# ---------------------------------------------------------------------------------------------
# ASCII operators


def test_ascii_option_leaves_no_ambiguous_characters():
    for file in FILES:
        text = text_of(file, 100, ascii_ops=True)
        odd = {ch for ch in text if unicodedata.east_asian_width(ch) == "A"}
        assert not odd, (file, odd)
        assert_table(text, 100, border=ASCII_BOX)
    text = text_of("01-残疾人基本保障和帮扶经费.toml", 100, ascii_ops=True)
    assert re.search(r"\|\s+>=2\.00\(次\)\s+\|", text) and ">=90(%)" in text


# ---------------------------------------------------------------------------------------------
# Golden files


@pytest.mark.parametrize("width", [100, 160])
@pytest.mark.parametrize("file", ["01-残疾人基本保障和帮扶经费.toml", "11-信息化建设项目.toml"])
def test_golden(file, width):
    golden = GOLDEN / f"{file[:2]}-{width}.txt"
    text = text_of(file, width)
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"missing {golden}: ZIPIN_REGEN=1 python -m pytest {__file__} -k golden"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected
    assert all(cell_len(line) <= width for line in expected.split("\n"))


# ---------------------------------------------------------------------------------------------
# SVG and HTML


class _Pres(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pres, self.title, self._in_title = 0, "", False

    def handle_starttag(self, tag, attrs):
        if tag == "section" and ("class", "form") in attrs:
            self.pres += 1
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def test_svg_is_well_formed_and_keeps_columns():
    project, rules = sample("11-信息化建设项目.toml")
    svg = render_svg(project, rules, 100)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    texts = list(root.iter(f"{ns}text"))
    assert texts
    # Every text run sits on the column grid and is as long as its cells: CJK keeps two columns.
    width = 20 * 0.61
    for t in texts:
        content = (t.text or "").replace("\xa0", " ")
        x, length = float(t.get("x")), float(t.get("textLength"))
        assert abs(x / width - round(x / width)) < 1e-6
        assert abs(length - width * cell_len(content)) < 1e-6
    assert "中" in "".join(t.text or "" for t in texts)


def test_html_is_one_document_with_a_page_per_form():
    forms = [sample(f) for f in FILES]
    page = render_html(forms, 100)
    parser = _Pres()
    parser.feed(page)
    assert parser.pres == 12
    assert page.count("break-before: page") == 1  # one rule: every form after the first
    assert "@page { size: A4 portrait;" in page
    assert '<span class="w">财</span>' in page


# ---------------------------------------------------------------------------------------------
# zipin render


def run(args, capsys) -> tuple[int, str, str]:
    code = main(["render", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_render_file_to_stdout(capsys):
    code, out, err = run([str(SAMPLES / FILES[0]), "--width", "120"], capsys)
    assert code == 0 and not err
    assert "\x1b" not in out
    assert out == text_of(FILES[0], 120)


def test_render_folder_in_file_name_order(capsys):
    code, out, _ = run([str(SAMPLES)], capsys)
    assert code == 0
    names = re.findall(r"│\s*项目名称\s*│ (\S+)", out)
    assert names == [sample(f)[0].name for f in FILES]
    assert all(cell_len(line) <= 100 for line in out.split("\n"))


def test_render_html_and_svg_files(tmp_path, capsys):
    out = tmp_path / "forms.html"
    code, _, err = run([str(SAMPLES), "--format", "html", "-o", str(out)], capsys)
    assert code == 0 and not err
    parser = _Pres()
    parser.feed(out.read_text(encoding="utf-8"))
    assert parser.pres == 12
    folder = tmp_path / "svg"
    code, _, err = run([str(SAMPLES), "--format", "svg", "-o", str(folder)], capsys)
    assert code == 0 and not err
    svgs = sorted(folder.glob("*.svg"))
    assert [p.stem for p in svgs] == [Path(f).stem for f in FILES]
    for p in svgs:
        ET.parse(p)
    code, out_, _ = run([str(SAMPLES / FILES[10]), "--format", "svg", "--ascii"], capsys)
    assert code == 0 and ET.fromstring(out_) is not None and "≥" not in out_


def test_render_bad_file(tmp_path, capsys):
    bad = tmp_path / "坏.toml"
    bad.write_text("name = [", encoding="utf-8")
    code, out, err = run([str(bad)], capsys)
    assert code == 1 and not out
    assert err.count("\n") == 1 and str(bad) in err and "无法读取" in err
    # In a folder, the good records still render; the bad one is named; exit 1.
    (tmp_path / "ok.toml").write_text((SAMPLES / FILES[0]).read_text(encoding="utf-8"),
                                      encoding="utf-8")
    code, out, err = run([str(tmp_path)], capsys)
    assert code == 1 and "残疾人基本保障和帮扶经费" in out and str(bad) in err


@pytest.mark.parametrize("args", [
    ["nope.toml"],
    ["samples/2023", "--width", "10"],
    ["samples/2023", "--width", "abc"],
    ["samples/2023", "--format", "pdf"],
    ["samples/2023", "--format", "svg"],  # a folder of SVGs needs -o DIR
    [],
])
def test_render_usage_errors(args, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(args, capsys)
    assert code == 2 and not out and err


def test_render_from_the_command_line():
    proc = subprocess.run([sys.executable, "-m", "tui", "render", str(SAMPLES / FILES[1]),
                           "--ascii"], capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "─" not in proc.stdout and "+---" in proc.stdout


# ---------------------------------------------------------------------------------------------
# Headless


def test_printed_never_imports_textual():
    code = ("import sys, tui.printed.form, tui.commands.render; "
            "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
