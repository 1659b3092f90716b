"""Two `zipin import` runs at once into one folder (issue 10, finding 2): bundles holding the same
record id under different names. Each run decided "new" from a load taken before the other wrote,
and the folder ended up with the id twice. Now the decision is taken again under the folder's
lock at write time: never two files with one id, whatever the timing."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from tui import cli

from tui.store import recordfile, saving

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "perf"))
from generate import generate  # noqa: E402

SAMPLE = sorted((ROOT / "samples" / "2023").glob("*.toml"))[-1]
RUNS = 20


def bundles(tmp_path: Path) -> tuple[Path, Path]:
    """Two bundles, each holding one record with the same new id under another name."""
    rid = str(uuid.uuid4())
    base = recordfile.load(SAMPLE).project
    out = []
    for side in ("甲方版本", "乙方版本"):
        src = tmp_path / side
        src.mkdir()
        saving.save(replace(base, id=rid, name=side), src / f"{side}.toml", None)
        bundle = tmp_path / f"{side}-包.toml"
        assert cli.main(["export", str(src), "-o", str(bundle)]) == 0
        out.append(bundle)
    return out[0], out[1]


def ids(folder: Path) -> Counter:
    return Counter(recordfile.load(p).project.id for p in recordfile.record_files(folder))


def import_both(first: Path, second: Path, folder: Path) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen([sys.executable, "-m", "tui", "import", str(b), str(folder)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for b in (first, second)]
    return [subprocess.CompletedProcess(p.args, p.wait(), *p.communicate()) for p in procs]


@pytest.mark.slow
def test_two_imports_at_once_never_give_one_id_two_files(tmp_path, capsys):
    a, b = bundles(tmp_path)
    folder = tmp_path / "folder"
    folder.mkdir()
    generate(folder, 600)  # loading takes a while: the two runs overlap
    written_by = Counter()
    for run in range(RUNS):
        pair = (a, b) if run % 2 else (a, a)  # conflicting bundles, or the same bundle twice
        results = import_both(*pair, folder)
        counts = ids(folder)
        assert max(counts.values()) == 1, (run, [r.stdout.decode() + r.stderr.decode() for r in results])
        written_by[sum(1 for r in results if "已写入 1 个文件" in r.stdout.decode())] += 1
        for result in results:
            assert b"Traceback" not in result.stderr, result.stderr.decode()
        for path in recordfile.record_files(folder):  # start the next run without the record
            if recordfile.load(path).project.name in ("甲方版本", "乙方版本"):
                path.unlink()
        for ledger in folder.glob(".zipin/*"):
            ledger.unlink()
    assert not written_by[2], written_by  # never both


def test_an_import_decides_again_at_write_time(tmp_path, capsys):
    """The same race, in one process and without timing: a plan made, then the other bundle
    written, then the plan applied: refused, nothing written."""
    from tui.exchange.bundle import load_bundle
    from tui.store.workspace import ChangedOnDisk, Workspace

    a, b = bundles(tmp_path)
    folder = tmp_path / "folder"
    folder.mkdir()
    ws = Workspace(folder)
    plan = ws.plan_import(load_bundle(a))
    assert cli.main(["import", str(b), str(folder)]) == 0
    with pytest.raises(ChangedOnDisk):
        ws.apply_import(plan, {})
    assert [recordfile.load(p).project.name for p in recordfile.record_files(folder)] == ["乙方版本"]
