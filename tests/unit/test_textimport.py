"""Importing the text of printed forms (tui.exchange.textimport and `zipin import-text`).

The seed is the pdftotext output of twelve printed forms. Importing it must give twelve records
whose every printed figure comes out of our scoring, with the line wraps undone; the records must
equal the hand-transcribed samples/2023 field by field. Variants of the seed (other operators, 元,
thousands separators, re-wrapped lines, cut-off text) are built by string replacement here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from decimal import Decimal

import pytest

from tui.cli import main
from tui.core.rules import load_rules
from tui.core.scoring import score
from tui.store.codec import record_from_dict, record_to_dict
from tui.store.recordfile import load_folder
from tui.exchange.textimport import check_form, import_text, width

from conftest import NO_SEED, ROOT, SEED

SAMPLES = ROOT / "samples" / "2023"
SEED_PATH = SEED
pytestmark = pytest.mark.skipif(not SEED_PATH.is_file(), reason=NO_SEED)

RULES = load_rules()


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def imported(text: str, year: int | None = 2023):
    result = import_text(text, year=year)
    for form in result.forms:
        check_form(form, RULES)
    return result


def comparable(record: dict) -> dict:
    """A record in canonical form, without its id."""
    data = record_to_dict(record_from_dict(record, "test"))
    data.pop("id")
    return data


@pytest.fixture(scope="module")
def seed_import(seed):
    return imported(seed)


# ---------------------------------------------------------------------------------------------
# The seed


def test_seed_gives_twelve_forms_that_agree_with_themselves(seed_import):
    result = seed_import
    assert result.ok, [(f.name, f.problems) for f in result.forms]
    assert len(result.forms) == 12
    assert all(not f.disagreements for f in result.forms), \
        {f.name: f.disagreements for f in result.forms if f.disagreements}


def test_every_printed_figure_matches_scoring(seed_import):
    count = 0
    for form in seed_import.forms:
        project = record_from_dict(form.record, form.name)
        sheet = score(project, RULES)
        p = form.printed
        assert Decimal(p.rate) == sheet.rate, form.name
        assert Decimal(p.funding_score) == sheet.funding_score, form.name
        for row in sheet.rows[1:]:
            assert Decimal(p.row_rates[row.key]) == row.rate, (form.name, row.key)
        assert Decimal(p.total) == sheet.total, form.name
        assert Decimal(p.weight_total) == sheet.weight_total == 100, form.name
        assert p.grade == sheet.grade, form.name
        assert len(p.indicator_scores) == len(sheet.indicators), form.name
        for said, result in zip(p.indicator_scores, sheet.indicators):
            assert Decimal(said) == result.score, form.name
            count += 1
    assert count == 130


def test_seed_totals_and_grades(seed_import):
    totals = [(f.printed.total, f.printed.grade) for f in seed_import.forms]
    assert totals == [("99.98", "优"), ("99.97", "优"), ("99.63", "优"), ("99.88", "优"),
                      ("98.96", "优"), ("98.17", "优"), ("98.4", "优"), ("86.74", "良"),
                      ("99.67", "优"), ("99.84", "优"), ("71.67", "中"), ("98.95", "优")]


def test_only_the_two_real_overrides_are_recorded(seed_import):
    scored = [(f.name, i["name"], i["score"]) for f in seed_import.forms
              for i in f.record["indicators"] if "score" in i]
    assert scored == [("信息化建设项目", "系统验收通过率", "2.50"),
                      ("信息化运维项目", "长效管理制度健全性", "9.00")]


def _indicator(result, form_name: str, name: str) -> dict:
    form = next(f for f in result.forms if f.name == form_name)
    return next(i for i in form.record["indicators"] if i["name"] == name)


def test_wrapped_cells_come_out_whole(seed_import):
    r = seed_import
    item = _indicator(r, "残疾预防与康复经费", "脊髓损伤伤友“希望之家”机构康复训练计划完成率")
    assert (item["target"], item["actual"], item["weight"]) == ("=100(%)", "30.00(%)", "5.00")
    assert item["reason"] == "该项目2022年受疫情影响延期至2023年执行，导致2023年采购完成较晚，当年未全部完成，申请延期支付。"
    item = _indicator(r, "残疾预防与康复经费", "残疾人健康体检计划完成率")
    assert item["reason"] == "因政策调整，采购内容与往年有所变化，8月底才完成采购，导致当年无法全额执行，申请延期支付。"
    item = _indicator(r, "残疾人事业宣传经费", "微信、微博、抖音、网站、杂志等融媒体平台，信息发布出版发行及时性")
    assert (item["level2"], item["target"], item["actual"]) == ("时效指标", "及时", "达成指标")
    item = _indicator(r, "残疾人基本保障和帮扶经费", "元旦春节走访慰问人次")
    assert (item["target"], item["actual"]) == ("≥100.00(人次)", "100.00(人次)")
    item = _indicator(r, "信息化建设项目", "系统安全性")
    assert (item["target"], item["actual"]) == ("安全", "部分达成指标并具有一定效果")
    assert item["reason"] == "决策管理系统已完成安全测评项目招标，待项目完成后启动安测"
    item = _indicator(r, "信息化建设项目", "工作人员办公效率")
    assert item["reason"] == "残疾人服务大厅已在开发中，上线后会对残疾人业务办理便捷程度有所提高"
    item = _indicator(r, "信息化建设项目", "使用人员满意度")
    assert (item["target"], item["actual"], item["reason"]) == \
        ("90", "未达成指标且效果较差", "决策管理系统尚未进行满意度测评")
    item = _indicator(r, "信息化运维项目", "使用人员满意度")
    assert item["reason"] == "口头调研，未开展满意度问卷调查"


def test_the_seed_oddities_are_kept(seed_import):
    r = seed_import
    item = _indicator(r, "信息化建设项目", "安全管理")
    assert (item["level2"], item["target"]) == ("生态效益指标", "数据安全")
    item = _indicator(r, "信息化建设项目", "应用安全")
    assert item["target"] == "无逻辑漏洞"
    item = _indicator(r, "残疾人事业宣传经费", "宣传地区覆盖率")  # after a page break
    assert (item["level1"], item["level2"]) == ("效益指标", "社会效益指标")
    item = _indicator(r, "信息化建设项目", "平台建设完成率")  # the cell clips the reason
    assert item["reason"].endswith("已申请项目延期，目前")
    first = r.forms[0].record
    assert "全年攻击帮扶残疾人6275人" in first["goals"]["achieved"]
    seventh = r.forms[6].record["funding"]
    assert seventh["other"] == {"budget": "24.00", "adjusted": "24.00", "executed": "0.00"}
    assert r.forms[6].printed.row_rates == {"appropriation": "88.15", "carried_over": "0.00",
                                            "other": "0.00"}
    assert r.forms[7].record["funding"]["total"]["budget"] == "1903.76"


def test_no_field_keeps_a_line_wrap(seed_import):
    for form in seed_import.forms:
        rec = form.record
        assert rec["year"] == 2023 and rec["money_unit"] == "万元"
        assert rec["department"] == rec["implementer"] == "上海市残疾人联合会"
        for item in rec["indicators"]:
            for key in ("level1", "level2", "name", "target", "actual", "reason"):
                assert "\n" not in item.get(key, ""), (form.name, item)
                assert item.get(key, "") == item.get(key, "").strip()
            assert item["level1"] in ("产出指标", "效益指标", "满意度指标")


def test_goal_texts_join_wraps_and_keep_paragraphs(seed_import):
    first = seed_import.forms[0].record["goals"]
    assert first["expected"] == (
        "本年度预计使用财政资金，精准帮扶全市“一人一档”困难残疾人，并做好日常的走访慰问工作。\n"
        "以上补贴流程规范、补贴标准执行准确，补贴资金发放及时，残疾职工基本生活保障情况稳定，"
        "经济状况改善，未发生有责投诉，长效管理制度建立健全，受益人满意度达到90%及以上。")
    second = seed_import.forms[1].record["goals"]["expected"].split("\n")
    assert [line[:2] for line in second] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert second[2].endswith("开展各类别残疾人群体需求调研。")
    sixth = seed_import.forms[5].record["goals"]
    assert sixth["achieved"] == "预期目标均已完成"
    assert sixth["expected"].startswith("项目总目标\n通过整合")
    assert "每期发行量7000 册，并出版全年合订本100 册。" in sixth["expected"]
    third = seed_import.forms[2].record["goals"]["achieved"]
    assert "实际支出100545.2元；" in third  # a number wrapped to the next line
    eleventh = seed_import.forms[10].record["goals"]["achieved"].split("\n")
    assert len(eleventh) == 3 and eleventh[1].endswith("实际执行71.46万。")


def test_width_counts_cjk_as_two():
    assert width("2.00(次)") == 8
    assert width("全市“一人一档”") == 16


# ---------------------------------------------------------------------------------------------
# Against the hand-transcribed samples


def test_import_equals_the_samples_field_by_field(seed_import):
    files = sorted(SAMPLES.glob("*.toml"))
    if len(files) < 12:
        pytest.skip("samples/2023 not complete")
    by_name = {f.record["name"]: comparable(f.record) for f in seed_import.forms}
    differences = []
    for path in files:
        sample = comparable(tomllib.loads(path.read_text(encoding="utf-8")))
        mine = by_name.pop(sample["name"], None)
        if mine is None:
            differences.append(f"{path.name}: no imported form named {sample['name']}")
            continue
        differences += _diff(path.name, sample, mine)
    differences += [f"imported form {name} has no sample" for name in by_name]
    assert not differences, "\n".join(differences)


def _diff(where: str, sample, mine) -> list[str]:
    if isinstance(sample, dict) and isinstance(mine, dict):
        out = []
        for key in list(sample) + [k for k in mine if k not in sample]:
            if key not in mine:
                out.append(f"{where}.{key}: sample {sample[key]!r}, import has none")
            elif key not in sample:
                out.append(f"{where}.{key}: import {mine[key]!r}, sample has none")
            else:
                out += _diff(f"{where}.{key}", sample[key], mine[key])
        return out
    if isinstance(sample, list) and isinstance(mine, list):
        out = [f"{where}: sample has {len(sample)} items, import {len(mine)}"] \
            if len(sample) != len(mine) else []
        for n, (a, b) in enumerate(zip(sample, mine)):
            out += _diff(f"{where}[{n}]", a, b)
        return out
    return [] if sample == mine else [f"{where}: sample {sample!r} != import {mine!r}"]


# ---------------------------------------------------------------------------------------------
# Variants of the seed


def _records(text: str, year: int | None = 2023) -> list[dict]:
    result = imported(text, year)
    assert result.ok, [(f.name, f.problems) for f in result.forms] + result.problems
    assert all(not f.disagreements for f in result.forms), \
        [(f.name, f.disagreements) for f in result.forms]
    return [comparable(f.record) for f in result.forms]


@pytest.fixture(scope="module")
def seed_records(seed_import):
    return [comparable(f.record) for f in seed_import.forms]


@pytest.mark.parametrize("old, new", [
    ("≥", ">="), ("≥", "≧"), ("≥", "＞＝"), ("=", "═"), ("=", "﹦"), ("=", "＝"),
])
def test_operator_spellings(seed, seed_records, old, new):
    assert _records(seed.replace(old, new)) == seed_records


def test_full_width_brackets_around_units(seed, seed_records):
    text = re.sub(r"\((\n*)(%|次|个|人次|件|项|场)\)", r"（\1\2）", seed)
    assert text.count("（%）") > 50
    assert _records(text) == seed_records


def test_full_width_digits_in_figures(seed, seed_records):
    text = seed.replace("2.00(次) 5.00 5.00", "２.００(次) ５.００ ５.００")
    assert _records(text) == seed_records


def test_yuan_and_thousands_separators(seed, seed_records):
    text = seed.replace("项目资金（万元）", "项目资金（元）", 1)
    text = text.replace("1,248.00 1,231.96 1,230.37", "12,480,000.00 12,319,600.00 12,303,700.00")
    records = _records(text)
    funding = records[0]["funding"]
    assert records[0]["money_unit"] == "元"
    assert funding["total"] == {"budget": "12480000.00", "adjusted": "12319600.00",
                                "executed": "12303700.00"}
    assert funding["appropriation"] == funding["total"]
    assert records[1:] == seed_records[1:]


def test_plain_amounts_over_a_thousand(seed, seed_records):
    records = _records(seed.replace("1,903.76 1,810.76", "1903.76 1810.76"))
    assert records == seed_records


def test_text_wrapped_at_other_points(seed, seed_records):
    text = seed.replace("项目名称 残疾人基本保障和帮扶经费", "项目名称 残疾人基本保障\n和帮扶经费")
    text = text.replace("年度资金总额 1,248.00 1,231.96 1,230.37 10.00 99.87 9.98",
                        "年度资金\n总额 1,248.00 1,231.96\n1,230.37 10.00\n99.87 9.98")
    text = text.replace("≥90(%)\n100.00\n(%)", "≥\n90\n(%)\n\n100.00(\n%)")
    text = text.replace("=0(次) 0.00(次) 5.00 5.00", "=\n0(次)\n0.00\n(次) 5.00 5.00")
    assert _records(text) == seed_records


def test_repeated_column_header_after_a_page_break(seed, seed_records):
    header = "一级指\n标\n\n二级指\n标\n\n三级指\n标\n\n年度指\n标值\n\n实际完\n成值\n\n分值 得分 偏差原因分析\n"
    text = seed.replace("\n\n\n效益指标\n\n可持续影\n响指标", "\n\f" + header + "\n效益指标\n\n可持续影\n响指标", 1)
    assert text != seed
    assert _records(text) == seed_records


def test_year_from_the_title_or_the_text(seed):
    first = seed[:seed.index("财政项目支出绩效自评价", 10)]
    result = imported(first.replace("财政项目支出绩效自评价", "2022年度财政项目支出绩效自评价"), year=2023)
    assert result.forms[0].record["year"] == 2022
    assert any("2022" in note for note in result.forms[0].notes)
    starts = [m.start() for m in re.finditer("财政项目支出绩效自评价", seed)]
    second = seed[starts[1]:starts[2]]
    result = imported(second, year=None)  # its text says 2023年度 twice
    assert result.forms[0].record["year"] == 2023


def test_a_missing_year_is_a_problem(seed):
    first = seed[:seed.index("财政项目支出绩效自评价", 10)]
    result = imported(first, year=None)
    assert not result.ok and "年度" in result.forms[0].problems[0]


def test_empty_and_non_form_text():
    result = import_text("")
    assert not result.ok and "为空" in result.problems[0]
    result = import_text("  \n\n \n")
    assert not result.ok and "为空" in result.problems[0]
    result = import_text("会议纪要\n\n今天讨论了预算执行情况。\n")
    assert not result.ok and "不是绩效自评表" in result.problems[0]


@pytest.mark.parametrize("cut_at", ["帮扶残疾\n人专门协", "年度总\n体目标", "100 99.63", "预期目标 实际完成情况"])
def test_a_form_cut_off_half_way_is_a_problem(seed, cut_at):
    third = seed.index("残疾人教育和就业经费")
    text = seed[:seed.index(cut_at, third if cut_at != "帮扶残疾\n人专门协" else 0)]
    result = imported(text)
    assert not result.ok
    broken = [f for f in result.forms if f.problems]
    assert len(broken) == 1 and broken[0].record is None
    assert "不完整" in broken[0].problems[0]


def test_a_disagreeing_form_is_marked(seed):
    text = seed.replace("100 99.98\n评分等级 优", "100 99.99\n评分等级 良", 1)
    text = text.replace("年度资金总额 361.64 293.98 293.23 10.00 99.74 9.97",
                        "年度资金总额 361.64 293.98 293.23 10.00 99.75 9.96")
    text = text.replace("残疾人困\n难补贴流\n程规范性\n\n规范 达成指标 10.00 10.00",
                        "残疾人困\n难补贴流\n程规范性\n\n规范 达成指标 10.00 5.00")
    result = imported(text)
    assert result.ok
    first, second = result.forms[0], result.forms[1]
    assert "总分：表上 99.99，按规则计算为 94.98" in first.disagreements
    assert "评分等级：表上 良，按总分 94.98 应为 优" in first.disagreements
    assert any("残疾人困难补贴流程规范性" in d and "5.00" in d for d in first.disagreements)
    assert second.disagreements == ["执行率：表上 99.75%，按规则计算为 99.74%",
                                    "资金得分：表上 9.96，按规则计算为 9.97"]
    # The record keeps what the form prints and is still a valid record.
    assert first.record["indicators"][5]["score"] == "5.00"
    record_from_dict(first.record, "test")


# ---------------------------------------------------------------------------------------------
# The command


def run_cli(*args: str) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


def test_cli_imports_the_seed(tmp_path, seed):
    folder = tmp_path / "records"
    code, out = run_cli("import-text", str(SEED_PATH), str(folder))
    assert code == 0, out
    assert "找到 12 张表" in out and "已导入 12 张表" in out
    loaded = load_folder(folder)
    assert not loaded.failures and len(loaded.records) == 12
    schema = json.loads((ROOT / "schemas" / "project.schema.json").read_text(encoding="utf-8"))
    jsonschema = pytest.importorskip("jsonschema")
    for path in folder.glob("*.toml"):
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)
    code, out = run_cli("check", str(folder))
    assert code == 0, out


def test_cli_dry_run_writes_nothing(tmp_path):
    code, out = run_cli("import-text", str(SEED_PATH), str(tmp_path / "x"), "--dry-run")
    assert code == 0, out
    assert "试运行" in out and not (tmp_path / "x").exists()


def test_cli_in_process(tmp_path, capsys):
    assert main(["import-text", str(SEED_PATH), str(tmp_path), "--dry-run"]) == 0
    assert "与表上一致" in capsys.readouterr().out


@pytest.mark.parametrize("content, words", [
    ("", "为空"),
    ("会议纪要\n今天讨论了预算执行情况。\n", "不是绩效自评表"),
])
def test_cli_refuses_empty_and_non_form_text(tmp_path, content, words):
    source = tmp_path / "in.txt"
    source.write_text(content, encoding="utf-8")
    folder = tmp_path / "out"
    code, out = run_cli("import-text", str(source), str(folder))
    assert code == 1 and words in out and str(source) in out and "未写入任何文件" in out
    assert "Traceback" not in out
    assert not folder.exists()


def test_cli_writes_nothing_when_a_form_is_cut_off(tmp_path, seed):
    source = tmp_path / "2023-cut.txt"
    source.write_text(seed[:seed.index("残联微博\n粉丝量")],
                      encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    code, out = run_cli("import-text", str(source), str(folder))
    assert code == 1, out
    assert "[6] 残疾人事业宣传经费" in out and "无法导入" in out and "不完整" in out
    assert "未写入任何文件" in out
    assert list(folder.iterdir()) == []


def test_cli_writes_a_disagreeing_form_and_names_it(tmp_path, seed):
    source = tmp_path / "2023.txt"
    source.write_text(seed.replace("100 98.95\n评分等级 优", "100 98.96\n评分等级 优"), encoding="utf-8")
    code, out = run_cli("import-text", str(source), str(tmp_path / "out"))
    assert code == 1, out
    assert "[12] 信息化运维项目" in out and "总分：表上 98.96，按规则计算为 98.95" in out
    assert "已导入 12 张表" in out
    assert len(load_folder(tmp_path / "out").records) == 12


def test_cli_year_from_option_and_file_name(tmp_path, seed):
    source = tmp_path / "forms.txt"
    source.write_text(seed, encoding="utf-8")
    code, out = run_cli("import-text", str(source), str(tmp_path / "a"), "--year", "2021")
    assert code == 0, out
    assert {r.project.year for r in load_folder(tmp_path / "a").records} == {2021}


def test_cli_usage_errors(tmp_path):
    assert run_cli("import-text")[0] == 2
    code, out = run_cli("import-text", str(tmp_path / "missing.txt"), str(tmp_path))
    assert code == 2 and "missing.txt" in out
    afile = tmp_path / "file"
    afile.write_text("x", encoding="utf-8")
    assert run_cli("import-text", str(SEED_PATH), str(afile))[0] == 2


def test_cli_listed_in_the_overview():
    code, out = run_cli("--help")
    assert code == 0 and "import-text" in out


def test_textimport_does_not_import_textual():
    code = ("import sys, tui.exchange.textimport, tui.commands.import_text; "
            "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_windows_line_ends(seed, seed_records):
    assert _records(seed.replace("\n", "\r\n")) == seed_records


def test_level_labels_without_a_level_two_and_cost_as_level_one(seed):
    first = seed[:seed.index("财政项目支出绩效自评价", 10)]
    text = first.replace("服务对象\n满意度指\n\n标\n\n受益残疾", "受益残疾")
    text = text.replace("可持续影\n响指标\n\n长效管理", "成本指标\n\n经济成本\n指标\n\n长效管理")
    items = _records(text)[0]["indicators"]
    assert (items[-1]["level1"], items[-1]["level2"], items[-1]["name"]) == ("满意度指标", "", "受益残疾人满意度")
    assert (items[-2]["level1"], items[-2]["level2"]) == ("成本指标", "经济成本指标")


def test_text_after_the_last_row_is_a_problem(seed):
    first = seed[:seed.index("财政项目支出绩效自评价", 10)]
    text = first.replace("5.00 5.00\n\n100 99.98", "5.00 5.00\n\n残疾人困\n100 99.98")
    result = imported(text)
    assert not result.ok and "无法归属" in result.forms[0].problems[0]
