"""Run every benchmark in tests/perf (bench_*.py, each in its own process) and print one table.

    /work/venv/bin/python tests/perf/run_all.py            # the full set (about 10 minutes)
    /work/venv/bin/python tests/perf/run_all.py --quick    # smaller counts (about 2 minutes)

Each figure is a ratio against a baseline measured in the same run on the same machine (the aim:
at most 1.5). The workspaces of generated records are made once and kept in $ZIPIN_PERF_DIR (or
the temp folder). Scripts that do not print RESULT lines (the app's) are shown as they print.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Arguments per script for --quick; scripts not named here run with no arguments.
QUICK = {
    "bench_load.py": ["--counts", "1000"],
    "bench_memory.py": ["--count", "2000"],
    "bench_bundle.py": ["--count", "300"],
    "bench_keystroke.py": ["--keys", "60"],
    "bench_merge.py": ["--count", "300", "--git-count", "100"],
    "bench_check.py": ["--count", "1000"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts, for a quick look")
    parser.add_argument("only", nargs="*", help="run only these scripts (e.g. bench_load)")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem in args.only or s.name in args.only]
    results, failed = [], []
    for script in scripts:
        extra = QUICK.get(script.name, []) if args.quick else []
        print(f"\n=== {script.name} {' '.join(extra)}", flush=True)
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script), *extra], stdout=subprocess.PIPE,
                                text=True, encoding="utf-8", cwd=HERE.parents[1])
        for line in proc.stdout:
            if line.startswith("RESULT "):
                results.append({"script": script.name, **json.loads(line[7:])})
            else:
                print(line, end="", flush=True)
        if proc.wait() != 0:
            failed.append(script.name)
        print(f"=== {script.name}: {time.perf_counter() - start:.0f} s", flush=True)

    print("\n" + "=" * 100)
    print(f"{'benchmark':<48}{'ours':>13}{'baseline':>13}{'ratio':>9}   aim")
    for r in results:
        fmt = (lambda v: f"{v:.3f} s") if r["unit"] == "s" else (lambda v: f"{v / 2**20:.1f} MiB")
        mark = "ok" if r["ratio"] <= r["target"] else "MISS"
        print(f"{r['name']:<48}{fmt(r['subject']):>13}{fmt(r['baseline']):>13}{r['ratio']:>8.2f}×"
              f"   ≤{r['target']} {mark}")
        print(f"    {r['what']}")
    if failed:
        print(f"\nfailed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
