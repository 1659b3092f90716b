"""Loading a folder of records (`recordfile.load_folder`) against bare `tomllib` on the same files.

    /work/venv/bin/python tests/perf/bench_load.py [--counts 1000 10000] [--profile]

The baseline reads each file and parses it with `tomllib.loads`: what any TOML reader must do.
load_folder does that and more: it lists the records (skipping bundles, which costs a peek at each
file's head), hashes the bytes (change-on-disk detection), checks every field and builds the
immutable records with Decimal amounts. `--profile` shows where the extra time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import pstats
import statistics
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import best_of, report  # noqa: E402
from generate import workspace  # noqa: E402

from tui.store import codec, recordfile  # noqa: E402


def bare(folder: Path) -> list[dict]:
    return [tomllib.loads(p.read_bytes().decode("utf-8")) for p in sorted(folder.glob("*.toml"))]


def breakdown(folder: Path, n: int = 300) -> None:
    """Median microseconds per file of each step of `recordfile.load`."""
    files = sorted(folder.glob("*.toml"))[:n]
    datas = [p.read_bytes() for p in files]
    texts = [d.decode("utf-8") for d in datas]
    dicts = [tomllib.loads(t) for t in texts]
    steps = {
        "read bytes": (lambda i: files[i].read_bytes()),
        "peek for a bundle (_is_bundle)": (lambda i: recordfile._is_bundle(files[i])),
        "sha256": (lambda i: hashlib.sha256(datas[i]).hexdigest()),
        "decode utf-8": (lambda i: datas[i].decode("utf-8")),
        "tomllib.loads": (lambda i: tomllib.loads(texts[i])),
        "record_from_dict": (lambda i: codec.record_from_dict(dicts[i], "x")),
        "recordfile.load (all of it)": (lambda i: recordfile.load(files[i])),
    }
    print("  where the time of one file goes (median µs):")
    for name, step in steps.items():
        times = []
        for i in range(len(files)):
            start = time.perf_counter()
            step(i)
            times.append(time.perf_counter() - start)
        print(f"    {name:<34} {statistics.median(times) * 1e6:8.1f}")


def _without_gc(load_folder):
    def wrapped(folder):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return load_folder(folder)
        finally:
            if enabled:
                gc.enable()
    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--profile", action="store_true", help="cProfile one load_folder of the first count")
    parser.add_argument("--what-if-no-gc", action="store_true",
                        help="what-if: the cyclic GC paused during load_folder (the fix proposed for the core)")
    args = parser.parse_args()
    if args.what_if_no_gc:
        recordfile.load_folder = _without_gc(recordfile.load_folder)
    for count in args.counts:
        folder = workspace(count)
        result = recordfile.load_folder(folder)
        assert len(result.records) == count and not result.failures, result.failures[:3]
        repeat = 5 if count <= 2000 else 2
        subject, baseline = best_of(lambda folder=folder: recordfile.load_folder(folder), lambda folder=folder: bare(folder),
                                    repeat)
        report(f"load_folder, {count:,} records" + (" (GC paused)" if args.what_if_no_gc else ""),
               subject, baseline, what="recordfile.load_folder vs read + tomllib.loads of the same files (CPU)")
    breakdown(workspace(args.counts[0]))
    if args.profile:
        folder = workspace(args.counts[0])
        profiler = cProfile.Profile()
        profiler.runcall(recordfile.load_folder, folder)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
