"""The seed's printed figures, typed by hand, against what `zipin check` computes.

The table below was typed from /work/shared/seed/2023-shanghai-cdpf-selfeval.txt
(the twelve printed 2023 forms of 上海市残疾人联合会), NOT produced by any code of the
project: it is the independent ground truth the program must reproduce.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples" / "2023"

# (sample file, 项目名称, 执行率 of 年度资金总额, 执行率 得分, 总分 得分, 评分等级,
#  every indicator's printed 得分 in printed order)
SEED = [
    (
        "01-残疾人基本保障和帮扶经费.toml", "残疾人基本保障和帮扶经费",
        "99.87", "9.98", "99.98", "优",
        ["5.00", "10.00", "5.00", "5.00", "15.00", "10.00", "10.00", "10.00",
         "5.00", "5.00", "5.00", "5.00"],
    ),
    (
        "02-残疾人基层组织建设和助残工作经费.toml", "残疾人基层组织建设和助残工作经费",
        "99.74", "9.97", "99.97", "优",
        ["20.00", "10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "10.00"],
    ),
    (
        "03-残疾人教育和就业经费.toml", "残疾人教育和就业经费",
        "96.30", "9.63", "99.63", "优",
        ["10.00", "10.00", "5.00", "10.00", "5.00", "5.00", "10.00", "5.00",
         "5.00", "5.00", "10.00", "5.00", "5.00"],
    ),
    (
        "04-残疾人权益保障经费.toml", "残疾人权益保障经费",
        "98.86", "9.88", "99.88", "优",
        ["10.00", "5.00", "10.00", "5.00", "10.00", "10.00", "5.00", "5.00",
         "10.00", "5.00", "5.00", "10.00"],
    ),
    (
        "05-残疾人事业统计、监测和政策研究经费.toml", "残疾人事业统计、监测和政策研究经费",
        "89.61", "8.96", "98.96", "优",
        ["10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "10.00",
         "10.00"],
    ),
    (
        "06-残疾人事业宣传经费.toml", "残疾人事业宣传经费",
        "81.72", "8.17", "98.17", "优",
        ["10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "10.00", "5.00",
         "5.00", "10.00"],
    ),
    (
        "07-残疾人事业综合保障经费.toml", "残疾人事业综合保障经费",
        # the form prints the total as "98.4"
        "84.09", "8.40", "98.40", "优",
        ["6.00", "6.00", "6.00", "6.00", "6.00", "6.00", "6.00", "6.00",
         "6.00", "6.00", "6.00", "6.00", "6.00", "6.00", "6.00"],
    ),
    (
        "08-残疾预防与康复经费.toml", "残疾预防与康复经费",
        "37.40", "3.74", "86.74", "良",
        ["1.50", "1.50", "5.00", "5.00", "5.00", "5.00", "10.00", "5.00",
         "5.00", "5.00", "5.00", "10.00", "10.00", "10.00"],
    ),
    (
        "09-设施维护及功能改造项目.toml", "设施维护及功能改造项目",
        "96.71", "9.67", "99.67", "优",
        ["10.00", "10.00", "10.00", "15.00", "10.00", "15.00", "10.00", "10.00"],
    ),
    (
        "10-市残联八代会筹备及会议经费.toml", "市残联八代会筹备及会议经费",
        "98.47", "9.84", "99.84", "优",
        ["15.00", "15.00", "15.00", "15.00", "10.00", "10.00", "10.00"],
    ),
    (
        "11-信息化建设项目.toml", "信息化建设项目",
        "51.79", "5.17", "71.67", "中",
        ["7.00", "6.50", "2.50", "4.00", "4.00", "4.00", "4.00", "4.00",
         "4.00", "4.00", "4.00", "8.00", "8.00", "2.50"],
    ),
    (
        "12-信息化运维项目.toml", "信息化运维项目",
        "99.51", "9.95", "98.95", "优",
        ["10.00", "20.00", "10.00", "10.00", "10.00", "10.00", "9.00", "10.00"],
    ),
]

# 执行率 printed for the three sub-rows of each form, in SEED order:
# (当年财政拨款, 上年结转资金, 其他资金). Only the total row is scored; sub-rows print a
# rate and "-" for weight and score.
# Form 07's 其他资金 24.00 / 24.00 / 0.00 must give "0.00"; its 当年财政拨款 "88.15".
SUB_ROW_RATES = [
    ("99.87", "0.00", "0.00"),
    ("99.74", "0.00", "0.00"),
    ("96.30", "0.00", "0.00"),
    ("98.86", "0.00", "0.00"),
    ("89.61", "0.00", "0.00"),
    ("81.72", "0.00", "0.00"),
    ("88.15", "0.00", "0.00"),
    ("37.40", "0.00", "0.00"),
    ("96.71", "0.00", "0.00"),
    ("98.47", "0.00", "0.00"),
    ("51.79", "0.00", "0.00"),
    ("99.51", "0.00", "0.00"),
]


def test_table_is_complete():
    assert len(SEED) == 12
    assert len(SUB_ROW_RATES) == 12
    assert sum(len(row[6]) for row in SEED) == 130
    assert [row[0][:2] for row in SEED] == [f"{i:02d}" for i in range(1, 13)]
    for file, *_ in SEED:
        assert (SAMPLES / file).is_file(), file


def test_check_reproduces_printed_figures(tmp_path):
    # On a copy: check keeps an index in the folder it checks (.zipin/), and tests never write
    # into the repository.
    shutil.copytree(SAMPLES, tmp_path / "2023", ignore=shutil.ignore_patterns(".*"))
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(tmp_path / "2023"), "--json"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.stdout.strip(), f"no output (exit {proc.returncode}): {proc.stderr}"
    data = json.loads(proc.stdout)
    projects = data["projects"]
    mismatches: list[str] = []
    if len(projects) != len(SEED):
        mismatches.append(f"{len(projects)} projects, expected {len(SEED)}")
    for (file, name, rate, fscore, total, grade, scores), got in zip(SEED, projects):
        where = file
        if Path(got.get("file", "")).name != file:
            mismatches.append(f"{where}: file is {got.get('file')!r}")
        for key, want in (("name", name), ("rate", rate), ("funding_score", fscore),
                          ("total", total), ("grade", grade)):
            if got.get(key) != want:
                mismatches.append(f"{where}: {key} {got.get(key)!r} != printed {want!r}")
        indicators = got.get("indicators", [])
        if len(indicators) != len(scores):
            mismatches.append(f"{where}: {len(indicators)} indicators, printed {len(scores)}")
        for i, (ind, want) in enumerate(zip(indicators, scores), 1):
            if ind.get("score") != want:
                mismatches.append(
                    f"{where} #{i} {ind.get('name')}: score {ind.get('score')!r} "
                    f"!= printed {want!r} (computed {ind.get('computed')!r})"
                )
    assert not mismatches, "\n".join(mismatches)


def test_sub_row_rates_match_print():
    from tui.format import fixed
    from tui.rules import load_rules
    from tui.scoring import score
    from tui.storage import load

    rules = load_rules("default")
    mismatches = []
    for (file, *_), printed in zip(SEED, SUB_ROW_RATES):
        sheet = score(load(SAMPLES / file).project, rules)
        got = tuple(fixed(row.rate) for row in sheet.rows[1:])
        if got != printed:
            mismatches.append(f"{file}: sub-row rates {got} != printed {printed}")
    assert not mismatches, "\n".join(mismatches)
