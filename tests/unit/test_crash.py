"""Crash safety: saves killed with SIGKILL at random moments never lose or half-write a record.

Each test forks a child that saves in a loop (one file, several at once with `save_all`, drafts,
bundle export and import) and kills it at a random moment, a few hundred times in all. After every
kill each record is byte for byte one of the contents it could have (known in advance), loads,
and `record_files` lists no temp file; a killed draft writer leaves its last draft to recover.

A SIGKILL stops the process, not the machine: what it tests is that no moment of a save leaves a
partial file in place (temp file + fsync + rename). Set ZIPIN_CRASH_SEED to replay a run.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import replace
from datetime import datetime, UTC
from decimal import Decimal
from itertools import count
from pathlib import Path

import pytest

from tui.exchange import bundleapply, bundleplan, ledger
from tui.store import atomic, drafts, journal, recordfile, saving
from tui.core.document import Document
from tui.core.editing import apply_edit
from tui.core.model import Amounts, Project
from tui.core.rules import load_rules
from tui.store.workspace import Workspace
from conftest import ROOT

SAMPLES = sorted((ROOT / "samples" / "2023").glob("*.toml"))
SEED = int(os.environ.get("ZIPIN_CRASH_SEED", random.randrange(1 << 30)))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)"),
]


def temp_name(record: str) -> re.Pattern:
    """The name `atomic.write_temp` gives the temp file of `record` (mkstemp: prefix, suffix)."""
    return re.compile(rf"\.{re.escape(record)}\.[A-Za-z0-9_]+\.tmp")


# ---------------------------------------------------------------------------------------------
# killing a child at random moments

def kill_rounds(rounds: int, work, verify, max_delay: float, rng: random.Random) -> Counter:
    """Fork `rounds` children; each runs `work(ready)` (which calls `ready()` once it is under
    way and never returns) and is SIGKILLed after a random delay; `verify(stats)` after each."""
    stats: Counter = Counter()
    for _ in range(rounds):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: work until killed; never return into pytest
            code = 70
            try:
                os.close(r)
                work(lambda w=w: os.write(w, b"."))
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        os.close(w)
        try:
            started = os.read(r, 1)
            if started:
                time.sleep(rng.uniform(0, max_delay))
            os.kill(pid, signal.SIGKILL)
        finally:
            _, status = os.waitpid(pid, 0)
            os.close(r)
        assert started, f"the child failed before it started (seed {SEED})"
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
            f"the child stopped by itself: an error in its loop (seed {SEED}; its traceback is above)"
        stats["kills"] += 1
        verify(stats)
    return stats


def check_folder(folder: Path, candidates: dict[Path, dict[bytes, Project]], stats: Counter) -> list:
    """Every record is one of its candidate contents (byte-exact) and loads as that project;
    record_files lists exactly the records; anything else in the folder is a known kind of
    leftover (a temp file of a record, a draft, the exchange ledger). Returns the candidate
    index of each record. First it does what the next start does: `journal.recover`."""
    journal.recover(folder)
    seen = []
    for path, contents in candidates.items():
        data = path.read_bytes()
        assert data in contents, (f"{path.name} holds {len(data)} bytes that are neither its old "
                                  f"nor its new content (seed {SEED})")
        loaded = recordfile.load(path)
        assert loaded.project == contents[data]
        seen.append(list(contents).index(data))
    assert recordfile.record_files(folder) == sorted(candidates), \
        f"record_files lists more than the records: {recordfile.record_files(folder)}"
    result = recordfile.load_folder(folder)
    assert not result.failures and len(result.records) == len(candidates)
    names = {p.name for p in candidates}
    names |= {drafts.draft_path(p).name for p in candidates}
    temps = 0
    for path in folder.iterdir():
        if path.name in names or path.name == ".zipin" or path.name.endswith(drafts.DRAFT_SUFFIX):
            continue
        assert (any(temp_name(n).fullmatch(path.name) for n in names)
                # the temp file of a save_all journal that was being written
                or re.fullmatch(r"\.\.zipin-journal\.[0-9a-f]{32}\.json\.[A-Za-z0-9_]+\.tmp", path.name)), \
            f"unexpected file {path.name}"
        temps += 1
    stats["temp files left (max)"] = max(stats["temp files left (max)"], temps)
    return seen


# ---------------------------------------------------------------------------------------------
# contents to save

def variants(project: Project, n: int, big: bool = True, trim: bool = True) -> list[Project]:
    """`n` different versions of a project: other names, amounts, fewer indicators, and (with
    `big`) one with a long text, so that a write takes long enough to be caught in the middle.
    Without `trim` every version keeps its indicators, and so still validates (for bundles)."""
    out = [project]
    for k in range(1, n):
        f = project.funding
        row = Amounts(f.appropriation.budget + k, f.appropriation.adjusted + k,
                      f.appropriation.executed + Decimal(k) / 100)
        changed = replace(project, name=f"{project.name}（第 {k} 版）",
                          funding=replace(f, appropriation=row, stated_total=None),
                          indicators=project.indicators[: max(1, len(project.indicators) - k * trim)])
        if big and k == 1:
            changed = replace(changed, achieved=project.achieved + "\n" + "补充说明。" * 4_000)
        out.append(changed)
    return out


def contents_of(projects: list[Project], path: Path) -> dict[bytes, Project]:
    out = {recordfile.dumps(p, path).encode("utf-8"): p for p in projects}
    assert len(out) == len(projects)
    return out


@pytest.fixture
def rng() -> random.Random:
    print(f"ZIPIN_CRASH_SEED={SEED}")
    return random.Random(SEED)


# ---------------------------------------------------------------------------------------------
# the tests

def test_single_file_saves_killed_at_random(tmp_path, rng):
    path = tmp_path / "项目.toml"
    versions = variants(recordfile.load(SAMPLES[0]).project, 4)
    contents = contents_of(versions, path)
    saving.save(versions[0], path, None)

    def work(ready):
        current = atomic.current_digest(path)
        start = rng.randrange(len(versions))
        ready()
        for i in count(start):
            current = saving.save(versions[i % len(versions)], path, current).digest

    def verify(stats):
        (index,) = check_folder(tmp_path, {path: contents}, stats)
        stats[f"version {index}"] += 1

    stats = kill_rounds(120, work, verify, 0.03, rng)
    print(dict(stats))
    # The kills fell at different moments: more than one version was found on disk.
    assert sum(1 for k in stats if k.startswith("version ")) >= 2, stats


def test_save_all_killed_at_random(tmp_path, rng):
    """Each file is always whole, and after recovery (the next load_folder) all are of one
    generation: a kill between two renames is rolled forward from save_all's journal."""
    projects = [recordfile.load(p).project for p in SAMPLES[:4]]
    paths = [tmp_path / f"{i}.toml" for i in range(4)]
    versions = [variants(p, 3, big=(i == 0)) for i, p in enumerate(projects)]
    candidates = {path: contents_of(v, path) for path, v in zip(paths, versions)}
    saving.save_all([(v[0], path, None) for v, path in zip(versions, paths)])

    def work(ready):
        digests = [atomic.current_digest(p) for p in paths]
        ready()
        for g in count(rng.randrange(3)):
            saved = saving.save_all([(v[g % 3], path, d) for v, path, d in zip(versions, paths, digests)])
            digests = [s.digest for s in saved]

    def verify(stats):
        seen = check_folder(tmp_path, candidates, stats)
        stats[f"generation {seen[0]}"] += 1
        assert len(set(seen)) == 1, f"save_all left versions {seen} after recovery (seed {SEED})"

    stats = kill_rounds(60, work, verify, 0.03, rng)
    print(dict(stats))


def test_drafts_survive_a_kill_and_offer_the_unsaved_edit(tmp_path, rng):
    path = tmp_path / "项目.toml"
    original = recordfile.load(SAMPLES[1]).project
    saved = saving.save(original, path, None)
    file_bytes = path.read_bytes()
    rules = load_rules(original.rules)
    names = [f"改过的名称 {k}" for k in range(5)]
    edited = [apply_edit(original, "name", n) for n in names]

    def work(ready):
        doc = Document.from_loaded(recordfile.load(path), rules)
        for k in count():
            doc.edit("name", names[k % len(names)])
            doc.write_draft(Workspace(tmp_path))
            if k == 0:
                ready()

    def verify(stats):
        assert path.read_bytes() == file_bytes, "a draft changed the record itself"
        draft = drafts.read_draft(path)
        assert draft is not None, f"the unsaved edit was lost (seed {SEED})"
        assert draft in edited
        check_folder(tmp_path, {path: {file_bytes: original}}, stats)

    kill_rounds(40, work, verify, 0.03, rng)

    # Killed while idle after one edit: exactly that edit is offered, and saving it clears the draft.
    def idle(ready):
        doc = Document.from_loaded(recordfile.load(path), rules)
        doc.edit("indicators[0].reason", "崩溃前输入的原因")
        doc.write_draft(Workspace(tmp_path))
        ready()
        time.sleep(60)

    kill_rounds(1, idle, lambda stats: None, 0.0, rng)
    draft = drafts.read_draft(path)
    assert draft == apply_edit(original, "indicators[0].reason", "崩溃前输入的原因")
    saving.save(draft, path, saved.digest)
    assert drafts.read_draft(path) is None and recordfile.load(path).project == draft


def test_a_new_projects_draft_is_found_after_a_kill(tmp_path, rng):
    project = replace(recordfile.load(SAMPLES[2]).project, id="new-project", name="从未保存的新项目")
    rules = load_rules(project.rules)

    def work(ready):
        doc = Document(project, rules)
        doc.write_draft(Workspace(tmp_path))
        ready()
        time.sleep(60)

    kill_rounds(3, work, lambda stats: None, 0.01, rng)
    # Each killed run started its own new project: three drafts, none written over another's.
    orphans = drafts.orphan_drafts(tmp_path)
    assert len(orphans) == 3
    for orphan in orphans:
        assert orphan.parent == tmp_path and not orphan.exists()
        assert drafts.read_draft(orphan) == project
    assert recordfile.record_files(tmp_path) == []


def test_record_files_never_lists_temp_files_or_drafts(tmp_path):
    path = tmp_path / "a.toml"
    saving.save(recordfile.load(SAMPLES[0]).project, path, None)
    for name in (".a.toml.k2j_x9.tmp", ".a.toml.zipin-draft", ".b.toml.zipin-draft"):
        (tmp_path / name).write_bytes(path.read_bytes()[:100])
    assert recordfile.record_files(tmp_path) == [path]
    assert temp_name("a.toml").fullmatch(atomic.write_temp(path, "x").name)


# ---------------------------------------------------------------------------------------------
# bundles

def _bundle_setup(tmp_path):
    bundle = pytest.importorskip("tui.exchange.bundle")
    rules = load_rules("default")
    projects = [recordfile.load(p).project for p in SAMPLES[3:7]]
    generations = [[variants(p, 3, big=(i == 0), trim=False)[g] for i, p in enumerate(projects)] for g in range(3)]
    now = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
    texts = [bundle.export_bundle(g, {"default": rules}, "测试", now) for g in generations]
    return bundle, generations, texts


def test_bundle_import_killed_at_random(tmp_path, rng):
    bundle, generations, texts = _bundle_setup(tmp_path)
    folder = tmp_path / "records"

    def import_(k):
        plan = bundleplan.plan_import(bundle.read_bundle(texts[k], "包.toml"), recordfile.load_folder(folder), folder)
        return bundleapply.apply_import(plan, {item.id: bundleplan.TAKE_BUNDLE for item in plan.items})

    paths = import_(0)
    by_id = {recordfile.load(p).project.id: p for p in paths}
    candidates = {by_id[g0.id]: contents_of([gen[i] for gen in generations], by_id[g0.id])
                  for i, g0 in enumerate(generations[0])}

    def work(ready):
        ready()
        for k in count(rng.randrange(3)):
            import_(k % 3)

    def verify(stats):
        seen = check_folder(folder, candidates, stats)
        assert len(set(seen)) == 1, f"the import left versions {seen} after recovery (seed {SEED})"
        stats[f"generation {seen[0]}"] += 1
        assert isinstance(ledger.read_ledger(folder), dict)

    stats = kill_rounds(40, work, verify, 0.15, rng)
    print(dict(stats))


def test_bundle_export_killed_at_random(tmp_path, rng):
    bundle, generations, _texts = _bundle_setup(tmp_path)
    out = tmp_path / "包.toml"
    now = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
    rules = {"default": load_rules("default")}
    texts = [bundle.export_bundle(g, rules, "测试", now, path=out) for g in generations]
    atomic.atomic_write(out, texts[0])

    def work(ready):
        ready()
        for k in count(1):
            atomic.atomic_write(out, bundle.export_bundle(generations[k % 3], rules, "测试", now, path=out))

    def verify(stats):
        text = out.read_text(encoding="utf-8")
        assert text in texts, f"the bundle file is partly written (seed {SEED})"
        assert len(bundle.load_bundle(out).records) == 4
        assert recordfile.record_files(tmp_path) == []  # a bundle is not a record, nor its temp file

    kill_rounds(25, work, verify, 0.08, rng)


def test_save_all_is_all_or_none_across_a_kill_between_renames(tmp_path, rng):
    """Killed right after its first rename, save_all leaves its journal; recovery (the next
    start) finishes the renames, so all files are new. Random kills rarely land there; this one is
    placed."""
    projects = [recordfile.load(p).project for p in SAMPLES[:3]]
    paths = [tmp_path / f"{i}.toml" for i in range(3)]
    versions = [variants(p, 2, big=False) for p in projects]
    candidates = {path: contents_of(v, path) for path, v in zip(paths, versions)}
    saving.save_all([(v[0], path, None) for v, path in zip(versions, paths)])

    def work(ready):
        real = os.replace

        def replace_then_die(src, dst):
            real(src, dst)
            os.kill(os.getpid(), signal.SIGKILL)

        os.replace = replace_then_die  # in the child only
        ready()
        saving.save_all([(v[1], path, atomic.current_digest(path)) for v, path in zip(versions, paths)])
        time.sleep(60)

    seen = []
    kill_rounds(1, work, lambda stats: seen.extend(check_folder(tmp_path, candidates, stats)), 0.5, rng)
    assert len(set(seen)) == 1, f"after the kill the files hold versions {seen}"


@pytest.mark.parametrize("journal", [
    '{"a": 1}', "[[1, 2]]", '[["x", "y", "z"]]', "5", "not json", '[[null, null]]',
    '[["secret.txt", "a.toml"]]',          # not a temp file of a.toml: a record would be lost
    '[[".b.toml.abc123.tmp", "a.toml"]]',  # the temp file of another record
    '[[".a.toml.abc123.tmp", "../a.toml"]]',
])
def test_a_foreign_or_damaged_journal_neither_crashes_nor_moves_files(tmp_path, journal):
    """A journal comes with the folder (a copied folder, a USB stick): load_folder never fails on
    one and never moves a file that is not a record's own temp file onto that record."""
    record = tmp_path / "a.toml"
    saving.save(recordfile.load(SAMPLES[0]).project, record, None)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    for name in ("secret.txt", ".b.toml.abc123.tmp"):
        (tmp_path / name).write_text("不是记录", encoding="utf-8")
        before[name] = (tmp_path / name).read_bytes()
    (tmp_path / ".zipin-journal.0123.json").write_text(journal, encoding="utf-8")
    result = recordfile.load_folder(tmp_path)
    assert [r.path for r in result.records] == [record] and not result.failures
    assert {n: (tmp_path / n).read_bytes() for n in before} == before
    assert not (tmp_path.parent / "a.toml").exists()


def test_a_journal_with_a_folder_in_the_way_is_left_for_later(tmp_path):
    (tmp_path / "a.toml").mkdir()
    (tmp_path / ".a.toml.abc123.tmp").write_text("x", encoding="utf-8")
    (tmp_path / ".zipin-journal.0123.json").write_text('[[".a.toml.abc123.tmp", "a.toml"]]')
    recordfile.load_folder(tmp_path)
    assert (tmp_path / ".zipin-journal.0123.json").exists() and (tmp_path / ".a.toml.abc123.tmp").exists()


# ---------------------------------------------------------------------------------------------
# two writers

WRITER = r'''
import json, sys
from dataclasses import replace
from pathlib import Path
from tui.store import atomic, drafts, journal, recordfile, saving
path, me, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
saved = []
for k in range(n):
    loaded = recordfile.load(path)
    marker = f"<{me}{k}>"
    try:
        saving.save(replace(loaded.project, achieved=loaded.project.achieved + marker), path, loaded.digest)
        saved.append(marker)
    except saving.ChangedOnDisk:
        pass  # refused, as it should be: the other writer saved first
print(json.dumps(saved))
'''


def test_two_writers_never_lose_a_save_that_succeeded(tmp_path):
    """Two processes load, append a marker and save the same file with the digest they loaded:
    every save that did not raise ChangedOnDisk must be in the final file."""
    import json
    import subprocess

    path = tmp_path / "共享.toml"
    saving.save(replace(recordfile.load(SAMPLES[0]).project, achieved=""), path, None)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, "150"],
                                stdout=subprocess.PIPE, text=True) for who in "AB"]
    saved = [m for w in writers for m in json.loads(w.communicate(timeout=120)[0])]
    final = recordfile.load(path).project.achieved
    lost = [m for m in saved if m not in final]
    assert not lost, f"{len(lost)} of {len(saved)} saves that reported success were overwritten: {lost[:8]}"


def test_recovery_in_another_process_never_races_a_live_save_all(tmp_path):
    """While one process is between save_all's renames, another loads the folder (the app, an
    import): its recovery must not take the live journal for a crashed one and finish the renames
    under the writer's feet. Each writer holds the folder lock from journal to cleanup; recovery
    takes the same lock, so it only ever sees journals of writers that died."""
    projects = [recordfile.load(p).project for p in SAMPLES[:3]]
    paths = [tmp_path / f"{i}.toml" for i in range(3)]
    versions = [variants(p, 2, big=False) for p in projects]
    candidates = {path: contents_of(v, path) for path, v in zip(paths, versions)}
    saving.save_all([(v[0], path, None) for v, path in zip(versions, paths)])
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer: pauses after its first rename
        code = 70
        try:
            real = os.replace

            def slow_replace(src, dst):
                real(src, dst)
                if str(dst).endswith("0.toml"):
                    os.write(w, b".")
                    time.sleep(0.5)

            os.replace = slow_replace
            saving.save_all([(v[1], p, atomic.current_digest(p)) for v, p in zip(versions, paths)])
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(w)
    assert os.read(r, 1) == b"."
    recordfile.load_folder(tmp_path)  # another process starts up meanwhile
    _, status = os.waitpid(pid, 0)
    os.close(r)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "the writer's save_all failed"
    seen = check_folder(tmp_path, candidates, Counter())
    assert seen == [1, 1, 1], f"the files hold versions {seen}"


def test_record_files_lists_a_record_whatever_its_name_says(tmp_path):
    """A record was taken for a bundle (and silently left out of the folder, the app and export)
    when "bundle.schema.json" appeared anywhere in its first 512 bytes, e.g. in its name."""
    project = recordfile.load(SAMPLES[0]).project
    record = tmp_path / "a.toml"
    saving.save(replace(project, name="见 bundle.schema.json 说明", department="#:schema bundle.schema.json"),
                 record, None)
    bundle = pytest.importorskip("tui.exchange.bundle")
    made = tmp_path / "包.toml"
    now = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
    made.write_text(bundle.export_bundle([project], {"default": load_rules("default")}, "测试", now, path=made),
                    encoding="utf-8")
    assert recordfile.record_files(tmp_path) == [record]
