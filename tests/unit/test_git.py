"""Teams on git (issue 16): `zipin git-setup`, the merge driver and the diff driver, through real
git in a temporary repository of the samples."""

from __future__ import annotations

import tomllib
from pathlib import Path

from gitrepo import RECORD, edit_on_branch, git, make_repo, needs_git
from tui.cli import main
from tui.commands.git_setup import BEGIN, attributes_text
from tui.exchange.conflicts import CONFLICTS, pending
from tui.core.rules import load_rules
from tui.core.scoring import score
from tui.store.recordfile import load

pytestmark = needs_git


def test_two_branches_editing_different_indicators_merge_with_both_edits(tmp_path, monkeypatch):
    repo, recs = make_repo(tmp_path, monkeypatch)
    path = recs / RECORD
    base = load(path).project
    edit_on_branch(repo, "a", "main", path, i0={"actual": "1.00(次)"})
    edit_on_branch(repo, "b", "main", path, i1={"actual": "50.00(人次)"})
    done = git(repo, "merge", "-m", "合并 a", "a", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    merged = load(path).project
    assert merged.indicators[0].actual == "1.00(次)"
    assert merged.indicators[1].actual == "50.00(人次)"
    rules = load_rules("default")
    both = base.with_indicator(0, actual="1.00(次)").with_indicator(1, actual="50.00(人次)")
    assert merged == both
    total = score(merged, rules).total
    assert f"{total:.2f}" == "92.48"  # 99.98 less 2.50 (indicator 1) less 5.00 (indicator 2)
    assert git(repo, "status", "--porcelain").stdout == ""
    assert not (recs / CONFLICTS).exists()


def test_the_same_field_on_both_branches_is_a_conflict_kept_for_review(tmp_path, monkeypatch):
    repo, recs = make_repo(tmp_path, monkeypatch)
    path = recs / RECORD
    edit_on_branch(repo, "theirs", "main", path, i2={"actual": "1.00(次)"}, i0={"actual": "3.00(次)"})
    edit_on_branch(repo, "ours", "main", path, i2={"actual": "0.00(次)"})
    done = git(repo, "merge", "-m", "合并", "theirs", check=False)
    assert done.returncode == 1
    assert "第 3 项指标的实际完成值：本方 0.00(次)，对方 1.00(次)" in done.stderr
    assert git(repo, "status", "--porcelain").stdout.startswith("UU ")
    tomllib.loads(path.read_text(encoding="utf-8"))  # valid TOML, no conflict markers
    now = load(path).project  # and a valid record: ours where both changed, theirs elsewhere
    assert now.indicators[2].actual == "0.00(次)"
    assert now.indicators[0].actual == "3.00(次)"
    [kept] = pending(recs)
    assert kept.path == path and kept.fields == ("indicators[2].actual",)
    assert kept.theirs.indicators[2].actual == "1.00(次)"
    assert kept.theirs.indicators[0].actual == "3.00(次)"


def test_a_conflict_changed_behind_it_is_forgotten(tmp_path, monkeypatch):
    """Resolved by hand (or the merge aborted): the file is no longer what the merge wrote."""
    repo, recs = make_repo(tmp_path, monkeypatch)
    path = recs / RECORD
    edit_on_branch(repo, "theirs", "main", path, i2={"actual": "1.00(次)"})
    edit_on_branch(repo, "ours", "main", path, i2={"actual": "0.00(次)"})
    git(repo, "merge", "-m", "合并", "theirs", check=False)
    assert len(pending(recs)) == 1
    git(repo, "merge", "--abort")
    assert pending(recs) == []
    assert list((recs / CONFLICTS).glob("*.toml")) == []


def test_files_that_are_not_records_merge_by_lines(tmp_path, monkeypatch):
    repo, recs = make_repo(tmp_path, monkeypatch)
    notes = recs / "说明.toml"
    notes.write_text("a = 1\nb = 2\nc = 3\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "说明")
    git(repo, "checkout", "-q", "-b", "x")
    notes.write_text("a = 10\nb = 2\nc = 3\n", encoding="utf-8")
    git(repo, "commit", "-qam", "x")
    git(repo, "checkout", "-q", "-b", "y", "main")
    notes.write_text("a = 1\nb = 2\nc = 30\n", encoding="utf-8")
    git(repo, "commit", "-qam", "y")
    done = git(repo, "merge", "-m", "合并", "x", check=False)
    assert done.returncode == 0, done.stderr
    assert notes.read_text(encoding="utf-8") == "a = 10\nb = 2\nc = 30\n"


def test_git_diff_and_difftool_show_fields_and_scores(tmp_path, monkeypatch):
    repo, recs = make_repo(tmp_path, monkeypatch)
    path = recs / RECORD
    edit_on_branch(repo, "b", "main", path, i1={"actual": "50.00(人次)", "reason": "因故减少"})
    shown = git(repo, "diff", "main", "b").stdout
    assert "-第 2 项指标的实际完成值：100.00(人次)\n+第 2 项指标的实际完成值：50.00(人次)" in shown
    assert "-总分 99.98\n+总分 94.98" in shown
    tool = git(repo, "difftool", "-y", "-t", "zipin", "main", "b").stdout
    assert "第 2 项指标的实际完成值：100.00(人次) → 50.00(人次)" in tool
    assert "总分 99.98 → 94.98（-5.00）" in tool


def test_git_setup_twice_keeps_other_lines_and_one_block(tmp_path, monkeypatch, capsys):
    repo, recs = make_repo(tmp_path, monkeypatch)
    attributes = recs / ".gitattributes"
    attributes.write_text("*.txt text\n" + attributes.read_text(encoding="utf-8"), encoding="utf-8")
    before = attributes.read_text(encoding="utf-8")
    assert main(["git-setup", str(recs)]) == 0
    assert attributes.read_text(encoding="utf-8") == before
    assert before.count(BEGIN) == 1 and before.startswith("*.txt text\n")
    assert attributes_text("") == attributes_text(attributes_text(""))
    assert git(repo, "check-attr", "merge", "--", f"recs/{RECORD}").stdout.endswith("merge: zipin\n")
    assert git(repo, "check-attr", "merge", "--", "recs/profiles/x.toml").stdout.endswith(
        "merge: unspecified\n")
    assert ".zipin/" in (repo / ".git" / "info" / "exclude").read_text(encoding="utf-8").splitlines()
    assert main(["git-setup", str(tmp_path)]) == 2  # not in a repository
    assert "不在 git 仓库中" in capsys.readouterr().err


def test_merge_driver_needs_git_setup_only_once(tmp_path: Path, monkeypatch):
    """A clone gets .gitattributes from the commit; its own config from git-setup."""
    repo, recs = make_repo(tmp_path, monkeypatch)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    assert git(clone, "config", "--get", "merge.zipin.driver", check=False).returncode == 1
    assert main(["git-setup", str(clone / "recs")]) == 0
    assert "merge-driver %O %A %B %P" in git(clone, "config", "--get", "merge.zipin.driver").stdout
