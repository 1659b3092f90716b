"""The holes found by hostile testing (issue 10), one test (or a few) per finding: data loss by a
stale journal, two imports at once, escape sequences, tracebacks on NaN/huge/deep input, temp-file
cleanup, name length in bytes, BOM, OS errors in Chinese, broken pipes, stray files in fixtures."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from tui import cli, storage
from tui.messages import os_error

from conftest import SAMPLES, copy_samples, tracked_records

ROOT = Path(__file__).parents[1]


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

KILL_AT_FIRST_RENAME = r'''
import os, signal, sys
from dataclasses import replace
from pathlib import Path
from tui import storage
real = os.replace
def replace_then_die(src, dst):
    if not Path(dst).name.startswith(".zipin-journal"):
        os.kill(os.getpid(), signal.SIGKILL)  # journal written, no record renamed yet
    return real(src, dst)
os.replace = replace_then_die
items = []
for name in sys.argv[1:]:
    loaded = storage.load(Path(name))
    items.append((replace(loaded.project, name="死掉的导入"), loaded.path, loaded.digest))
storage.save_all(items)
'''


def kill_save_all(*paths: Path) -> None:
    """Run save_all of `paths` (renamed 死掉的导入) in a process SIGKILLed after its journal."""
    proc = subprocess.run([sys.executable, "-c", KILL_AT_FIRST_RENAME, *map(str, paths)],
                          cwd=ROOT, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert list(paths[0].parent.glob(".zipin-journal.*.json"))


def test_a_stale_journal_never_overwrites_a_later_save(folder):
    first, second = storage.record_files(folder)[:2]
    kill_save_all(first, second)
    # A writer that never recovered (as the app did) saves the first record over the old one.
    loaded = storage.load(first)
    storage.save(replace(loaded.project, name="用户的保存"), first, loaded.digest)
    storage.load_folder(folder)  # recovers: the second is rolled forward, the first is not
    assert storage.load(first).project.name == "用户的保存"
    assert storage.load(second).project.name == "死掉的导入"
    assert not list(folder.glob(".zipin-journal.*")) and not list(folder.glob(".*.tmp"))


# ---------------------------------------------------------------------------------------------
# 5. only zipin's own temp files are cleaned

def test_only_zipins_own_temp_files_are_removed(folder):
    hour_ago = time.time() - 3600
    first = storage.record_files(folder)[0]
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
    first = storage.record_files(folder)[0]
    loaded = storage.load(first)
    storage.save(replace(loaded.project, name=LONG + "😀" * 10), first, loaded.digest)
    bundle = tmp_path / "b.toml"
    assert cli.main(["export", str(folder), str(first), "-o", str(bundle)]) == 0
    dest = tmp_path / "new"
    assert cli.main(["import", str(bundle), str(dest)]) == 0
    [written] = storage.record_files(dest)
    assert len(written.name.encode("utf-8")) <= 255 - 40
    assert storage.load(written).project.name == LONG + "😀" * 10


def test_a_long_file_name_that_fits_can_be_saved(tmp_path, folder):
    """A file a person named (not zipin) with a name near the limit: its temp name is cut."""
    first = storage.record_files(folder)[0]
    long = folder / ("长" * 80 + ".toml")  # 240 bytes + 5
    first.rename(long)
    loaded = storage.load(long)
    storage.save(replace(loaded.project, name="改名"), long, loaded.digest)
    assert storage.load(long).project.name == "改名"
    assert storage.safe_stem(LONG) and len(storage.safe_stem(LONG).encode("utf-8")) <= storage.STEM_BYTES


# ---------------------------------------------------------------------------------------------
# 7. BOM; OS errors in Chinese

def test_a_record_with_a_bom_loads_and_keeps_it(folder, tmp_path):
    first = storage.record_files(folder)[0]
    loaded = storage.load(first)
    storage.save(loaded.project, first, loaded.digest)  # the #:schema line as it is from here
    data = b"\xef\xbb\xbf" + first.read_bytes()
    first.write_bytes(data)
    loaded = storage.load(first)
    storage.save(loaded.project, first, loaded.digest)
    assert first.read_bytes() == data  # unedited, saved again: byte-identical, BOM kept
    storage.save(replace(loaded.project, name="改名"), first, storage.current_digest(first))
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
    assert not storage.record_files(tmp_path / "new")
