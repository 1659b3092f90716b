"""next-year on the 12 samples: 12 valid 2024 records (schema and loader), the same indicators,
targets and weights, amounts, actuals, scores and reasons cleared, each pointing at its 2023
record; all or none, and a second run adds nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import jsonschema

from tui.store.recordfile import load

from conftest import ROOT, copy_samples

SAMPLES = ROOT / "samples" / "2023"


def zipin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8")


def test_next_year_of_the_samples(tmp_path):
    here = copy_samples(tmp_path / "2023")
    proc = zipin("next-year", str(here))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    made = sorted((tmp_path / "2024").glob("*.toml"))
    assert len(made) == 12
    # the folder's ordering prefix stays: 01-残疾人基本保障和帮扶经费.toml -> 01-….toml
    assert [p.name for p in made] == [p.name for p in sorted(here.glob("*.toml"))]
    schema = json.loads((ROOT / "schemas" / "project.schema.json").read_text("utf-8"))
    before = {load(p).project.id: load(p).project for p in sorted(here.glob("*.toml"))}
    for path in made:
        jsonschema.validate(tomllib.loads(path.read_text("utf-8")), schema)
        new = load(path).project
        old = before.pop(new.predecessor)
        assert new.year == 2024 and old.year == 2023 and new.id != old.id
        assert [(i.level1, i.level2, i.name, i.target, i.weight) for i in new.indicators] == \
               [(i.level1, i.level2, i.name, i.target, i.weight) for i in old.indicators]
        assert all(i.actual == "" and i.score is None and i.reason == "" for i in new.indicators)
        assert new.funding.weight == old.funding.weight
        total = new.funding.total  # blank, not zero: next year's amounts are not known yet
        assert (total.budget, total.adjusted, total.executed) == (None, None, None)
        assert new.funding.stated_total is None and new.achieved == ""
        assert (new.name, new.department, new.expected) == (old.name, old.department, old.expected)
        assert 'budget = ""' in path.read_text("utf-8")
    assert not before  # every 2023 record has its 2024 one
    again = zipin("next-year", str(here))
    assert again.returncode == 0 and "已生成 0 个" in again.stdout
    assert len(list((tmp_path / "2024").glob("*.toml"))) == 12


def test_a_bad_record_writes_nothing(tmp_path):
    here = copy_samples(tmp_path / "2023")
    (here / "zz-bad.toml").write_text("format = 1\nid = \n", encoding="utf-8")
    proc = zipin("next-year", str(here))
    assert proc.returncode == 1 and "未写入任何文件" in proc.stderr
    assert not (tmp_path / "2024").exists()


def test_the_ordering_prefix_is_kept_and_nothing_overwritten(tmp_path):
    here = copy_samples(tmp_path / "2023")
    first = sorted(here.glob("*.toml"))[0]
    out = tmp_path / "out"
    out.mkdir()
    taken = out / first.name  # a file already there under the name next year's would take
    taken.write_text("不是记录，不能被覆盖", encoding="utf-8")
    proc = zipin("next-year", str(first), "-o", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert taken.read_text("utf-8") == "不是记录，不能被覆盖"
    # named for its year beside the file holding its name (01-…-2.toml said nothing of which is which)
    assert {p.name for p in out.glob("*.toml")} == {first.name, first.stem + "-2024.toml"}



def test_next_years_name_with_its_year_taken_too_is_numbered(tmp_path):
    here = copy_samples(tmp_path / "2023")
    first = sorted(here.glob("*.toml"))[0]
    out = tmp_path / "out"
    out.mkdir()
    for name in (first.name, first.stem + "-2024.toml"):
        (out / name).write_text("不是记录，不能被覆盖", encoding="utf-8")
    proc = zipin("next-year", str(first), "-o", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {p.name for p in out.glob("*.toml")} == {first.name, first.stem + "-2024.toml",
                                                     first.stem + "-2.toml"}


def test_order_prefix():
    from tui.store.naming import order_prefix

    assert order_prefix("samples/2023/01-残疾人基本保障和帮扶经费.toml") == "01-"
    assert order_prefix("3_信息化.toml") == "3_"
    assert order_prefix("2023年项目.toml") == order_prefix("2023-项目.toml") == ""  # a year is no order
    assert order_prefix("信息化-01.toml") == "" and order_prefix(None) == ""
