"""The holes found by hostile testing (issue 10), one test (or a few) per finding: data loss by a
stale journal, two imports at once, escape sequences, tracebacks on NaN/huge/deep input, temp-file
cleanup, name length in bytes, BOM, OS errors in Chinese, broken pipes, stray files in fixtures."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import SAMPLES, copy_samples, tracked_records


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
