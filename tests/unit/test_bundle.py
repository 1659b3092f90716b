"""Bundles: export, verify, plan and import (tui.exchange.bundle, `zipin export`, `zipin import`).

Every test works on copies in tmp_path; nothing is written into the repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import replace
from datetime import date, datetime, UTC
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import tomli_w

from tui.exchange import bundle as B
from tui.exchange import bundleapply, bundleplan, canonical, ledger
from tui import cli, schema
from tui.core.rules import load_rules
from tui.schema import render
from tui.store.codec import record_from_dict
from tui.store.naming import safe_stem
from tui.store.recordfile import load, load_folder, record_files
from tui.store.saving import ChangedOnDisk, save

from conftest import ROOT, copy_samples as copy_into

SAMPLES = ROOT / "samples" / "2023"
NOW = datetime(2024, 3, 1, 10, 30, tzinfo=UTC)
INFO = "信息化运维项目"  # samples/2023/12-…: a small record


# ---------------------------------------------------------------------------------------------
# helpers

def zipin(capsys, *argv) -> tuple[int, str, str]:
    """Run `zipin ARGV` in-process; exit code, stdout, stderr."""
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def copy_samples(tmp_path: Path, name: str = "mine") -> Path:
    return copy_into(tmp_path / name)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def sample_text(folder: Path = SAMPLES, **kwargs) -> str:
    loaded = load_folder(folder).records
    rules = {n: load_rules(n, folder) for n in {r.project.rules for r in loaded}}
    return B.export_bundle(loaded, rules, "张三", NOW, **kwargs)


def reseal(data: dict) -> str:
    """Bundle data back to text with every digest recomputed: tampering that a digest can't see,
    so what is tested is the check after the digest (validation, duplicates, names)."""
    for entry in data["records"]:
        entry["sha256"] = canonical.record_digest(record_from_dict(entry["record"], "test"))
    data["count"] = len(data["records"])
    return "#:schema bundle.schema.json\n" + tomli_w.dumps(data, multiline_strings=True)


def find(data: dict, name: str) -> dict:
    return next(e for e in data["records"] if e["record"]["name"] == name)


def edit(folder: Path, which: str, **changes) -> None:
    """Change the project named `which` in a folder, saved the way the app saves it."""
    loaded = next(r for r in load_folder(folder).records if r.project.name == which)
    save(replace(loaded.project, **changes), loaded.path, loaded.digest)


def project_of(folder: Path, name: str):
    return next(r.project for r in load_folder(folder).records if r.project.name == name)


def check_json(capsys, folder: Path) -> list[dict]:
    code, out, _ = zipin(capsys, "check", folder, "--json")
    assert code == 0
    projects = json.loads(out)["projects"]
    for p in projects:
        p.pop("file")
    return sorted(projects, key=lambda p: p["name"])


# ---------------------------------------------------------------------------------------------
# round trip

def test_round_trip_through_the_cli(tmp_path, capsys):
    mine = copy_samples(tmp_path)
    out = tmp_path / "2023.toml"
    code, stdout, err = zipin(capsys, "export", mine, "-o", out, "--made-by", "张三")
    assert code == 0, err
    assert "已导出 12 个项目" in stdout
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    code, stdout, err = zipin(capsys, "import", out, theirs)
    assert code == 0, err
    assert "新增 12" in stdout and "已写入 12 个文件" in stdout

    ours = {r.project.id: r.project for r in load_folder(SAMPLES).records}
    got = {r.project.id: r.project for r in load_folder(theirs).records}
    assert len(got) == 12 and got == ours
    assert check_json(capsys, theirs) == check_json(capsys, mine)  # a copy: check keeps an index
    # imported files are canonical records, named by our rule, inside the folder
    assert all(p.parent == theirs for p in record_files(theirs))
    # again: everything identical, nothing written
    before = snapshot(theirs)
    code, stdout, _ = zipin(capsys, "import", out, theirs)
    assert code == 0 and "相同 12" in stdout and snapshot(theirs) == before


def test_bundle_starts_with_schema_line_and_is_not_a_record(tmp_path, capsys):
    mine = copy_samples(tmp_path)
    out = mine / "exchange.toml"  # a bundle lying in a records folder
    assert zipin(capsys, "export", mine, "-o", out)[0] == 0
    assert out.read_text(encoding="utf-8").startswith("#:schema ")
    assert "bundle.schema.json" in out.read_text(encoding="utf-8").splitlines()[0]
    assert out not in record_files(mine)
    assert len(load_folder(mine).records) == 12 and not load_folder(mine).failures


def test_bundle_contents():
    bundle = B.read_bundle(sample_text(), "包.toml")
    assert bundle.made_by == "张三" and bundle.made_at == NOW and bundle.format == 1  # no layouts: format 1
    assert len(bundle.records) == 12 and set(bundle.profiles) == {"default"}
    for record in bundle.records:
        assert record.digest == canonical.record_digest(record.project)
        assert record.project.expected and record.project.achieved  # goal texts travel whole
        assert not [p for p in record.assessment.problems if p.level == "error"]


def test_canonical_form_is_defined_by_the_record_not_the_file():
    project = load(SAMPLES / "12-信息化运维项目.toml").project
    text = canonical.canonical_text(project)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert canonical.record_digest(project) == __import__("hashlib").sha256(text.encode()).hexdigest()
    changed = replace(project, achieved=project.achieved + "。")
    assert canonical.record_digest(changed) != canonical.record_digest(project)


def test_bundle_validates_against_its_schema():
    schema = json.loads((ROOT / "schemas" / "bundle.schema.json").read_text(encoding="utf-8"))
    data = tomllib.loads(sample_text(history={}))

    def jsonable(value):
        if isinstance(value, dict):
            return {k: jsonable(v) for k, v in value.items()}
        if isinstance(value, list):
            return [jsonable(v) for v in value]
        return value.isoformat() if isinstance(value, (datetime, date)) else value

    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(jsonable(data), schema)
    data["records"][0]["record"]["funding"]["weight"] = 10.5  # a float: not allowed
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(jsonable(data), schema)


def test_bundle_schema_file_is_current():
    assert (ROOT / "schemas" / "bundle.schema.json").read_text(encoding="utf-8") == render(schema.bundle_schema)


# ---------------------------------------------------------------------------------------------
# refused as a whole, nothing written

def refused(tmp_path, capsys, text: str, *expected: str) -> str:
    """Import `text` into a copy of the samples; it must be refused with a message holding
    `expected`, exit 1, and leave the folder byte for byte as it was."""
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    folder = tmp_path / "target"
    folder.mkdir(exist_ok=True)
    (folder / "keep.toml").write_bytes((SAMPLES / "01-残疾人基本保障和帮扶经费.toml").read_bytes())
    before, around = snapshot(folder), files_under(tmp_path)
    with pytest.raises(B.BundleError) as exc:
        B.read_bundle(text, "bad.toml")
    message = str(exc.value)
    assert "\n" not in message and message.startswith("bad.toml")
    for part in expected:
        assert part in message
    code, out, err = zipin(capsys, "import", bad, folder)
    assert code == 1 and "未写入任何文件" in err and message in err
    assert snapshot(folder) == before and files_under(tmp_path) == around
    return message


def test_one_digit_changed_refuses_the_bundle_naming_the_record(tmp_path, capsys):
    text = sample_text()
    at = text.index('executed = "100.29"', text.index('id = "7c12ef4a'))  # 信息化运维项目's total
    text = text[:at] + 'executed = "100.39"' + text[at + len('executed = "100.29"'):]
    message = refused(tmp_path, capsys, text,
                      "信息化运维项目", "编号 7c12ef4a-b500-462e-879a-ea197b205251", "sha256", "校验值不符")
    assert "records[11]" in message


def test_a_changed_goal_text_is_caught_too(tmp_path, capsys):
    text = sample_text().replace("全年攻击帮扶残疾人6275人", "全年共计帮扶残疾人6275人")
    refused(tmp_path, capsys, text, "残疾人基本保障和帮扶经费", "校验值不符")


def test_a_record_that_fails_validation_refuses_the_bundle(tmp_path, capsys):
    data = tomllib.loads(sample_text())
    find(data, INFO)["record"]["indicators"][0]["weight"] = "6.00"  # weights now add up to 101
    refused(tmp_path, capsys, reseal(data), INFO, "records[11].record.weights", "分值合计", "未通过校验")


def test_a_record_that_does_not_parse_refuses_the_bundle(tmp_path, capsys):
    data = tomllib.loads(sample_text())
    entry = find(data, INFO)
    entry["record"]["funding"]["appropriation"]["budget"] = "１２"
    text = "#:schema bundle.schema.json\n" + tomli_w.dumps(data, multiline_strings=True)
    refused(tmp_path, capsys, text, INFO, "records[11].record.funding.appropriation.budget", "全角")


def test_a_truncated_bundle_is_refused(tmp_path, capsys):
    text = sample_text()
    refused(tmp_path, capsys, text[: len(text) // 2], "不是有效的 TOML")
    # cut cleanly before the last record: still valid TOML, but the count says what is missing
    cut = text[: text.rindex("[[records]]")]
    refused(tmp_path, capsys, cut, "count", "声明有 12 个记录，实有 11 个")
    # cut inside the last record at a table boundary: its digest no longer matches
    cut = text[: text.rindex("[[records.record.indicators]]")]
    refused(tmp_path, capsys, cut, INFO, "校验值不符")


def test_duplicate_records_are_refused(tmp_path, capsys):
    data = tomllib.loads(sample_text())
    twin = json.loads(json.dumps(find(data, INFO)))
    twin["record"]["name"] = "另一个名字"
    data["records"].append(twin)
    refused(tmp_path, capsys, reseal(data), "另一个名字", "7c12ef4a", "第 12 个记录", "出现两次")


def test_a_newer_format_is_refused_with_a_clear_message(tmp_path, capsys):
    text = sample_text().replace("\nformat = 1\n", "\nformat = 3\n", 1)
    message = refused(tmp_path, capsys, text, "format", "打包格式版本 3", "请升级 zipin")
    assert "本程序支持的 2" in message


def test_a_tampered_profile_is_refused(tmp_path, capsys):
    text = sample_text().replace('rounding = "down"', 'rounding = "half_up"', 1)
    refused(tmp_path, capsys, text, "profiles[0].sha256", "评分规则“default”", "校验值不符")


def test_a_record_naming_a_missing_profile_is_refused(tmp_path, capsys):
    data = tomllib.loads(sample_text())
    find(data, INFO)["record"]["rules"] = "half-up"
    refused(tmp_path, capsys, reseal(data), INFO, "records[11].record.rules", "不在包内")


def test_not_a_bundle_is_refused(tmp_path, capsys):
    text = (SAMPLES / "01-残疾人基本保障和帮扶经费.toml").read_text(encoding="utf-8")
    refused(tmp_path, capsys, text, "这是一个项目记录，不是交换包")


# ---------------------------------------------------------------------------------------------
# names from the bundle are never paths

def test_a_record_named_like_a_path_lands_inside_the_folder(tmp_path, capsys):
    data = tomllib.loads(sample_text())
    for name in ("../../x", "/etc/passwd", "..", "CON", "a\\..\\b"):
        entry = json.loads(json.dumps(find(data, INFO)))
        entry["record"]["name"] = name
        entry["record"]["id"] = f"id-{len(data['records'])}"
        data["records"].append(entry)
    bad = tmp_path / "box" / "b.toml"
    bad.parent.mkdir()
    bad.write_text(reseal(data), encoding="utf-8")
    folder = tmp_path / "box" / "deep" / "folder"
    folder.mkdir(parents=True)
    code, out, err = zipin(capsys, "import", bad, folder)
    assert code == 0, err
    written = files_under(tmp_path) - {bad}
    assert all(p.parent in (folder, folder / ".zipin") for p in written)
    assert len(record_files(folder)) == 17
    for record in load_folder(folder).records:
        assert record.path.parent == folder
        assert record.path.stem.startswith(safe_stem(record.project.name))  # our rule, not theirs
    assert project_of(folder, "../../x").id == "id-12"  # the name is kept as data, only the file is safe


# ---------------------------------------------------------------------------------------------
# update, local newer, conflict

@pytest.fixture
def pair(tmp_path, capsys):
    """Two colleagues' folders holding the same twelve records, exchanged once."""
    mine = copy_samples(tmp_path, "mine")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    sent = tmp_path / "sent.toml"
    assert zipin(capsys, "export", mine, "-o", sent)[0] == 0
    assert zipin(capsys, "import", sent, theirs)[0] == 0
    return mine, theirs


def send_back(tmp_path, capsys, theirs: Path) -> Path:
    back = tmp_path / "back.toml"
    back.unlink(missing_ok=True)
    assert zipin(capsys, "export", theirs, "-o", back, "--made-by", "李四")[0] == 0
    return back


def test_changed_in_the_bundle_only_is_an_update(tmp_path, capsys, pair):
    mine, theirs = pair
    edit(theirs, INFO, achieved="已完成运维（李四修订）")
    back = send_back(tmp_path, capsys, theirs)
    bundle = B.load_bundle(back)
    plan = bundleplan.plan_import(bundle, load_folder(mine), mine)
    [item] = [i for i in plan.items if i.status != bundleplan.SAME]
    assert (item.status, item.name, item.changed_fields()) == (bundleplan.UPDATE, INFO, ["goals.achieved"])
    code, out, err = zipin(capsys, "import", back, mine)
    assert code == 0, err
    assert "更新 1" in out and "相同 11" in out and "已写入 1 个文件" in out
    assert project_of(mine, INFO) == project_of(theirs, INFO)
    assert (mine / "12-信息化运维项目.toml").exists()  # updated in place, under its own name


def test_changed_here_only_keeps_mine(tmp_path, capsys, pair):
    mine, theirs = pair
    edit(mine, INFO, achieved="我这边改过")
    back = send_back(tmp_path, capsys, theirs)  # they send the version they got, unchanged
    before = snapshot(mine)
    code, out, err = zipin(capsys, "import", back, mine)
    assert code == 0, err
    assert "本机较新 1" in out and "保留本机" in out
    assert {k: v for k, v in snapshot(mine).items() if not k.startswith(".zipin")} == \
        {k: v for k, v in before.items() if not k.startswith(".zipin")}


def test_a_conflict_is_detected_and_dry_run_writes_nothing(tmp_path, capsys, pair):
    mine, theirs = pair
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, implementer="上海市残疾人联合会信息中心")
    back = send_back(tmp_path, capsys, theirs)
    rid = project_of(mine, INFO).id

    before = snapshot(mine)
    code, out, err = zipin(capsys, "import", back, mine, "--dry-run")
    assert code == 1
    assert "冲突 1" in out and "双方都改过（实施单位、实际完成情况）" in out
    # both values of each field, named as the app names them
    assert "实施单位：本机 " in out and "／ 包内 上海市残疾人联合会信息中心" in out
    assert "实际完成情况：本机 我这边改过 ／ 包内 " in out
    assert "implementer" not in out and "goals.achieved" not in out
    assert "试运行" in out and f"--take-bundle {rid}" in err and f"--keep-mine {rid}" in err
    assert snapshot(mine) == before

    # without a choice: the conflict is not written; exit 1 says how to choose
    code, out, err = zipin(capsys, "import", back, mine)
    assert code == 1 and "冲突未导入" in err and "已写入 0 个文件" in out
    assert project_of(mine, INFO).achieved == "我这边改过"

    # a choice, by a prefix of the id; dry-run first, still nothing written
    before = snapshot(mine)
    code, out, _ = zipin(capsys, "import", back, mine, "--dry-run", "--take-bundle", rid[:8])
    assert code == 0 and "按选择采用包内版本" in out and snapshot(mine) == before
    code, out, err = zipin(capsys, "import", back, mine, "--take-bundle", rid[:8])
    assert code == 0, err
    assert project_of(mine, INFO) == project_of(theirs, INFO)
    # the side not taken (mine) is kept, dated, under .zipin/replaced/
    kept = list((mine / ".zipin" / "replaced").glob("*-本机.toml"))
    assert len(kept) == 1 and "我这边改过" in kept[0].read_text(encoding="utf-8")
    assert kept[0].read_text(encoding="utf-8").startswith("# 本机的版本，已由包内版本替换（")
    assert record_from_dict(tomllib.loads(kept[0].read_text(encoding="utf-8")), "x").achieved \
        == "我这边改过"


def test_keep_mine_is_remembered(tmp_path, capsys, pair):
    mine, theirs = pair
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, implementer="信息中心")
    back = send_back(tmp_path, capsys, theirs)
    rid = project_of(mine, INFO).id
    code, out, _ = zipin(capsys, "import", back, mine, "--keep-mine", rid)
    assert code == 0 and "按选择保留本机" in out
    assert project_of(mine, INFO).achieved == "我这边改过"
    kept = list((mine / ".zipin" / "replaced").glob("*-包内.toml"))  # theirs, set aside, kept
    assert len(kept) == 1 and "信息中心" in kept[0].read_text(encoding="utf-8")
    code, out, _ = zipin(capsys, "import", back, mine)  # the same bundle again: already decided
    assert code == 0 and "本机较新 1" in out
    # my version goes to them: it accounts for theirs, so for them it is an update
    to_them = tmp_path / "to-them.toml"
    assert zipin(capsys, "export", mine, "-o", to_them)[0] == 0
    code, out, _ = zipin(capsys, "import", to_them, theirs)
    assert code == 0 and "更新 1" in out
    assert project_of(theirs, INFO) == project_of(mine, INFO)


def test_no_shared_history_is_a_conflict(tmp_path):
    """Records that match by id but were never exchanged: we can't tell who changed what."""
    mine = copy_samples(tmp_path)
    edit(mine, INFO, achieved="改过")
    bundle = B.read_bundle(sample_text(), "b.toml")
    plan = bundleplan.plan_import(bundle, load_folder(mine), mine)
    assert [i.status for i in plan.items].count(bundleplan.CONFLICT) == 1
    assert [i.status for i in plan.items].count(bundleplan.SAME) == 11
    assert bundleapply.apply_import(plan, {}) == []


def test_records_match_by_id_not_by_file_name(tmp_path, pair):
    mine, theirs = pair
    (theirs / "信息化运维项目.toml").rename(theirs / "renamed.toml")
    edit(theirs, INFO, name="信息化运维（改名）")
    bundle = B.read_bundle(sample_text(theirs, history=ledger.read_ledger(theirs)), "b.toml")
    plan = bundleplan.plan_import(bundle, load_folder(mine), mine)
    [item] = [i for i in plan.items if i.status != bundleplan.SAME]
    assert item.status == bundleplan.UPDATE and item.path == mine / "12-信息化运维项目.toml"


# ---------------------------------------------------------------------------------------------
# all or none; profiles

def test_nothing_is_written_if_a_file_changed_after_planning(tmp_path, pair):
    mine, theirs = pair
    edit(theirs, INFO, achieved="李四修订")
    new = replace(project_of(theirs, INFO), id="new-record", name="新项目")
    save(new, theirs / "新项目.toml", None)
    bundle = B.read_bundle(sample_text(theirs, history=ledger.read_ledger(theirs)), "b.toml")
    plan = bundleplan.plan_import(bundle, load_folder(mine), mine)
    assert sorted(i.status for i in plan.items if i.status != bundleplan.SAME) == [bundleplan.NEW, bundleplan.UPDATE]
    edit(mine, INFO, department="在此期间有人改了")  # after planning
    before = snapshot(mine)
    with pytest.raises(ChangedOnDisk):
        bundleapply.apply_import(plan, {})
    assert snapshot(mine) == before


def test_profiles_travel_with_the_records(tmp_path, capsys):
    mine = copy_samples(tmp_path)
    (mine / "profiles").mkdir()
    text = (ROOT / "tui" / "core" / "profiles" / "half-up.toml").read_text(encoding="utf-8")
    (mine / "profiles" / "dept.toml").write_text(text.replace('name = "half-up"', 'name = "dept"'),
                                                 encoding="utf-8")
    edit(mine, "残疾人事业综合保障经费", rules="dept")  # 84.0963…% → 8.41 when rounded half up
    out = tmp_path / "b.toml"
    assert zipin(capsys, "export", mine, "-o", out)[0] == 0
    theirs = tmp_path / "theirs"
    code, stdout, err = zipin(capsys, "import", out, theirs)  # the folder does not exist yet
    assert code == 0, err
    assert "评分规则 dept" in stdout and (theirs / "profiles" / "dept.toml").is_file()
    assert load_rules("dept", theirs) == load_rules("dept", mine)
    assert check_json(capsys, theirs) == check_json(capsys, mine)
    assert "8.41" in json.dumps(check_json(capsys, theirs), ensure_ascii=False)

    # a colleague whose own `dept` scores differently: refused, nothing written
    other = tmp_path / "other"
    (other / "profiles").mkdir(parents=True)
    shutil.copy(ROOT / "tui" / "core" / "profiles" / "default.toml", other / "profiles" / "dept.toml")
    (other / "profiles" / "dept.toml").write_text(
        (other / "profiles" / "dept.toml").read_text(encoding="utf-8").replace('name = "default"', 'name = "dept"'),
        encoding="utf-8")
    before = snapshot(other)
    code, _, err = zipin(capsys, "import", out, other)
    assert code == 1 and "评分规则“dept”与本机" in err and "未写入任何文件" in err
    assert snapshot(other) == before


def test_an_unreadable_local_record_blocks_the_import(tmp_path, capsys):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "broken.toml").write_text("format = 1\nid = \n", encoding="utf-8")
    out = tmp_path / "b.toml"
    out.write_text(sample_text(), encoding="utf-8")
    before = snapshot(folder)
    code, _, err = zipin(capsys, "import", out, folder)
    assert code == 1 and "broken.toml" in err and "未写入任何文件" in err
    assert snapshot(folder) == before


def test_two_local_files_with_one_id_block_the_import(tmp_path, capsys):
    mine = copy_samples(tmp_path)
    shutil.copy(mine / "12-信息化运维项目.toml", mine / "copy.toml")
    out = tmp_path / "b.toml"
    out.write_text(sample_text(), encoding="utf-8")
    before = snapshot(mine)
    code, _, err = zipin(capsys, "import", out, mine)
    assert code == 1 and "编号相同" in err and snapshot(mine) == before


# ---------------------------------------------------------------------------------------------
# the CLI around it

def test_import_and_export_are_commands():
    assert cli._module_name("import") == "import_"
    assert cli._module_name("export") == "export"
    assert cli._module_name("check") == "check"
    words = cli._command_words()
    assert {"import", "export", "check"} <= set(words)
    assert "import-" not in words and "import_" not in words
    assert cli._load("import").NAME == "import"


def test_overview_and_help_list_the_commands(capsys):
    code, out, _ = zipin(capsys, "--help")
    assert code == 0 and "import" in out and "export" in out
    code, out, _ = zipin(capsys, "import", "--help")
    assert code == 0 and "--take-bundle" in out and "--dry-run" in out


def test_python_m_tui_import_runs(tmp_path):
    out = tmp_path / "b.toml"
    out.write_text(sample_text(), encoding="utf-8")
    folder = tmp_path / "f"
    run = subprocess.run([sys.executable, "-m", "tui", "import", str(out), str(folder), "--dry-run"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "新增 12" in run.stdout and not folder.exists()


def test_choice_errors_are_usage_errors(tmp_path, capsys, pair):
    mine, _ = pair
    out = tmp_path / "sent.toml"
    code, _, err = zipin(capsys, "import", out, mine, "--take-bundle", "nope")
    assert code == 2 and "没有编号为 nope" in err
    rid = project_of(mine, INFO).id
    code, _, err = zipin(capsys, "import", out, mine, "--take-bundle", rid, "--keep-mine", rid)
    assert code == 2
    code, _, err = zipin(capsys, "import", tmp_path / "missing.toml", mine)
    assert code == 2 and "不存在" in err


def test_export_refuses_a_record_with_errors(tmp_path, capsys):
    mine = copy_samples(tmp_path)
    loaded = load(mine / "12-信息化运维项目.toml")
    item = replace(loaded.project.indicators[0], weight=Decimal("6.00"))
    edit(mine, INFO, indicators=(item, *loaded.project.indicators[1:]))
    out = tmp_path / "b.toml"
    code, _, err = zipin(capsys, "export", mine, "-o", out)
    assert code == 1 and INFO in err and not out.exists()
    # The message names the record's file, not the bundle not written, and the field as the
    # form does (分值合计), as `zipin check` would.
    assert "12-信息化运维项目.toml：" in err and "b.toml" not in err
    assert "字段 分值合计" in err and "weights" not in err


def test_export_of_chosen_files_and_no_silent_overwrite(tmp_path, capsys):
    mine = copy_samples(tmp_path)
    out = tmp_path / "b.toml"
    code, stdout, _ = zipin(capsys, "export", mine, "12-信息化运维项目.toml", "-o", out)
    assert code == 0 and "已导出 1 个项目" in stdout
    assert [r.project.name for r in B.load_bundle(out).records] == [INFO]
    code, _, err = zipin(capsys, "export", mine, "-o", out)
    assert code == 1 and "--force" in err
    assert len(B.load_bundle(out).records) == 1
    assert zipin(capsys, "export", mine, "-o", out, "--force")[0] == 0
    assert len(B.load_bundle(out).records) == 12


def test_core_does_not_import_textual():
    code = "import sys, tui.exchange.bundle, tui.commands.export, tui.commands.import_; print('textual' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "False", run.stderr


# ---------------------------------------------------------------------------------------------
# the conflict rules, against a model: no edit is ever dropped without a person choosing it

def _model_exchange(folders, state, src: int, dst: int, choice: str | None) -> None:
    """Send the one record from folder `src` to folder `dst` through a bundle, checking the
    decision against the model: C = the edits a copy holds, K = the edits it accounts for
    (holds, or a person set aside)."""
    loaded = load_folder(folders[src]).records
    rules = {"default": load_rules("default")}
    text = B.export_bundle(loaded, rules, "x", NOW, history=ledger.read_ledger(folders[src]))
    ledger.note_exported(folders[src], loaded)
    plan = bundleplan.plan_import(B.read_bundle(text, "b.toml"), load_folder(folders[dst]), folders[dst])
    [item] = plan.items
    (c_src, k_src), had = state[src], state.get(dst)
    if item.status == bundleplan.SAME:
        assert had[0] == c_src
    elif item.status == bundleplan.UPDATE:
        assert had[0] <= k_src, "an update would drop an edit the sender never saw"
    elif item.status == bundleplan.LOCAL_NEWER:
        assert c_src <= had[1], "keeping ours would drop an edit we never saw"
    elif item.status == bundleplan.NEW:
        assert had is None
    chosen = {item.id: choice} if choice and item.status == bundleplan.CONFLICT else {}
    bundleapply.apply_import(plan, chosen)
    if item.takes_bundle(chosen.get(item.id)):
        state[dst] = (c_src, k_src | (had[1] if had else frozenset()))
    elif item.status == bundleplan.SAME:
        state[dst] = (had[0], had[1] | k_src)
    elif chosen.get(item.id) == bundleplan.KEEP_MINE:
        state[dst] = (had[0], had[1] | c_src)
    assert project_of(folders[dst], INFO).achieved == ",".join(sorted(state[dst][0]))


def test_exchanges_never_drop_an_unseen_edit():
    import tempfile

    from hypothesis import given, settings
    from hypothesis import strategies as st

    step = st.tuples(st.sampled_from(["edit", "send"]), st.integers(0, 2), st.integers(1, 2),
                     st.sampled_from([None, bundleplan.TAKE_BUNDLE, bundleplan.KEEP_MINE]))

    @settings(max_examples=30, deadline=None)
    @given(st.lists(step, min_size=2, max_size=12))
    def run(steps):
        with tempfile.TemporaryDirectory() as tmp:
            folders = [Path(tmp) / f"f{i}" for i in range(3)]
            for f in folders:
                f.mkdir()
            base = load(SAMPLES / "12-信息化运维项目.toml").project
            save(replace(base, achieved="e0"), folders[0] / "r.toml", None)
            state = {0: (frozenset({"e0"}), frozenset({"e0"}))}
            _model_exchange(folders, state, 0, 1, None)
            _model_exchange(folders, state, 0, 2, None)
            for n, (op, a, offset, choice) in enumerate(steps, start=1):
                if op == "edit":
                    token = f"e{n}"
                    state[a] = (state[a][0] | {token}, state[a][1] | {token})
                    edit(folders[a], INFO, achieved=",".join(sorted(state[a][0])))
                else:
                    _model_exchange(folders, state, a, (a + offset) % 3, choice)

    run()


def test_a_conflict_resolved_field_by_field(tmp_path, capsys, pair):
    mine, theirs = pair
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, implementer="信息中心", achieved="李四修订")
    back = send_back(tmp_path, capsys, theirs)
    plan = bundleplan.plan_import(B.load_bundle(back), load_folder(mine), mine)
    [item] = plan.by_status(bundleplan.CONFLICT)
    assert [path for path, _a, _b in item.units()] == ["implementer", "goals.achieved"]
    choice = item.choose_fields({"implementer"})
    assert choice == bundleplan.FieldChoice(frozenset({"implementer"}))
    assert item.choose_fields(set()) == bundleplan.KEEP_MINE
    assert item.choose_fields({"implementer", "goals.achieved"}) == bundleplan.TAKE_BUNDLE
    with pytest.raises(B.BundleError, match="无从逐项选择"):
        bundleapply.check_choices(plan, {item.id: bundleplan.FieldChoice(frozenset({"name"}))})
    before = (mine / "12-信息化运维项目.toml").read_bytes()
    assert bundleapply.apply_import(plan, {item.id: choice}) == [mine / "12-信息化运维项目.toml"]
    got = project_of(mine, INFO)
    assert (got.implementer, got.achieved) == ("信息中心", "我这边改过")
    # both sides are kept: mine (replaced by the mix) and the bundle's (partly set aside)
    kept = {p.name.rsplit("-", 1)[1]: p.read_text(encoding="utf-8")
            for p in (mine / ".zipin" / "replaced").glob("*.toml")}
    assert kept["本机.toml"].startswith("# 本机的版本，已由逐项合并的版本替换（")
    assert record_from_dict(tomllib.loads(kept["本机.toml"]), "x") == item.local.project
    assert "只采用了其中几项" in kept["包内.toml"] and "李四修订" in kept["包内.toml"]
    assert before != (mine / "12-信息化运维项目.toml").read_bytes()
    # the mix accounts for both versions: the same bundle again asks nothing
    again = bundleplan.plan_import(B.load_bundle(back), load_folder(mine), mine)
    assert [i.status for i in again.items].count(bundleplan.CONFLICT) == 0


def test_the_cli_chooses_field_by_field(tmp_path, capsys, pair):
    mine, theirs = pair
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, implementer="信息中心", achieved="李四修订")
    back = send_back(tmp_path, capsys, theirs)
    rid = project_of(mine, INFO).id
    code, out, err = zipin(capsys, "import", back, mine, "--dry-run")
    assert code == 1 and f"--take-bundle {rid}:字段名" in err
    before = snapshot(mine)
    # an unknown field is named with the ones there are; nothing written
    code, out, err = zipin(capsys, "import", back, mine, "--take-bundle", f"{rid[:8]}:项目名称")
    assert code == 2 and "没有不同的字段“项目名称”" in err and "实施单位、实际完成情况" in err
    code, _, err = zipin(capsys, "import", back, mine, "--take-bundle", f"{rid}:实施单位",
                         "--keep-mine", f"{rid}:实际完成情况")
    assert code == 2 and "只用其一" in err
    assert snapshot(mine) == before
    # by the label as the report prints it: that field from the bundle, the rest mine
    code, out, err = zipin(capsys, "import", back, mine, "--take-bundle", f"{rid[:8]}:实施单位")
    assert code == 0, err
    assert "按选择逐项合并（包内 1 处，其余保留本机）" in out
    assert "实施单位：本机 上海市残疾人联合会 ／ 包内 信息中心  → 采用包内" in out
    assert "实际完成情况：本机 我这边改过 ／ 包内 李四修订  → 保留本机" in out
    got = project_of(mine, INFO)
    assert (got.implementer, got.achieved) == ("信息中心", "我这边改过")
    assert len(list((mine / ".zipin" / "replaced").glob("*.toml"))) == 2


def test_the_cli_keeps_mine_field_by_field(tmp_path, capsys, pair):
    mine, theirs = pair
    edit(mine, INFO, achieved="我这边改过")
    edit(theirs, INFO, implementer="信息中心", achieved="李四修订")
    back = send_back(tmp_path, capsys, theirs)
    rid = project_of(mine, INFO).id
    code, out, err = zipin(capsys, "import", back, mine, "--keep-mine", f"{rid}:goals.achieved")
    assert code == 0, err
    got = project_of(mine, INFO)
    assert (got.implementer, got.achieved) == ("信息中心", "我这边改过")
