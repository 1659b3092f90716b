"""The app's list from the folder index (issue 16): with the index warm, every line is in the first
frame and is the very line the record itself gives; a file changed behind the index is read."""

from __future__ import annotations

import shutil
from pathlib import Path

from pilot import SIZE, ready
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
