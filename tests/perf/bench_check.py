"""`zipin check` of a folder, with the folder index cold and warm, against bare `tomllib`.

    /work/venv/bin/python tests/perf/bench_check.py [--count 10000]

The baseline reads each record file and parses it with `tomllib.loads`: what any checker must do
the first time. Cold: the index (.zipin/index.sqlite) deleted first, so every record is read,
validated, scored, printed and stored. Warm: the index is there and no file changed, so each file
is only stat'ed. Both print to a null device; CPU time; aim ≤ 1.2× (issue 16).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import best_of, report  # noqa: E402
from generate import workspace  # noqa: E402

from tui.cli import main as zipin  # noqa: E402
from tui.store.index import INDEX  # noqa: E402


def bare(folder: Path) -> None:
    for path in sorted(folder.glob("*.toml")):
        tomllib.loads(path.read_bytes().decode("utf-8"))


def check(folder: Path, cold: bool) -> None:
    if cold:
        shutil.rmtree(folder / INDEX.parent, ignore_errors=True)
    with open(os.devnull, "w", encoding="utf-8") as null, contextlib.redirect_stdout(null):
        assert zipin(["check", str(folder)]) in (0, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    folder = workspace(args.count)
    n = f"{args.count:,}"
    subject, baseline = best_of(lambda: check(folder, cold=True), lambda: bare(folder), 3)
    report(f"zipin check, {n} records, index cold", subject, baseline, target=1.2,
           what="check with no index (read, validate, score, print, store) vs read + tomllib (CPU)")
    check(folder, cold=False)
    subject, baseline = best_of(lambda: check(folder, cold=False), lambda: bare(folder), 3)
    report(f"zipin check, {n} records, index warm", subject, baseline, target=1.2,
           what="check with the index, no file changed vs read + tomllib (CPU)")


if __name__ == "__main__":
    main()
