"""The folder index (tui.store.index, issue 16): a cache of each record's summary that never shows a
stale figure: changed files, racily clean ones, a corrupt or missing index, a folder where it
can't be written, a changed rule profile."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import tui.store.index as I
from tui.cli import main
from tui.store.index import INDEX, FolderIndex, summary
from tui.store.recordfile import NotARecord, dumps, load, record_files
from conftest import ROOT, SAMPLES

HOUR_NS = 3600 * 10**9


@pytest.fixture
def records(tmp_path: Path) -> Path:
    dest = tmp_path / "2023"
    shutil.copytree(SAMPLES, dest, ignore=shutil.ignore_patterns(".*"))
    old = time.time_ns() - HOUR_NS  # files last changed an hour ago: not racy
    for path in dest.glob("*.toml"):
        os.utime(path, ns=(old, old))
    return dest


def figures(folder: Path) -> dict[str, dict]:
    """Each record's summary, read from scratch (no index)."""
    return {p.name: summary(load(p), folder) for p in record_files(folder)}


def indexed(folder: Path) -> tuple[dict[str, dict], int, int]:
    with FolderIndex(folder) as index:
        found, failures = index.summaries(record_files(folder))
        assert failures == []
        return {p.name: s for p, s in found}, index.hits, index.misses


def rewrite(path: Path, **changes) -> None:
    """Change a record in place (same inode), as an editor or `git checkout` might."""
    project = replace(load(path).project, **changes)
    with open(path, "r+b") as f:
        f.truncate(0)
        f.write(dumps(project, path).encode("utf-8"))


def test_cold_then_warm_gives_the_same_summaries_reading_nothing(records):
    truth = figures(records)
    cold, hits, misses = indexed(records)
    assert cold == truth and (hits, misses) == (0, 12)
    warm, hits, misses = indexed(records)
    assert warm == truth and (hits, misses) == (12, 0)
    assert (records / INDEX).is_file()


def test_a_file_changed_behind_the_index_is_read_again(records):
    indexed(records)
    path = sorted(records.glob("01-*.toml"))[0]
    project = load(path).project
    rewrite(path, indicators=(replace(project.indicators[0], actual="0.00(次)"),) + project.indicators[1:])
    warm, hits, misses = indexed(records)
    assert (hits, misses) == (11, 1)
    assert warm[path.name] == summary(load(path), records)
    assert warm[path.name]["total"] != figures(SAMPLES)[path.name]["total"]


def test_racily_clean_same_size_change_in_the_same_tick_is_caught(records, monkeypatch):
    """A clock so coarse that a same-size change keeps every stamp: only the bytes can tell."""
    monkeypatch.setattr(I, "stamp_of", lambda st: (st.st_size, 0, 0, st.st_ino))
    monkeypatch.setattr(I, "RACY_NS", 10**30)  # every row was written in the file's tick
    indexed(records)
    path = sorted(records.glob("01-*.toml"))[0]
    before = path.read_bytes()
    with open(path, "r+b") as f:  # in place, same size: "2.00(次)" -> "1.00(次)"
        f.write(before.replace('actual = "2.00(次)"'.encode(), 'actual = "1.00(次)"'.encode(), 1))
    assert path.stat().st_size == len(before) and path.read_bytes() != before
    warm, hits, misses = indexed(records)
    assert (hits, misses) == (11, 1)  # the eleven unchanged passed the digest check
    assert warm[path.name]["total"] == summary(load(path), records)["total"] != \
        figures(SAMPLES)[path.name]["total"]


def test_rows_of_old_files_are_not_racy_and_are_not_read(records, monkeypatch):
    indexed(records)
    reads = []
    real = I.file_digest
    monkeypatch.setattr(I, "file_digest", lambda data: reads.append(1) or real(data))
    _warm, hits, _misses = indexed(records)
    assert hits == 12 and reads == []


def test_a_corrupt_or_deleted_index_is_rebuilt(records):
    truth = figures(records)
    indexed(records)
    (records / INDEX).write_bytes(b"this is not a database" * 100)
    again, hits, misses = indexed(records)
    assert again == truth and (hits, misses) == (0, 12)
    (records / INDEX).unlink()
    assert indexed(records)[0] == truth


def test_a_folder_where_the_index_cannot_be_written_works_without_it(records):
    (records / ".zipin").write_text("a file where the folder would be", encoding="utf-8")
    with FolderIndex(records) as index:
        assert index.db is None
        found, _failures = index.summaries(record_files(records))
    assert {p.name: s for p, s in found} == figures(records)


def test_a_changed_rule_profile_drops_every_row(records):
    indexed(records)
    profiles = records / "profiles"
    profiles.mkdir()
    shutil.copy(ROOT / "tui" / "core" / "profiles" / "half-up.toml", profiles / "half-up.toml")
    _found, hits, misses = indexed(records)
    assert (hits, misses) == (0, 12)


def test_zipin_check_prints_the_same_cold_and_warm(records, capsys):
    assert main(["check", str(records)]) == 0
    cold = capsys.readouterr().out
    assert main(["check", str(records)]) == 0
    assert capsys.readouterr().out == cold
    shutil.rmtree(records / ".zipin")
    path = sorted(records.glob("01-*.toml"))[0]
    path.write_text("这不是 TOML", encoding="utf-8")
    assert main(["check", str(records)]) == 1
    assert "无法读取" in capsys.readouterr().out
    assert main(["check", str(records)]) == 1  # a bad file is never cached: reported again
    assert "无法读取" in capsys.readouterr().out


def test_zipin_summary_through_the_index_matches_the_records(records, capsys):
    from tui.core.rules import load_rules
    from tui.printed.summary import as_json, summarize
    from tui.core.validation import assess

    path = sorted(records.glob("02-*.toml"))[0]
    project = load(path).project  # one record in 元, with amounts of more than two places
    total = project.funding.appropriation
    yuan = replace(project, money_unit="元", funding=replace(project.funding, stated_total=None,
                   appropriation=replace(total, adjusted=total.adjusted * 10000 + Decimal("0.125"),
                                         executed=total.executed * 10000)))
    path.write_text(dumps(yuan, path), encoding="utf-8")
    rules = load_rules("default")
    items = [(p.name, load(p).project, assess(load(p).project, rules)) for p in record_files(records)]
    expected = as_json(summarize(items, rules))
    for _ in range(2):  # cold, then warm
        main(["summary", "--format", "json", str(records)])
        assert capsys.readouterr().out == expected


def test_listing_is_record_files_with_the_cached_lines(records):
    from tui.exchange.bundle import export_to_file
    from tui.store.recordfile import load_folder

    export_to_file(records, load_folder(records).records, records / "包.toml", made_by="测试")
    (records / "folder.toml").mkdir()
    indexed(records)
    path = sorted(records.glob("05-*.toml"))[0]
    rewrite(path, name="改过的名称")
    with FolderIndex(records) as index:
        files, cached = index.listing()
    # The bundle is among the files (telling it takes opening it), never among the cached
    # lines; reading it says it is no record. No folder.
    bundle = str(records / "包.toml")
    assert files == sorted([str(p) for p in record_files(records)] + [bundle]) and len(files) == 13
    assert set(cached) == set(files) - {str(path), bundle}
    assert cached[files[0]].name == load(Path(files[0])).project.name
    with FolderIndex(records) as index, pytest.raises(NotARecord):
        index.read(Path(bundle), bundles=False)


def test_rows_a_start_made_hold_no_summary_and_check_reads_those_records(records):
    """The app's start stores each record's list line only: `zipin check` and `summary` read
    such a record again rather than take a summary that was never made."""
    truth = figures(records)
    with FolderIndex(records) as index:
        for path in record_files(records):
            assert index.read(path, summary=False)[2] is None
    warm, hits, misses = indexed(records)
    assert warm == truth and (hits, misses) == (0, 12)
    assert indexed(records)[1:] == (12, 0)


def test_another_zipin_version_drops_every_row(records, monkeypatch):
    indexed(records)
    monkeypatch.setattr(I, "__version__", I.__version__ + ".1")
    _found, hits, misses = indexed(records)
    assert (hits, misses) == (0, 12)


def _tui_imports(module: str) -> set[str]:
    """The tui modules `module` (dotted, under tui) imports, at any depth of its own file."""
    import ast

    path = ROOT / "tui" / (module.replace(".", "/") + ".py")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                 else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        found.update(n[4:] for n in names if n.startswith("tui."))
    return found


def test_the_fingerprint_covers_every_module_a_row_is_made_with():
    """A row is made by the index and what it imports; a change to any of them (a field's name in
    a message, a score's rounding) must drop the rows. File plumbing that makes no row is exempt."""
    plumbing = {"store.atomic", "store.journal", "collector"}  # collector: pauses gc, no figure
    seen, todo = set(), ["store.index"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_tui_imports(module))
    listed = {s.removesuffix(".py").replace("/", ".") for s in I._SOURCES}
    assert seen - plumbing <= listed, sorted(seen - plumbing - listed)


def test_damaged_rows_are_not_vouched_for_and_their_records_are_read(records):
    """A row whose text or summary can't be read (a damaged index) is a miss, never a crash."""
    import sqlite3

    truth = figures(records)
    indexed(records)
    names = sorted(p.name for p in records.glob("*.toml"))
    db = sqlite3.connect(records / INDEX)
    db.execute("UPDATE records SET line = 'garbage', summary = '{' WHERE file = ?", (names[0],))
    db.execute("UPDATE records SET line = substr(line, 1, instr(line, char(31)) + 3) WHERE file = ?",
               (names[1],))  # its stamp whole, its line cut short
    db.execute("UPDATE records SET summary = 'not json' WHERE file = ?", (names[2],))
    db.commit()
    db.close()
    with FolderIndex(records) as index:
        files, cached = index.listing()
    assert len(files) == 12 and set(cached) == set(files) - {str(records / n) for n in names[:2]}
    warm, hits, misses = indexed(records)
    assert warm == truth and misses == 2  # the first and the third: their summaries
