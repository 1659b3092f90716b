"""Bundle export and import of 1,000 records against bare tomli-w / tomllib on the same data.

    /work/venv/bin/python tests/perf/bench_bundle.py [--count 1000] [--profile]

- export: `bundle.export_bundle` of the loaded records (it validates each one, computes its
  canonical digest and writes the TOML) vs `tomli_w.dumps` of the very dict that bundle holds.
- read: `bundle.read_bundle` (parse, rebuild each record, check its digest, validate it) vs
  `tomllib.loads` of the same text.
- import: read + `plan_import` + `apply_import` into an empty folder (every file written to a
  temp file, fsynced, renamed, through save_all's journal) vs tomllib plus writing each record
  with `tomli_w` and an fsync: the same durability, bare. Wall-clock time, since fsync waits.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
import tomllib
from datetime import datetime, UTC
from pathlib import Path

import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import best_of, report  # noqa: E402
from generate import workspace  # noqa: E402

from tui.exchange import bundle, bundleapply, bundleplan  # noqa: E402
from tui.store import recordfile  # noqa: E402
from tui.core.rules import load_rules  # noqa: E402

NOW = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)


def bare_import(text: str, folder: Path) -> None:
    data = tomllib.loads(text)
    for i, entry in enumerate(data["records"]):
        with open(folder / f"{i:05d}.toml", "wb") as f:
            f.write(tomli_w.dumps(entry["record"], multiline_strings=True).encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())


def full_import(text: str, folder: Path) -> None:
    taken = bundle.read_bundle(text, "包.toml")
    plan = bundleplan.plan_import(taken, recordfile.load_folder(folder), folder)
    written = bundleapply.apply_import(plan)
    assert len(written) == len(taken.records)


def timed_imports(text: str, repeat: int) -> tuple[float, float]:
    """Best wall-clock time of each, each run into a fresh empty folder."""
    best = {"subject": float("inf"), "baseline": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeat):
            for name, fn in (("baseline", bare_import), ("subject", full_import)):
                folder = Path(tmp) / f"{name}-{r}"
                folder.mkdir()
                start = time.perf_counter()
                fn(text, folder)
                best[name] = min(best[name], time.perf_counter() - start)
                shutil.rmtree(folder)
    return best["subject"], best["baseline"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="cProfile export and read")
    args = parser.parse_args()
    loaded = recordfile.load_folder(workspace(args.count)).records
    rules = {"default": load_rules("default")}
    text = bundle.export_bundle(loaded, rules, "bench", NOW)
    data = tomllib.loads(text)
    n = f"{args.count:,}"

    subject, baseline = best_of(lambda: bundle.export_bundle(loaded, rules, "bench", NOW),
                                lambda: tomli_w.dumps(data, multiline_strings=True), 3)
    report(f"bundle export, {n} records", subject, baseline,
           what="export_bundle vs tomli_w.dumps of the same dict (CPU)")
    subject, baseline = best_of(lambda: bundle.read_bundle(text, "包.toml"), lambda: tomllib.loads(text), 3)
    report(f"bundle read + verify, {n} records", subject, baseline,
           what="read_bundle vs tomllib.loads of the same text (CPU)")
    subject, baseline = timed_imports(text, 3)
    report(f"bundle import into a folder, {n} records", subject, baseline,
           what="read+plan+apply_import vs tomllib + tomli_w + fsync per file (wall)")
    if args.profile:
        for name, call in (("export", lambda: bundle.export_bundle(loaded, rules, "bench", NOW)),
                           ("read", lambda: bundle.read_bundle(text, "包.toml"))):
            print(f"--- profile: {name}")
            profiler = cProfile.Profile()
            profiler.runcall(call)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
