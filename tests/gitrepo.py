"""A real git repository of the samples, set up with `zipin git-setup`, for tests that merge and
diff records through git itself (tests/test_git.py, tests/test_app_git.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from tui.cli import main
from tui.store.recordfile import load
from tui.store.saving import save
from conftest import SAMPLES

RECORD = "01-残疾人基本保障和帮扶经费.toml"

needs_git = pytest.mark.skipif(shutil.which("git") is None,
                               reason="git is not installed: apt-get install git to run these")

# Only this test's repository counts: no user's or system's git config, a fixed author.
ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
       "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=ENV)
    if check and done.returncode:
        raise AssertionError(f"git {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def make_repo(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """(repository, records folder `recs` in it), the samples committed on `main`."""
    for key in ("GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(key, ENV[key])  # zipin git-setup runs git too
    repo = tmp_path / "repo"
    recs = repo / "recs"
    shutil.copytree(SAMPLES, recs, ignore=shutil.ignore_patterns(".*"))
    git(repo, "init", "-q", "-b", "main")
    assert main(["git-setup", str(recs)]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "样例")
    return repo, recs


def edit_on_branch(repo: Path, branch: str, start: str, path: Path, **indicator_changes) -> None:
    """On a new branch from `start`: change fields of indicators ({index: {field: value}})."""
    git(repo, "checkout", "-q", "-b", branch, start)
    loaded = load(path)
    project = loaded.project
    for index, changes in indicator_changes.items():
        project = project.with_indicator(int(index.removeprefix("i")), **changes)
    save(replace(project), path, loaded.digest)
    git(repo, "commit", "-qam", branch)
