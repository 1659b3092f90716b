"""App start-up benchmark (not collected by pytest): `python tests/perf/bench_app.py [RUNS]`.

Every figure is a median of RUNS runs, each in a fresh subprocess (imports included), measured
from the moment the process is spawned to the first frame drawn after the thing measured is on
screen, headless at 160x48. Baselines are measured in the same run, so the ratios hold on a
loaded or a slow machine:

  bare          a bare Textual app (Header, Static, Footer): its first frame
  samples       `zipin samples/2023`: first frame with the list and the first project shown
  1000 / list   a folder of 1,000 generated projects: first frame with the list shown
  1000 / all    the same folder: every project loaded (shown for information)

Targets: samples <= 1.2 x bare; 1000 / list <= 1.5 x bare.

Each child also reports the CPU time it had used at that frame (user + system, interpreter start
included), and those medians and ratios are printed too: on a shared machine they move much less
than the wall-clock ones.

Children run from bytecode (in a temporary PYTHONPYCACHEPREFIX), as an installed app does, even
where PYTHONDONTWRITEBYTECODE is set; the app's parsed CSS (tui/ui/csscache.py) is kept in a
temporary ZIPIN_CACHE_DIR, written by the warm-up runs, as a user's second start finds it.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "2023"
SIZE = (160, 48)


# ---------------------------------------------------------------------------------------------
# child side: one start, prints the wall-clock time of the frame measured


def _report(app) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"READY {time.time():.6f} {usage.ru_utime + usage.ru_stime:.6f}", flush=True)
    app.exit()


def frame_text(screen, renderable) -> str:
    """The text of the screen as that frame left it, one line per screen line (a frame that
    updated a part of it: the whole screen drawn again from the widgets' lines it cached)."""
    from textual._compositor import LayoutUpdate

    if not isinstance(renderable, LayoutUpdate):
        renderable = screen._compositor.render_full_update()
    return "\n".join("".join(seg.text for strip in line for seg in strip) for line in renderable.strips)


class _FrameProbe:
    """Mixed into an App: reports the first frame drawn (headless: computed, not written) once
    `ready()` holds. Hooks App._display, where every frame ends up. After the time is taken,
    `missing(text)` checks what that frame shows: a start that draws less is no start (the
    child then prints MISSING and the parent stops)."""

    _reported = False

    def ready(self) -> bool:
        return True

    def missing(self, text: str) -> list[str]:
        return []

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if renderable is not None and not self._reported and self.ready():
            self._reported = True
            _report(self)
            lost = self.missing(frame_text(screen, renderable))
            if lost:
                print("MISSING " + " | ".join(lost), flush=True)


def shown(app) -> bool:
    """The first project is in the editor with every part the first frame must show: the list
    has lines, each on screen checked against its file (figures shown), and the header fields, the funding table and the indicator grid hold that project
    (the grid a row for each of its indicators)."""
    main = app.main
    if main is None or not main.list.entries or main.current is None:
        return False
    doc = main.doc
    if doc is None:
        return False
    project = doc.project
    from tui.core.editing import value_text
    from tui.ui.widgets.fields import FieldInput

    projects = main.list
    if set(projects.on_screen(projects.size.height)) & projects.unchecked:
        return False  # a line on screen not checked against its file yet is drawn without figures
    grid, funding = main.grid, main.funding
    rows = len(project.indicators)
    try:
        if rows:
            grid.cell_text(rows - 1, "target")  # the last indicator has its row
    except IndexError:
        return False
    fields = [f for f in main.query("#header-form FieldInput") if isinstance(f, FieldInput)]
    return (grid.project is project and funding._project is project  # a probe looks inside
            and len(fields) == 4
            and all(f.raw == value_text(project, f.path) and f.value in (f.raw, f.shown)
                    for f in fields))


def missing_parts(app, text: str) -> list[str]:
    """What the frame's text lacks of the first project: its name in the header and the list,
    the funding table's total row, each indicator row of the grid (its number and score)."""
    from tui.core.format import amount
    from tui.ui.widgets.grid.widget import IndicatorGrid

    main = app.main
    project = main.doc.project
    lost = []
    wants = [project.name[:4], amount(project.funding.total.adjusted or 0)]
    grid: IndicatorGrid = main.grid
    for row in range(min(len(project.indicators), 10)):  # the first rows: all fit at 160x48
        wants.append(grid.cell_text(row, "target")[:6])
    for want in wants:
        if want and want not in text:
            lost.append(want)
    return lost


def child_bare() -> None:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(_FrameProbe, App):
        def compose(self):
            yield Header()
            yield Static("自评")
            yield Footer()

    Bare().run(headless=True, size=SIZE)


def child_app(folder: str, until: str) -> None:
    from tui.ui.app import ZipinApp

    class Timed(_FrameProbe, ZipinApp):
        def ready(self) -> bool:
            return shown(self) and (until != "all" or not self.main.reading)

        def missing(self, text: str) -> list[str]:
            return missing_parts(self, text)

    Timed(folder).run(headless=True, size=SIZE)


# ---------------------------------------------------------------------------------------------
# parent side


PYCACHE: Path | None = None  # set by main(): bytecode for the children, outside the repo


def _once(args: list[str]) -> float:
    return _once_cpu(args)[0]


def _once_cpu(args: list[str], script: str = __file__) -> tuple[float, float]:
    """(wall seconds from spawn to the frame, the child's CPU seconds at the frame); `script`
    runs the child (bench_floor.py has children of its own)."""
    # As an installed app runs: from bytecode (this environment sets PYTHONDONTWRITEBYTECODE,
    # which would make every child compile the whole package from source). The bytecode goes
    # to a temporary PYTHONPYCACHEPREFIX, written by the warm-up runs, for both apps alike.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if PYCACHE is not None:
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        env["ZIPIN_CACHE_DIR"] = str(PYCACHE.parent / "csscache")
    start = time.time()
    out = subprocess.run([sys.executable, script, "--child", *args], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120)
    lost = [line for line in out.stdout.splitlines() if line.startswith("MISSING ")]
    if lost:
        raise RuntimeError(f"child {args}: its first frame lacks {lost[0][8:]}")
    for line in out.stdout.splitlines():
        if line.startswith("READY "):
            _ready, when, cpu = line.split()
            return float(when) - start, float(cpu)
    raise RuntimeError(f"child {args} gave no time:\n{out.stdout}\n{out.stderr}")


def _median(args: list[str], runs: int) -> tuple[float, list[float]]:
    times = [_once(args) for _ in range(runs)]
    return statistics.median(times), times


def generate(folder: Path, count: int) -> None:
    """`count` projects made from the samples, each with its own id, name and figures."""
    from tui.store import recordfile

    sources = [recordfile.load(p).project for p in recordfile.record_files(SAMPLES)]
    for i in range(count):
        base = sources[i % len(sources)]
        project = replace(base, id=str(uuid.uuid4()), name=f"{base.name}（{i + 1:04d}）")
        path = folder / f"{i + 1:04d}.toml"
        path.write_text(recordfile.dumps(project, path), encoding="utf-8")


def main() -> None:
    global PYCACHE
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    tmp = Path(tempfile.mkdtemp(prefix="zipin-bench-"))
    PYCACHE = tmp / "pycache"
    try:
        samples = tmp / "2023"
        shutil.copytree(SAMPLES, samples)
        big = tmp / "big"
        big.mkdir()
        generate(big, 1000)
        for _ in range(2):  # warm the disk cache and write the bytecode
            _once(["bare"])
            _once(["app", str(samples), "first"])
            _once(["app", str(big), "all"])
        # Interleave the measures so a change in machine load hits all of them alike.
        results: dict[str, list[float]] = {"bare": [], "samples": [], "list": [], "all": []}
        cpus: dict[str, list[float]] = {k: [] for k in results}
        args = {"bare": ["bare"], "samples": ["app", str(samples), "first"],
                "list": ["app", str(big), "first"], "all": ["app", str(big), "all"]}
        for _ in range(runs):
            for key, child in args.items():
                wall, cpu = _once_cpu(child)
                results[key].append(wall)
                cpus[key].append(cpu)
        med = {k: statistics.median(v) for k, v in results.items()}
        cpu_med = {k: statistics.median(v) for k, v in cpus.items()}
        bare = med["bare"]
        rows = [
            ("bare Textual app (Header, Static, Footer)", med["bare"], None, None),
            ("12 samples: list + first project", med["samples"], med["samples"] / bare, 1.2),
            ("1,000 projects: list shown", med["list"], med["list"] / bare, 1.5),
            ("1,000 projects: all loaded", med["all"], med["all"] / bare, None),
        ]
        print(f"zipin app start, medians of {runs} runs (subprocess per run, headless 160x48)")
        for name, value, ratio, target in rows:
            line = f"  {name:<44} {value * 1000:7.0f} ms"
            if ratio is not None:
                line += f"   {ratio:4.2f} x bare"
            if target is not None:
                line += f"   target <= {target:.1f} x  {'ok' if ratio <= target else 'MISSED'}"
            print(line)
        spread = {k: (min(v) * 1000, max(v) * 1000) for k, v in results.items()}
        print("  spread (min-max ms): " + ", ".join(f"{k} {a:.0f}-{b:.0f}" for k, (a, b) in spread.items()))
        print("  CPU time at that frame (median ms, x bare): " + ", ".join(
            f"{k} {v * 1000:.0f}" + ("" if k == "bare" else f" ({v / cpu_med['bare']:.2f} x)")
            for k, v in cpu_med.items()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        kind = sys.argv[2]
        if kind == "bare":
            child_bare()
        else:
            child_app(sys.argv[3], sys.argv[4])
    else:
        main()
