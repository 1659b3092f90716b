"""Start of the app on 10,000 projects (issue 16), with the folder's index warm and cold.

    /work/venv/bin/python tests/perf/bench_start10k.py [--count 10000] [--runs 3]

Each figure is a median of RUNS runs, each in a fresh subprocess, from spawn to the first frame
drawn with every project of the folder in the list, with its total (so sortable by total), and
the first one in the editor (bench_app.py's probe):

  warm   the index (.zipin/index.sqlite) is current: the list comes from it; aim ≤ 1.5× a bare
         Textual app's first frame. The lines on screen are checked against their files before
         it; the others in the loading thread after it (drawn without figures until then):
  checked  the same start up to the frame after every line is checked (the year line summed),
         for information
  cold   the index deleted before each run: every record is read; aim ≤ 1.5× a process that
         reads the same files and parses them with tomllib (what any reader must do)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_app  # noqa: E402
from benchlib import report  # noqa: E402
from generate import workspace  # noqa: E402

ROOT = HERE.parents[1]


def child_all(folder: str, count: int, checked: bool = False) -> None:
    from tui.ui.app import ZipinApp

    class Timed(bench_app._FrameProbe, ZipinApp):
        def ready(self) -> bool:
            return bench_app.shown(self) and len(self.main.list.entries) >= count and \
                not (checked and self.main.list.unchecked)

        def missing(self, text: str) -> list[str]:
            return bench_app.missing_parts(self, text)

    Timed(folder).run(headless=True, size=bench_app.SIZE)


def child_tomllib(folder: str) -> None:
    import resource
    import tomllib

    for path in sorted(Path(folder).glob("*.toml")):
        tomllib.loads(path.read_bytes().decode("utf-8"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"READY {time.time():.6f} {usage.ru_utime + usage.ru_stime:.6f}", flush=True)


PYCACHE = Path(tempfile.mkdtemp(prefix="zipin-bench-pycache-"))


def spawn(args: list[str]) -> tuple[float, float]:
    """(wall seconds from spawn to the frame, the child's CPU seconds by then)."""
    # From bytecode, as an installed app runs (as bench_app.py does).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["ZIPIN_CACHE_DIR"] = str(PYCACHE / "csscache")  # the parsed CSS kept, not in ~/.cache
    start = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, cwd=ROOT, timeout=600, env=env)
    lost = [line for line in out.stdout.splitlines() if line.startswith("MISSING ")]
    if lost:
        raise RuntimeError(f"child {args}: its first frame lacks {lost[0][8:]}")
    for line in out.stdout.splitlines():
        if line.startswith("READY "):
            _ready, when, cpu = line.split()
            return float(when) - start, float(cpu)
    raise RuntimeError(f"child {args} gave no time:\n{out.stdout}\n{out.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = workspace(args.count)
    index = folder / ".zipin"
    times: dict[str, list[float]] = {"bare": [], "warm": [], "checked": [], "cold": [], "tomllib": []}
    cpus: dict[str, list[float]] = {k: [] for k in times}

    def run(key: str, child: list[str]) -> None:
        wall, cpu = spawn(child)
        times[key].append(wall)
        cpus[key].append(cpu)

    for _ in range(2):  # warm the disk cache, write the bytecode, make the index
        spawn(["bare"])
        spawn(["all", str(folder), str(args.count)])
    for _ in range(args.runs):
        run("bare", ["bare"])
        run("warm", ["all", str(folder), str(args.count)])
        run("checked", ["checked", str(folder), str(args.count)])
        run("tomllib", ["tomllib", str(folder)])
        shutil.rmtree(index, ignore_errors=True)
        run("cold", ["all", str(folder), str(args.count)])
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    n = f"{args.count:,}"
    report(f"app start, {n} projects listed, index warm", med["warm"], med["bare"],
           what="first frame with every project and its total vs a bare Textual app (wall, median)")
    report(f"app start, {n} listed, warm, all checked", med["checked"], med["bare"],
           what="the frame after every line is checked against its file vs a bare app (wall)")
    report(f"app start, {n} projects listed, index cold", med["cold"], med["tomllib"],
           what="the same with no index vs a process reading the files with tomllib (wall, median)")
    # The children's CPU time by then (interpreter start included): steadier than the wall
    # clock on a shared machine. Cold: the app reads the records in a second thread after its
    # first frame, so its CPU may exceed its wall time on two cores.
    report(f"app start, {n} projects listed, warm (CPU)", cpu["warm"], cpu["bare"],
           what="CPU time of the warm start vs the bare Textual app's (median)")
    report(f"app start, {n} listed, warm, all checked (CPU)", cpu["checked"], cpu["bare"],
           what="CPU time of the warm start until every line is checked vs the bare app's")
    report(f"app start, {n} projects listed, cold (CPU)", cpu["cold"], cpu["tomllib"],
           what="CPU time of the cold start vs the tomllib reader's (median)")
    shutil.rmtree(PYCACHE, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        kind = sys.argv[2]
        if kind == "bare":
            bench_app.child_bare()
        elif kind == "tomllib":
            child_tomllib(sys.argv[3])
        else:
            child_all(sys.argv[3], int(sys.argv[4]), checked=kind == "checked")
    else:
        main()
