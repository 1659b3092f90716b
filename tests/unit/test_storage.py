"""Records on disk: schema, canonical round trip, atomic saves, safe names, bad files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import jsonschema
import pytest

from tui import schema

from tui.store import atomic, codec, drafts, naming, recordfile, saving
from tui.core.document import Document
from tui.core.rules import load_rules
from tui.store.workspace import Workspace
from conftest import ROOT

SAMPLES = sorted((ROOT / "samples" / "2023").glob("*.toml"))


def test_twelve_samples_with_130_indicators():
    assert len(SAMPLES) == 12
    assert sum(len(recordfile.load(p).project.indicators) for p in SAMPLES) == 130


def test_checked_in_schemas_are_current():
    for name, build in schema.SCHEMAS.items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == schema.render(build), \
            f"schemas/{name} is stale: run python -m tui.schema"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:2])
def test_sample_validates_and_round_trips_byte_identical(path, tmp_path):
    record_schema = json.loads((ROOT / "schemas" / "project.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), record_schema)
    loaded = recordfile.load(path)
    # Saved in place (a copy of the folder), the file comes back byte for byte.
    copy = tmp_path / "samples" / "2023" / path.name
    copy.parent.mkdir(parents=True)
    shutil.copy(path, copy)
    (tmp_path / "schemas").mkdir()
    again = saving.save(loaded.project, copy, atomic.current_digest(copy))
    assert recordfile.load(copy).project == loaded.project
    # The schema line is relative to the file, so only it may differ outside the checkout.
    body = lambda text: text.split("\n", 1)[1]  # noqa: E731
    assert body(copy.read_text(encoding="utf-8")) == body(path.read_text(encoding="utf-8"))
    assert recordfile.dumps(loaded.project, path) == path.read_text(encoding="utf-8")
    assert again.digest == atomic.current_digest(copy)


def test_profiles_validate_against_their_schema():
    rules_schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8"))
    for profile in (ROOT / "tui" / "core" / "profiles").glob("*.toml"):
        jsonschema.validate(tomllib.loads(profile.read_text(encoding="utf-8")), rules_schema)


def outside_ui() -> list[str]:
    """Every module of the package but the Textual app's (tui.ui) and `python -m tui`'s entry."""
    names = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[1] != "ui" and parts[-1] != "__main__":
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_only_the_ui_package_imports_textual():
    core = outside_ui()
    assert {"tui.core.scoring", "tui.store.saving", "tui.exchange.bundle", "tui.printed.form",
            "tui.cli", "tui.commands.check"} <= set(core)
    code = ("import sys\n" + "".join(f"import {m}\n" for m in core) +
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / SAMPLES[0].name
    shutil.copy(SAMPLES[0], path)
    return path


def test_save_refuses_a_file_changed_on_disk(sample):
    loaded = recordfile.load(sample)
    sample.write_text(sample.read_text(encoding="utf-8") + "\n# edited elsewhere\n", encoding="utf-8")
    before = sample.read_bytes()
    with pytest.raises(saving.ChangedOnDisk):
        saving.save(replace(loaded.project, name="新名称"), sample, loaded.digest)
    assert sample.read_bytes() == before
    # A new record never overwrites an existing file either.
    with pytest.raises(saving.ChangedOnDisk):
        saving.save(loaded.project, sample, None)


def test_save_is_atomic_and_leaves_no_temp_files(sample):
    loaded = recordfile.load(sample)
    saving.save(replace(loaded.project, name="改名"), sample, loaded.digest)
    assert [p.name for p in sample.parent.iterdir()] == [sample.name]
    assert recordfile.load(sample).project.name == "改名"


def test_save_all_writes_all_or_none(tmp_path, sample):
    loaded = recordfile.load(sample)
    other = tmp_path / "other.toml"
    other.write_text("x = 1\n", encoding="utf-8")  # not what the caller expected
    before = sample.read_bytes()
    with pytest.raises(saving.ChangedOnDisk):
        saving.save_all([(replace(loaded.project, name="A"), sample, loaded.digest),
                          (loaded.project, other, None)])
    assert sample.read_bytes() == before and other.read_text(encoding="utf-8") == "x = 1\n"
    new = tmp_path / "new.toml"
    done = saving.save_all([(replace(loaded.project, name="A"), sample, loaded.digest),
                             (replace(loaded.project, id="x2"), new, None)])
    assert [recordfile.load(d.path).project.name for d in done] == ["A", loaded.project.name]


@pytest.mark.parametrize("name, expected", [
    ("a/b", "a_b"), ("../../etc/passwd", "etc_passwd"), ("..", "项目"), ("", "项目"),
    ("名\x00称\n", "名_称"), ('项目:*?"<>|', "项目"), ("a.b", "a.b"), ("CON", "项目_CON"),
])
def test_safe_file_names(name, expected, tmp_path):
    assert naming.safe_stem(name) == expected
    path = naming.new_path(tmp_path, replace(recordfile.load(SAMPLES[0]).project, name=name))
    assert path.parent == tmp_path and path.name.endswith(".toml")


def test_new_path_does_not_collide(tmp_path):
    project = recordfile.load(SAMPLES[0]).project
    first = naming.new_path(tmp_path, project)
    first.write_text("", encoding="utf-8")
    assert naming.new_path(tmp_path, project) != first


def test_folder_load_reports_bad_files_and_keeps_good_ones(tmp_path, sample):
    (tmp_path / "broken.toml").write_text("name = [", encoding="utf-8")
    result = recordfile.load_folder(tmp_path)
    assert [r.path.name for r in result.records] == [sample.name]
    assert len(result.failures) == 1 and "broken.toml" in str(result.failures[0])


def _mutate(sample: Path, old: str, new: str) -> Path:
    text = sample.read_text(encoding="utf-8")
    assert old in text
    sample.write_text(text.replace(old, new, 1), encoding="utf-8")
    return sample


@pytest.mark.parametrize("old, new, field, words", [
    ('weight = "5.00"', 'weight = "1O0"', "indicators[0].weight", "不是数字"),
    ('weight = "5.00"', 'weight = "１００"', "indicators[0].weight", "全角"),
    ('weight = "5.00"', "weight = 5.5", "indicators[0].weight", "字符串"),
    ("year = 2023", 'year = "2023"', "year", "整数"),
    ("year = 2023\n", "", "year", "缺少"),
    ('budget = "1248.00"', 'budgte = "1248.00"', "funding.total.budgte", "未知字段"),
    ("format = 1", "format = 9", "format", "升级"),
    ('level1 = "产出指标"', "level1 = 3", "indicators[0].level1", "应为文字"),
])
def test_bad_fields_give_one_chinese_line_naming_file_and_field(sample, old, new, field, words):
    _mutate(sample, old, new)
    with pytest.raises(codec.RecordError) as caught:
        recordfile.load(sample)
    message = str(caught.value)
    assert "\n" not in message and sample.name in message and field in message and words in message


def test_check_cli_reports_bad_files_without_a_traceback(tmp_path, sample):
    (tmp_path / "not-toml.toml").write_text("这不是 TOML = = =", encoding="utf-8")
    _mutate(sample, 'weight = "5.00"', 'weight = "1O0"')
    out = subprocess.run([sys.executable, "-m", "tui", "check", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert "not-toml.toml" in out.stdout and "不是有效的 TOML" in out.stdout
    assert "indicators[0].weight" in out.stdout and "1O0" in out.stdout


def test_check_cli_exit_codes(tmp_path, sample):
    run = lambda *a: subprocess.run([sys.executable, "-m", "tui", "check", *a], cwd=ROOT,  # noqa: E731
                                    capture_output=True, text=True).returncode
    assert run(str(sample)) == 0
    assert run(str(tmp_path / "missing.toml")) == 2
    assert run() == 2
    _mutate(sample, 'weight = "5.00"', 'weight = "4.00"')  # weights now sum to 99
    assert run(str(sample)) == 1


def test_check_json_reports_errors_with_paths(sample):
    _mutate(sample, 'weight = "5.00"', 'weight = "4.00"')
    out = subprocess.run([sys.executable, "-m", "tui", "check", str(sample), "--json"], cwd=ROOT,
                         capture_output=True, text=True)
    project = json.loads(out.stdout)["projects"][0]
    assert {"path": "weights", "field": "分值合计", "message": "分值合计为 99.00，应为 100.00"} \
        in project["errors"]


def test_document_undo_redo_save_and_drafts(sample):
    doc = Document.from_loaded(recordfile.load(sample), load_rules())
    doc.edit("indicators[0].actual", "１")  # full-width: understood as 1, takes the target's unit
    assert doc.project.indicators[0].actual == "1(次)"
    assert doc.dirty and doc.assessment.sheet.total == D("97.48")
    doc.write_draft(Workspace(sample.parent))
    assert drafts.read_draft(sample).indicators[0].actual == "1(次)"
    assert doc.undo() and not doc.dirty and doc.redo() and doc.dirty
    doc.save(Workspace(sample.parent))
    assert not doc.dirty and drafts.read_draft(sample) is None
    assert recordfile.load(sample).project.indicators[0].actual == "1(次)"
    sample.write_text(sample.read_text(encoding="utf-8").replace("1(次)", "2(次)"), encoding="utf-8")
    assert doc.changed_on_disk()
    doc.edit("name", "x")
    with pytest.raises(saving.ChangedOnDisk):
        doc.save(Workspace(sample.parent))
    doc.reload()
    assert doc.project.indicators[0].actual == "2(次)" and doc.project.name != "x"
    assert not doc.dirty


def test_recover_removes_stale_temp_files_of_dead_saves(tmp_path, sample):
    import os
    import time

    old = tmp_path / f".{sample.name}.abc123.tmp"
    fresh = tmp_path / f".{sample.name}.def456.tmp"
    for tmp in (old, fresh):
        tmp.write_text("half a record", encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    recordfile.load_folder(tmp_path)
    assert not old.exists()  # a save dead for an hour
    assert fresh.exists()  # may belong to a save running now
    assert sample.exists()


def test_saves_keep_the_file_mode(tmp_path, sample):
    import stat

    sample.chmod(0o640)
    loaded = recordfile.load(sample)
    saving.save(replace(loaded.project, name="改名"), sample, loaded.digest)
    assert stat.S_IMODE(sample.stat().st_mode) == 0o640
    new = tmp_path / "new.toml"
    saving.save(replace(loaded.project, id="new"), new, None)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~atomic._UMASK  # not mkstemp's 0600


def test_the_schema_line_is_kept_as_the_file_had_it(tmp_path):
    """A record saved again keeps its `#:schema` line, whatever it is and wherever zipin is; a
    new record points at the folder's own copy of the schema, which is written with it."""
    source = next((ROOT / "samples" / "2023").glob("01-*.toml"))
    for first in ("#:schema ../../schemas/project.schema.json\n",
                  "#:schema https://example.org/project.schema.json\n", ""):
        path = tmp_path / "kept.toml"
        text = source.read_text(encoding="utf-8").split("\n", 1)[1]
        path.write_text(first + text, encoding="utf-8")
        loaded = recordfile.load(path)
        project = replace(loaded.project, implementer="改过的实施单位")
        saving.save(project, path, loaded.digest)
        saved = path.read_text(encoding="utf-8")
        assert saved.startswith(first) and "改过的实施单位" in saved
        assert saved.count("#:schema") == first.count("#:schema")
    new = naming.new_path(tmp_path / "new", loaded.project)
    new.parent.mkdir()
    saving.save(loaded.project, new, None)
    assert new.read_text(encoding="utf-8").startswith("#:schema .zipin/project.schema.json\n")
    copy = new.parent / ".zipin" / "project.schema.json"
    assert copy.read_bytes() == (ROOT / "schemas" / "project.schema.json").read_bytes()
    assert [p.name for p in recordfile.record_files(new.parent)] == [new.name]
