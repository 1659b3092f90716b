"""The app's list from the folder index (issue 16): with the index warm, every line is in the first
frame and is the very line the record itself gives; a file changed behind the index is read."""

from __future__ import annotations

import shutil
from pathlib import Path

from pilot import SIZE, ready, until
from tui.ui.app import ZipinApp
from tui.store.index import INDEX
from tui.store.recordfile import dumps, load
from conftest import OTHER, SAMPLES



async def entries_of(folder: Path) -> tuple[dict, set]:
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        return dict(main.list.entries), set(main.loader.listed)


async def test_warm_list_is_the_list_the_records_give(tmp_path):
    folder = tmp_path / "2023"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns(".*"))
    cold, listed = await entries_of(folder)
    assert listed == set() and (folder / INDEX).is_file() and len(cold) == 12
    warm, listed = await entries_of(folder)
    assert len(listed) == 12 and warm == cold
    # A record changed behind the index is read again, never shown from its old row.
    path = sorted(folder.glob("03-*.toml"))[0]
    project = load(path).project
    path.write_text(dumps(project.with_indicator(0, reason="说明", actual="0.00(人)"), path),
                    encoding="utf-8")
    again, listed = await entries_of(folder)
    assert str(path) not in listed and len(listed) == 11
    assert again[str(path)].total != cold[str(path)].total
    assert {k: v for k, v in again.items() if k != str(path)} == \
        {k: v for k, v in cold.items() if k != str(path)}


async def test_format_2_records_and_their_profiles_list_alike_warm(tmp_path):
    """Blank amounts, rates that can't be computed, profiles printing whole numbers, records
    with errors (未定): the line from the index is the line from the record."""
    folder = tmp_path / "other"
    shutil.copytree(OTHER, folder,
                    ignore=shutil.ignore_patterns(".*"))
    cold, _listed = await entries_of(folder)
    warm, listed = await entries_of(folder)
    assert len(listed) == len(cold) > 5 and warm == cold
    assert any(e.rate is None for e in warm.values()) and any(e.errors for e in warm.values())


# -- records read when needed (issue 16): a warm start reads none but the one in the editor ----


def rewrite_in_place(path: Path, project) -> None:
    """Another program changes a record while the app runs."""
    path.write_text(dumps(project, path), encoding="utf-8")


async def test_warm_start_reads_only_what_it_shows_and_sorts_by_the_records_figures(tmp_path):
    """Totals, the sort by total and problem counts come from the index; a record changed behind
    it after the start shows its new figures once read (opened), and moves in the sort."""
    from tui.core.rules import load_rules
    from tui.core.validation import assess

    folder = tmp_path / "2023"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns(".*"))
    await entries_of(folder)  # cold: makes the index
    truth = {}
    for path in sorted(folder.glob("*.toml")):
        project = load(path).project
        truth[str(path)] = assess(project, load_rules(project.rules, folder))
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert set(main.loaded) == {main.current}  # only the project in the editor was read
        main.action_sort("total")
        await pilot.pause()
        by_total = sorted(truth, key=lambda k: (truth[k].sheet.total, main.list.entries[k].name),
                          reverse=True)
        assert [e.key for e in main.list.rows] == by_total
        assert {k: e.errors for k, e in main.list.entries.items()} == \
            {k: a.error_count for k, a in truth.items()}
        # The lowest-scoring record, not read yet, is changed by another program: every
        # indicator met, so it climbs to the top once the app reads it.
        low = by_total[-1]
        assert low not in main.loaded
        project = load(Path(low)).project
        best = project
        for i, item in enumerate(project.indicators):
            best = best.with_indicator(i, actual=item.target.lstrip("≥≤><="), reason="")
        rewrite_in_place(Path(low), best)
        assert main.list.entries[low].total == truth[low].sheet.total  # not read: as listed
        main.list.select_key(low)
        await pilot.pause()
        assert main.current == low
        fresh = assess(best, load_rules(best.rules, folder))
        assert fresh.sheet.total > truth[low].sheet.total
        assert main.list.entries[low].total == fresh.sheet.total
        assert main.list.rows.index(main.list.entries[low]) < len(by_total) - 1


async def test_a_listed_record_gone_behind_the_index_leaves_the_list_when_read(tmp_path):
    """The year's summary (F9) reads every record of the year: one deleted and one broken since
    the start are listed as failed, never summed up from their old lines."""
    folder = tmp_path / "2023"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns(".*"))
    await entries_of(folder)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        unread = sorted(k for k in main.list.entries if k not in main.loaded)
        deleted, broken = Path(unread[0]), Path(unread[1])
        deleted.unlink()
        broken.write_text("format = [", encoding="utf-8")
        await pilot.press("f9")
        await until(pilot, lambda: app.screen is not main)
        assert str(deleted) not in main.list.entries and str(broken) not in main.list.entries
        assert len(main.list.entries) == 10
        failed = {Path(f.file).name for f in main.failures}
        assert {deleted.name, broken.name} <= failed
        assert all(k in main.loaded or k in main.docs for k in main.list.entries)


async def test_a_draft_of_a_listed_record_is_offered_back_on_a_warm_start(tmp_path):
    from tui.ui.screens.dialogs import ChoiceDialog
    from tui.store.drafts import write_draft

    folder = tmp_path / "2023"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns(".*"))
    await entries_of(folder)
    path = sorted(folder.glob("*.toml"))[5]
    write_draft(load(path).project.with_indicator(0, reason="草稿里的说明"), path)
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert app.screen.title_text == "恢复未保存的修改？"
        await pilot.press("r")
        await pilot.pause()
        main = app.main
        assert main.docs[str(path)].dirty
        assert main.docs[str(path)].project.indicators[0].reason == "草稿里的说明"


async def test_an_export_after_a_warm_start_takes_every_record_as_on_disk(tmp_path):
    """Ctrl+E reads the records the start only listed: all twelve go out, as the files hold them."""
    import tui.exchange.bundle as B
    from pilot import answer_path, messages

    folder = tmp_path / "2023"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns(".*"))
    await entries_of(folder)
    out = tmp_path / "all.toml"
    app = ZipinApp(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main = await ready(pilot)
        assert len(main.loaded) == 1
        await pilot.press("ctrl+e")
        await answer_path(pilot, out)
        await until(pilot, lambda: any("已导出 12 个项目" in m for m in messages(app)))
        assert len(main.loaded) == 12
    bundle = B.load_bundle(out)
    assert sorted(r.project.id for r in bundle.records) == \
        sorted(load(p).project.id for p in folder.glob("*.toml") if p.name != out.name)


async def test_a_bundle_in_the_folder_is_neither_a_project_nor_a_failure(tmp_path):
    """The index's listing does not open files to tell a bundle: the reader does, and passes it."""
    from tui.exchange.bundle import export_to_file
    from tui.store.recordfile import load_folder

    folder = tmp_path / "2023"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns(".*"))
    export_to_file(folder, load_folder(folder).records, folder / "00-包.toml", made_by="测试")
    for _start in ("cold", "warm"):
        app = ZipinApp(folder)
        async with app.run_test(size=SIZE) as pilot:
            main = await ready(pilot)
            assert len(main.list.entries) == 12 and main.failures == []
            assert str(folder / "00-包.toml") not in main.list.entries
