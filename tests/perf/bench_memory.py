"""Memory of 10,000 loaded projects against the parsed TOML dicts alone (tracemalloc).

    /work/venv/bin/python tests/perf/bench_memory.py [--count 10000]

Each side runs in its own subprocess, so neither sees the other's leftovers: one keeps what
`recordfile.load_folder` returns (records with Decimal amounts, paths and digests), the other keeps
`tomllib.loads` of the same files. Printed: what stays allocated once loading is done (retained)
and the most allocated at any moment (peak). Modules are imported before tracing starts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from benchlib import report  # noqa: E402
from generate import ROOT, workspace  # noqa: E402

CHILD = r'''
import gc, json, sys, tomllib, tracemalloc
from pathlib import Path
sys.path.insert(0, {root!r})
from tui.store import recordfile
kind, folder = sys.argv[1], Path(sys.argv[2])
files = sorted(folder.glob("*.toml"))
gc.collect()
tracemalloc.start()
if kind == "records":
    kept = recordfile.load_folder(folder)
    assert len(kept.records) == len(files) and not kept.failures
    if len(sys.argv) > 3:  # what-if: the records only (no Loaded, path or digest)
        kept = [r.project for r in kept.records]
else:
    kept = [tomllib.loads(p.read_bytes().decode("utf-8")) for p in files]
gc.collect()
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({{"retained": current, "peak": peak}}))
'''


def measure(kind: str, folder: Path, *extra: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), kind, str(folder), *extra],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--projects-only", action="store_true",
                        help="also measure the Project objects alone, without Loaded/path/digest")
    args = parser.parse_args()
    folder = workspace(args.count)
    records, dicts = measure("records", folder), measure("dicts", folder)
    report(f"memory retained, {args.count:,} projects", records["retained"], dicts["retained"], unit="B",
           what="after recordfile.load_folder vs after tomllib.loads of every file (tracemalloc)")
    report(f"memory peak, {args.count:,} projects", records["peak"], dicts["peak"], unit="B",
           what="peak while loading vs peak while parsing (tracemalloc)")
    if args.projects_only:
        alone = measure("records", folder, "projects-only")
        report(f"memory retained, {args.count:,} Project objects only", alone["retained"],
               dicts["retained"], unit="B", what="the Project objects without Loaded, path, digest")


if __name__ == "__main__":
    main()
