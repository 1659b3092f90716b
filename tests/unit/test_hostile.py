"""The holes found by hostile testing (issue 10), one test (or a few) per finding: data loss by a
stale journal, two imports at once, escape sequences, tracebacks on NaN/huge/deep input, temp-file
cleanup, name length in bytes, BOM, OS errors in Chinese, broken pipes, stray files in fixtures."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import time
import tomllib
from dataclasses import replace

import pytest
import tomli_w

from tui import cli

from tui.store import atomic, naming, recordfile, saving
from tui.core.document import Document
from tui.core.messages import os_error, visible
from tui.core.model import ParseError
from tui.core.rules import RulesError, load_rules, rules_from_dict

from conftest import NO_SEED, ROOT, SAMPLES, SEED, copy_samples, tracked_records
from hostile_cases import BAD_RECORDS, REASONS, TITLE, kill_save_all, sample_text

sys.path.insert(0, str(ROOT / "tests" / "perf"))
from generate import generate  # noqa: E402


# ---------------------------------------------------------------------------------------------
# 8. fixtures copy only the tracked records

def test_fixtures_copy_only_tracked_records(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    (source / "a.toml").write_text("x = 1\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(source), "add", "a.toml"], check=True)
    (source / "stray.toml").write_text("y = 1\n", encoding="utf-8")  # not tracked
    (source / ".zipin").mkdir()
    (source / ".zipin" / "exchanged.toml").write_text("format = 1\n", encoding="utf-8")
    copy = copy_samples(tmp_path / "copy", source)
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")) == ["a.toml"]


def test_the_folder_fixture_holds_the_twelve_samples_only(folder):
    assert sorted(p.name for p in folder.iterdir()) == [p.name for p in tracked_records(SAMPLES)]
    assert len(list(folder.iterdir())) == 12


# ---------------------------------------------------------------------------------------------
# 1. a save_all killed between its journal and its renames never overwrites a newer save

def test_a_stale_journal_never_overwrites_a_later_save(folder):
    first, second = recordfile.record_files(folder)[:2]
    kill_save_all(first, second)
    # A writer that never recovered (as the app did) saves the first record over the old one.
    loaded = recordfile.load(first)
    saving.save(replace(loaded.project, name="用户的保存"), first, loaded.digest)
    recordfile.load_folder(folder)  # recovers: the second is rolled forward, the first is not
    assert recordfile.load(first).project.name == "用户的保存"
    assert recordfile.load(second).project.name == "死掉的导入"
    assert not list(folder.glob(".zipin-journal.*")) and not list(folder.glob(".*.tmp"))


# ---------------------------------------------------------------------------------------------
# 5. only zipin's own temp files are cleaned

def test_only_zipins_own_temp_files_are_removed(folder):
    hour_ago = time.time() - 3600
    first = recordfile.record_files(folder)[0]
    mine = folder / ".my-notes.tmp"
    mine.write_text("notes", encoding="utf-8")
    ours = folder / f".{first.name}.k2j_x9ab.tmp"
    ours.write_text("half a record", encoding="utf-8")
    for path in (mine, ours):
        os.utime(path, (hour_ago, hour_ago))
    assert cli.main(["export", str(folder), "-o", str(folder.parent / "b.toml")]) == 0
    assert mine.read_text(encoding="utf-8") == "notes"
    assert not ours.exists()


# ---------------------------------------------------------------------------------------------
# 6. names are limited in bytes, temp names included

LONG = "\U00020000" * 70  # CJK Extension B: four bytes each in UTF-8


def test_a_name_of_four_byte_characters_can_be_imported(folder, tmp_path):
    first = recordfile.record_files(folder)[0]
    loaded = recordfile.load(first)
    saving.save(replace(loaded.project, name=LONG + "😀" * 10), first, loaded.digest)
    bundle = tmp_path / "b.toml"
    assert cli.main(["export", str(folder), str(first), "-o", str(bundle)]) == 0
    dest = tmp_path / "new"
    assert cli.main(["import", str(bundle), str(dest)]) == 0
    [written] = recordfile.record_files(dest)
    assert len(written.name.encode("utf-8")) <= 255 - 40
    assert recordfile.load(written).project.name == LONG + "😀" * 10


def test_a_long_file_name_that_fits_can_be_saved(tmp_path, folder):
    """A file a person named (not zipin) with a name near the limit: its temp name is cut."""
    first = recordfile.record_files(folder)[0]
    long = folder / ("长" * 80 + ".toml")  # 240 bytes + 5
    first.rename(long)
    loaded = recordfile.load(long)
    saving.save(replace(loaded.project, name="改名"), long, loaded.digest)
    assert recordfile.load(long).project.name == "改名"
    assert naming.safe_stem(LONG) and len(naming.safe_stem(LONG).encode("utf-8")) <= naming.STEM_BYTES


# ---------------------------------------------------------------------------------------------
# 7. BOM; OS errors in Chinese

def test_a_record_with_a_bom_loads_and_keeps_it(folder, tmp_path):
    first = recordfile.record_files(folder)[0]
    loaded = recordfile.load(first)
    saving.save(loaded.project, first, loaded.digest)  # the #:schema line as it is from here
    data = b"\xef\xbb\xbf" + first.read_bytes()
    first.write_bytes(data)
    loaded = recordfile.load(first)
    saving.save(loaded.project, first, loaded.digest)
    assert first.read_bytes() == data  # unedited, saved again: byte-identical, BOM kept
    saving.save(replace(loaded.project, name="改名"), first, atomic.current_digest(first))
    assert first.read_bytes().startswith(b"\xef\xbb\xbf")
    # and an import into the folder is not blocked by it
    bundle = tmp_path / "b.toml"
    assert cli.main(["export", str(folder), "-o", str(bundle)]) == 0
    assert cli.main(["import", str(bundle), str(folder), "--dry-run"]) == 0


def test_os_errors_are_given_in_chinese():
    assert os_error(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间不足（ENOSPC）"
    assert "File name too long" not in os_error(OSError(errno.ENAMETOOLONG, "File name too long"))
    assert "系统错误" in os_error(OSError(errno.EHOSTDOWN, "Host is down"))


def test_disk_full_during_import_is_said_in_chinese(folder, tmp_path, capsys, monkeypatch):
    bundle = tmp_path / "b.toml"
    assert cli.main(["export", str(folder), "-o", str(bundle)]) == 0
    real = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    capsys.readouterr()
    assert cli.main(["import", str(bundle), str(tmp_path / "new")]) == 1
    err = capsys.readouterr().err
    monkeypatch.setattr(os, "fsync", real)
    assert "磁盘空间不足" in err and "No space left" not in err
    assert not recordfile.record_files(tmp_path / "new")


# ---------------------------------------------------------------------------------------------
# 4. NaN, huge and deep numbers: a one-line refusal naming the field, never a traceback

def zipin_run(*argv, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *map(str, argv)], cwd=ROOT, capture_output=True)


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> str:
    out = result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8")
    assert result.returncode == 1, out
    for word in words:
        assert word in out, out
    return out


@pytest.mark.parametrize("kind", sorted(BAD_RECORDS))
def test_a_record_with_huge_or_deep_values_is_refused_by_check(tmp_path, kind):
    bad = tmp_path / "坏.toml"
    text = BAD_RECORDS[kind](sample_text())
    assert text != sample_text()
    bad.write_text(text, encoding="utf-8")
    out = assert_refused(zipin_run("check", tmp_path), "坏.toml", REASONS[kind])
    assert len(out) < 2_000  # the value is not echoed whole


def test_a_huge_record_in_the_folder_blocks_an_import_with_a_reason(folder, tmp_path):
    bundle = tmp_path / "b.toml"
    assert zipin_run("export", folder, "-o", bundle).returncode == 0
    (folder / "00-坏.toml").write_text(BAD_RECORDS["huge-weight"](sample_text()), encoding="utf-8")
    assert_refused(zipin_run("import", bundle, folder, "--dry-run"), "00-坏.toml", "数值过大")


PROFILE_VALUES = ["NaN", "sNaN", "Infinity", "-Infinity", "1E+999999", "1" + "0" * 40]


@pytest.mark.parametrize("value", PROFILE_VALUES)
@pytest.mark.parametrize("field", ["tiers.0.low", "grades.1.min", "warnings.over_achievement",
                                   "funding_weight"])
def test_a_bundle_whose_profile_holds_nan_or_huge_is_refused(folder, tmp_path, field, value):
    from tui.exchange import canonical

    out = tmp_path / "b.toml"
    assert zipin_run("export", folder, "-o", out).returncode == 0
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    profile = data["profiles"][0]
    where = profile["rules"]
    *path, last = field.split(".")
    for part in path:
        where = where[int(part)] if part.isdigit() else where[part]
    where[last] = value
    profile["sha256"] = hashlib.sha256(canonical.canonical_json(profile["rules"]).encode("utf-8")).hexdigest()
    out.write_text("#:schema bundle.schema.json\n" + tomli_w.dumps(data), encoding="utf-8")
    dest = tmp_path / "dest"
    assert_refused(zipin_run("import", out, dest), last)
    assert not dest.exists() or not any(dest.rglob("*"))
    with pytest.raises(RulesError):
        rules_from_dict(profile["rules"], "x")


def test_typed_huge_numbers_are_refused_in_the_editor():
    doc = Document.from_loaded(recordfile.load(tracked_records()[11]), load_rules("default"))
    for text in ("≥0." + "0" * 5_000 + "1", "1" + "0" * 30, "1E+999999", "NaN"):
        with pytest.raises(ParseError):
            doc.preview("indicators[0].target", text)
    with pytest.raises(ParseError):
        doc.edit("funding.weight", "9" * 40)
    assert doc.edit("name", "编号 123456789012345678901234567890")  # free text: taken


@pytest.mark.skipif(not SEED.is_file(), reason=NO_SEED)
def test_huge_figures_in_printed_text_are_refused_in_one_line(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("1,248.00", "1" + "0" * 50_000, 1)
    source = tmp_path / "2023.txt"
    source.write_text(text, encoding="utf-8")
    result = zipin_run("import-text", source, tmp_path / "dest")
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8")
    assert result.returncode == 1 and not (tmp_path / "dest").exists()


def test_a_broken_pipe_ends_quietly(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    generate(folder, 300)  # more than a pipe holds
    for argv in (f"check {folder}", f"render {folder}"):
        result = subprocess.run(f"{sys.executable} -m tui {argv} | head -3; exit ${{PIPESTATUS[0]}}",
                                shell=True, executable="/bin/bash", cwd=ROOT, capture_output=True)
        assert result.stderr == b"", result.stderr.decode("utf-8")
        assert result.returncode in (0, 1, 141)
        assert len(result.stdout.splitlines()) == 3


# ---------------------------------------------------------------------------------------------
# 3. escape sequences never reach the terminal from CLI messages

@pytest.mark.skipif(not SEED.is_file(), reason=NO_SEED)
def test_import_text_shows_control_characters_instead_of_sending_them(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("残疾人基本保障和帮扶经费", f"帮扶{TITLE}经费", 1)
    source = tmp_path / "2023.txt"
    source.write_text(text, encoding="utf-8")
    for argv in (("import-text", source, tmp_path / "dest", "--dry-run"),
                 ("import-text", source, tmp_path / "dest")):
        result = zipin_run(*argv)
        out = result.stdout + result.stderr
        assert b"\x1b" not in out and b"\x07" not in out
        assert "帮扶␛]0;TITLE␇␛[31m经费" in out.decode("utf-8")


def test_one_visible_helper():
    assert visible(TITLE) == "␛]0;TITLE␇␛[31m"
    assert visible("a\u202eb\x9bc\u2028d") == "a<U+202E>b<U+009B>c<U+2028>d"
    assert visible("一\n二\r\n三\t", lines=True) == "一\n二\n三   "  # tabs to 4 columns
    assert visible("👨\u200d👩") == "👨\u200d👩"  # a joiner acts on nothing


@pytest.mark.parametrize("depth", [65, 900])
def test_a_record_nested_deeper_than_any_record_is_refused_by_name(tmp_path, depth):
    """TOML is read by a compiled parser that goes deeper than Python's recursion limit: what
    is nested deeper than MAX_DEPTH is refused before anything walks it."""
    from tui.core.bounds import MAX_DEPTH
    from tui.store.codec import RecordError
    from tui.store.recordfile import load

    path = tmp_path / "深.toml"
    path.write_text("x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load(path)
    assert "深.toml" in str(caught.value) and f"最多 {MAX_DEPTH} 层" in str(caught.value)
