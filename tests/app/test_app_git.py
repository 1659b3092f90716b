"""A git merge conflict of a record, resolved in the app's review screen by keys (issue 16): the
same screen bundle conflicts use, opened by itself when the folder is loaded."""

from __future__ import annotations

from gitrepo import RECORD, edit_on_branch, git, make_repo, needs_git
from pilot import SIZE, ready, messages, plain, until
from textual.widgets import OptionList
from tui.ui.app import ZipinApp
from tui.exchange.conflicts import CONFLICTS
from tui.ui.screens.review import MergeReviewScreen
from tui.store.recordfile import load

pytestmark = needs_git


def detail_of(review) -> str:
    """The review's detail as text ("" until the screen has composed it)."""
    found = review.query("#review-fields")
    return plain(found.first()) if found else ""


def conflicted(tmp_path, monkeypatch):
    repo, recs = make_repo(tmp_path, monkeypatch)
    path = recs / RECORD
    edit_on_branch(repo, "theirs", "main", path, i2={"actual": "1.00(次)"}, i0={"actual": "3.00(次)"})
    edit_on_branch(repo, "ours", "main", path, i2={"actual": "0.00(次)"})
    assert git(repo, "merge", "-m", "合并", "theirs", check=False).returncode == 1
    return repo, recs, path


async def test_b_takes_their_value_and_git_can_commit_it(tmp_path, monkeypatch):
    repo, recs, path = conflicted(tmp_path, monkeypatch)
    app = ZipinApp(recs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeReviewScreen))
        review = app.screen
        await until(pilot, lambda: "0.00(次)" in detail_of(review))
        items = review.query_one(OptionList)
        assert items.option_count == 1
        assert "冲突" in str(items.get_option_at_index(0).prompt)
        detail = detail_of(review)
        assert "项指标的实际完成值" in detail and "0.00(次)" in detail and "1.00(次)" in detail
        assert "1 处不同" in detail  # indicator 1 merged cleanly: not in question
        assert "git 合并" in plain(review.query_one("#review-summary"))
        await pilot.press("b")
        assert "采用对方版本" in str(items.get_option_at_index(0).prompt)
        assert load(path).project.indicators[2].actual == "0.00(次)"  # nothing written yet
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("已解决 1 个合并冲突" in m for m in messages(app)))
        main = await ready(pilot)
        assert app.screen is main
        assert main.loaded[str(path)].project.indicators[2].actual == "1.00(次)"
    project = load(path).project
    assert project.indicators[2].actual == "1.00(次)" and project.indicators[0].actual == "3.00(次)"
    assert list((recs / CONFLICTS).glob("*.toml")) == []
    git(repo, "add", str(path))
    git(repo, "commit", "-qm", "解决冲突")
    assert git(repo, "status", "--porcelain").stdout == ""


async def test_m_keeps_ours_and_esc_leaves_it_for_later(tmp_path, monkeypatch):
    repo, recs, path = conflicted(tmp_path, monkeypatch)
    before = path.read_bytes()
    app = ZipinApp(recs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeReviewScreen))
        await pilot.press("escape")  # later: nothing written, the conflict stays
        await until(pilot, lambda: any("合并冲突留待以后" in m for m in messages(app)))
        assert path.read_bytes() == before and len(list((recs / CONFLICTS).glob("*.toml"))) == 1
        await pilot.press("ctrl+p")
        await pilot.press(*"解决合并冲突")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MergeReviewScreen))
        await pilot.press("m", "ctrl+s")
        await until(pilot, lambda: any("已解决 1 个合并冲突" in m for m in messages(app)))
    assert path.read_bytes() == before
    assert load(path).project.indicators[2].actual == "0.00(次)"
    assert list((recs / CONFLICTS).glob("*.toml")) == []


async def test_a_merge_conflict_resolved_field_by_field(tmp_path, monkeypatch):
    from tui.ui.screens.fields import MergeFieldsScreen

    repo, recs = make_repo(tmp_path, monkeypatch)
    path = recs / RECORD
    edit_on_branch(repo, "theirs", "main", path, i0={"actual": "3.00(次)"}, i2={"actual": "1.00(次)"})
    edit_on_branch(repo, "ours", "main", path, i0={"actual": "5.00(次)"}, i2={"actual": "0.00(次)"})
    assert git(repo, "merge", "-m", "合并", "theirs", check=False).returncode == 1
    app = ZipinApp(recs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeReviewScreen))
        review = app.screen
        await until(pilot, lambda: "2 处不同" in detail_of(review))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MergeFieldsScreen))
        summary = plain(app.screen.query_one("#fields-summary"))
        assert "2 处不同，采用对方 0 处" in summary
        await pilot.press("b", "m", "enter")  # their 第 1 项, our 第 3 项
        await until(pilot, lambda: app.screen is review)
        items = review.query_one(OptionList)
        assert "逐项：对方 1 处" in str(items.get_option_at_index(0).prompt)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("已解决 1 个合并冲突" in m for m in messages(app)))
    project = load(path).project
    assert project.indicators[0].actual == "3.00(次)" and project.indicators[2].actual == "0.00(次)"
    assert list((recs / CONFLICTS).glob("*.toml")) == []
    kept = sorted(p.name.rsplit("-", 1)[1] for p in (recs / ".zipin" / "replaced").glob("*.toml"))
    assert kept == ["包内.toml", "本机.toml"]
    git(repo, "add", str(path))
    git(repo, "commit", "-qm", "解决冲突")
    assert git(repo, "status", "--porcelain").stdout == ""
