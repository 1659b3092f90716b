"""Form layouts as data (tui.printed.layout): the built-in ones, a folder's own, and the printed form
following the layout a record names.

Golden files tests/golden/layout-*.txt were read by eye against the published forms of
../shared/forms (central: 04 天长; sichuan: 03 青神); regenerate with
    ZIPIN_REGEN=1 python -m pytest tests/test_layouts.py -k golden
The words asserted below are copied from those published forms, not from our output.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace

import jsonschema
import pytest

from tui.printed.layout import DEFAULT, LayoutError, builtin_names, load_layout
from tui.printed.form import render_text
from tui.printed.html import render_html
from tui.core.rules import load_rules
from tui.store.recordfile import dumps, load, load_folder
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
OTHER = ROOT / "samples" / "other"
REGEN = os.environ.get("ZIPIN_REGEN") == "1"


def other(prefix: str):
    path = next(OTHER.glob(f"{prefix}-*.toml"))
    project = load(path).project
    return project, load_rules(project.rules, OTHER)


def seed(prefix: str):
    path = next((ROOT / "samples" / "2023").glob(f"{prefix}-*.toml"))
    project = load(path).project
    return project, load_rules(project.rules)


def test_builtin_layouts_load_and_match_the_schema():
    import tomllib

    schema = json.loads((ROOT / "schemas" / "layout.schema.json").read_text("utf-8"))
    assert {"shanghai", "central", "sichuan", "split"} <= set(builtin_names())
    for name in builtin_names():
        path = ROOT / "tui" / "printed" / "layouts" / f"{name}.toml"
        jsonschema.validate(tomllib.loads(path.read_text("utf-8")), schema)
        assert load_layout(name).name == name
    assert load_layout("").name == DEFAULT


def test_a_folder_layout_wins_and_a_bad_one_is_named(tmp_path):
    (tmp_path / "layouts").mkdir()
    own = (ROOT / "tui" / "printed" / "layouts" / "central.toml").read_text("utf-8")
    (tmp_path / "layouts" / "central.toml").write_text(own.replace("项目支出绩效自评表", "某县项目自评表"), "utf-8")
    assert load_layout("central", tmp_path).title == "某县项目自评表"
    (tmp_path / "layouts" / "bad.toml").write_text('name = "bad"\n[indicators]\ncolumns = ["name"]\n', "utf-8")
    with pytest.raises(LayoutError, match=r"bad.toml.*indicators.columns.*level1"):
        load_layout("bad", tmp_path)
    with pytest.raises(LayoutError, match="找不到版式“nope”"):
        load_layout("nope", tmp_path)
    # Read as rule profiles are: a hostile folder layout is a refusal, not a RecursionError.
    (tmp_path / "layouts" / "deep.toml").write_text("x = " + "[" * 20000 + "]" * 20000, "utf-8")
    with pytest.raises(LayoutError, match="deep.toml.*嵌套层数过多"):
        load_layout("deep", tmp_path)


def test_default_layout_prints_the_seed_form_unchanged():
    project, rules = seed("01")
    assert project.layout == ""
    assert render_text(project, rules, 100) == (GOLDEN / "01-100.txt").read_text("utf-8")
    named = replace(project, layout="shanghai")
    assert render_text(named, rules, 100) == (GOLDEN / "01-100.txt").read_text("utf-8")


@pytest.mark.parametrize("name, prefix", [("central", "04"), ("sichuan", "03"), ("split", "04")])
def test_golden(name, prefix):
    project, rules = other(prefix)
    text = render_text(replace(project, layout=name), rules, 120)
    path = GOLDEN / f"layout-{name}.txt"
    if REGEN:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text("utf-8")


def _cells(project, rules) -> set[str]:
    """Every cell's whole text (the canvas's cells, before wrapping)."""
    from tui.printed.form import PrintedForm, console_for

    form = PrintedForm(project, rules, 140)
    _title, canvas = form.layout(console_for(140), 140)
    return {p[5].text.plain.replace("\u200b", "") for p in canvas.placed}


def test_sichuan_prints_what_the_sichuan_form_prints():
    project, rules = other("03")
    text = render_text(project, rules, 140)
    assert text.splitlines()[0].strip() == "部门预算项目支出绩效自评表（2023年度）"
    # 03 青神: the funding block's heading and columns, the split target, 合计, closing rows
    cells = _cells(project, rules)
    for word in ("预算执行情况（10分）", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重",
                 "总额", "其中：财政资金", "财政专户管理资金", "单位资金", "绩效指标（90分）",
                 "指标性质", "指标值", "度量单位", "完成值", "未完成原因分析", "合计", "评价结论",
                 "存在问题", "改进措施", "实施单位（盖章）"):
        assert word in cells, word
    assert "项目负责人：    财务负责人：" in text
    assert "评分等级" not in text and "财政项目支出绩效自评价" not in text
    # its sub-rows print their rates, and "/" under 权重 and 得分: 其中：财政资金 | … | 100.00% | / | /
    row = next(line for line in text.splitlines() if "其中：财政资金" in line)
    assert [c.strip() for c in row.split("│")[-4:-1]] == ["100.00", "/", "/"]
    # the split target of 发放(缴纳)覆盖率: = | 100 | %
    row = next(line for line in text.splitlines() if "=" in line and "100" in line)
    assert [c.strip() for c in row.split("│")[5:8]] == ["=", "100", "%"]


def test_central_prints_no_rate_for_sub_rows_and_no_grade():
    project, rules = other("04")
    text = render_text(project, rules, 120)
    assert text.splitlines()[0].strip() == "项目支出绩效自评表"
    assert text.splitlines()[1].strip() == "（2022年度）"
    assert "评分等级" not in text and "绩效指标" in text
    row = next(line for line in text.splitlines() if "其中：本年财政拨款" in line)
    # 04 天长: 其中:本年财政拨款 880 880 880 - -  (no rate; a dash under 分值 and 得分; money
    # is printed with two decimals whatever the layout)
    assert [c.strip() for c in row.split("│")[3:-1]] == ["880.00", "880.00", "880.00", "—", "", "—"]


def test_level1_weights_in_labels():
    project, rules = seed("01")
    text = render_text(replace(project, layout="split"), rules, 140)
    flat = text.replace(" ", "").replace("│", "")
    # the seed's 01 (tests/golden/01-100.txt): 产出指标 5+10+5+5+15+10+10+10 = 70, 效益指标 5+5+5 = 15, 满意度 5
    assert "（70分）" in flat and "（15分）" in flat and "（5分）" in flat


def test_texts_and_layout_round_trip_and_old_records_keep_their_bytes(tmp_path):
    path = next(OTHER.glob("03-*.toml"))
    assert dumps(load(path).project, path) == path.read_text("utf-8")
    project = load(path).project
    assert project.layout == "sichuan" and project.text("problems").startswith("结合自评情况")
    for loaded in load_folder(ROOT / "samples" / "2023").records:
        assert dumps(loaded.project, loaded.path) == loaded.path.read_text("utf-8")
        assert "layout" not in loaded.path.read_text("utf-8")


def test_html_and_xlsx_follow_the_layout(tmp_path):
    from tui.printed.xlsx import save_workbook, workbook

    project, rules = other("03")
    page = re.sub(r"<[^>]+>", "", render_html([(project, rules)]))
    assert "部门预算项目支出绩效自评表" in page and "合计" in page
    path = tmp_path / "f.xlsx"
    from tui.core.scoring import score

    save_workbook(workbook([(project, score(project, rules))]), path)
    import openpyxl

    ws = openpyxl.load_workbook(path).active
    values = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"指标性质", "度量单位", "合计", "评价结论"} <= values


def test_check_names_a_layout_no_one_has(tmp_path):
    import subprocess
    import sys

    path = next(OTHER.glob("03-*.toml"))
    (tmp_path / "profiles").mkdir()
    for profile in (OTHER / "profiles").glob("*.toml"):
        (tmp_path / "profiles" / profile.name).write_bytes(profile.read_bytes())
    text = path.read_text("utf-8").replace('layout = "sichuan"', 'layout = "guizhou"')
    (tmp_path / path.name).write_text(text, "utf-8")
    done = subprocess.run([sys.executable, "-m", "tui", "check", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "找不到版式“guizhou”" in done.stdout + done.stderr
