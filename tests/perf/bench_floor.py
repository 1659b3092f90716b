"""Where the start-up floor is (not collected by pytest): `python tests/perf/bench_floor.py [RUNS]`.

bench_app.py compares the first frame of 12 samples with a bare Textual app (Header, Static,
Footer). This one says how much of that ratio the screen's widgets cost by themselves, measured
the same way (a fresh process per run, headless 160x48, CPU time at the first frame, medians,
interleaved, ratios to `bare` of the same run):

  bare      bench_app's bare app
  floor     a Textual app with the main screen's tree of widgets made of Textual's own classes
            (Input, OptionList, Static, the containers; the same borders and sizes, app.tcss's
            rules), showing lines of plain text where Zipin shows a project: no module of ours
  empty     Zipin on an empty folder: every widget and module of ours, no record
  samples   bench_app's 12 samples (the list and the first project)
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_app  # noqa: E402

LINES = [f"{i:02d} 某某项目名称第{i}项 {i * 7.13:10.2f} 99.98 优" for i in range(12)]
ROWS = [f"{i:02d} 产出指标 数量指标 完成数量 ≥100人 120人 10 10.00" for i in range(26)]
CSS = """
#body { height: 1fr; }
#left { width: 50; }
#editor { width: 1fr; }
#filter { margin: 0 1; }
#projects, #problems, #form, #grid { border: round $panel-lighten-2; }
#projects:focus-within, #problems:focus-within, #grid:focus-within { border: heavy $accent; }
#titlebar { dock: top; height: 1; background: $panel; }
#keybar { dock: bottom; height: 1; background: $panel; color: $text-muted; padding: 0 1; }
#load-status, #failures { display: none; }
#years { height: auto; max-height: 20%; background: $panel; }
#year-line { height: auto; padding: 0 1; }
#projects { height: 1fr; }
#problems { height: 10; }
#scorebar, #edit-status { height: 1; padding: 0 1; }
#form { height: auto; padding: 0 1; }
#header-form { height: 1; margin-bottom: 1; }
#header-form Static { width: auto; }
#header-form Input { border: none; height: 1; padding: 0; width: 1fr; }
#funding { height: 5; }
#goals { height: 7; }
#grid { height: 1fr; }
"""


def child_floor() -> None:
    from textual.app import App
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.widgets import Input, OptionList, Static

    class Floor(bench_app._FrameProbe, App):
        def compose(self):
            yield Static("2023（自评）", id="titlebar")
            with Horizontal(id="body"):
                with Vertical(id="left"):
                    yield Input(placeholder="筛选", id="filter")
                    yield OptionList(*LINES, id="projects")
                    yield Static("", id="load-status")
                    with VerticalScroll(id="years"):
                        yield Static("2023 年：12 个项目", id="year-line")
                    with VerticalScroll(id="failures"):
                        yield Static("", id="failure-text")
                    yield OptionList("没有问题", id="problems")
                with Vertical(id="editor"):
                    yield Static("总分 99.98 优", id="scorebar")
                    yield Static("", id="edit-status")
                    with Vertical(id="form"):
                        with Horizontal(id="header-form"):
                            for label in ("项目名称", "年度", "主管部门", "实施单位"):
                                yield Static(label)
                                yield Input(label)
                        yield Static("\n".join(LINES[:5]), id="funding")
                    yield Static("预期目标\n实际完成", id="goals")
                    yield Static("\n".join(ROWS), id="grid")
            yield Static("Ctrl+S 保存  Ctrl+Z 撤销  F1 按键", id="keybar")

        def on_mount(self) -> None:
            self.query_one("#projects").focus()

    Floor.CSS = CSS
    Floor().run(headless=True, size=bench_app.SIZE)


def child_empty(folder: str) -> None:
    from tui.ui.app import ZipinApp

    class Timed(bench_app._FrameProbe, ZipinApp):
        def ready(self) -> bool:
            main = self.main
            return main is not None and main.is_mounted

    Timed(folder).run(headless=True, size=bench_app.SIZE)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    tmp = Path(tempfile.mkdtemp(prefix="zipin-floor-"))
    bench_app.PYCACHE = tmp / "pycache"
    try:
        samples, empty = tmp / "2023", tmp / "empty"
        shutil.copytree(bench_app.SAMPLES, samples)
        empty.mkdir()
        kinds = {"bare": ["bare"], "floor": ["floor"], "empty": ["empty", str(empty)],
                 "samples": ["app", str(samples), "first"]}
        for _ in range(2):  # warm the disk cache and write the bytecode
            for args in kinds.values():
                bench_app._once_cpu(args, __file__)
        cpu: dict[str, list[float]] = {k: [] for k in kinds}
        wall: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(runs):
            for key, args in kinds.items():
                w, c = bench_app._once_cpu(args, __file__)
                wall[key].append(w)
                cpu[key].append(c)
        bare_c, bare_w = statistics.median(cpu["bare"]), statistics.median(wall["bare"])
        print(f"first frame, medians of {runs} runs (subprocess per run, headless 160x48)")
        for key in kinds:
            c, w = statistics.median(cpu[key]), statistics.median(wall[key])
            print(f"  {key:<8} CPU {c * 1000:6.0f} ms  {c / bare_c:4.2f} x bare"
                  f"   wall {w * 1000:6.0f} ms  {w / bare_w:4.2f} x bare")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(bench_app.ROOT))
        kind = sys.argv[2]
        if kind == "floor":
            child_floor()
        elif kind == "empty":
            child_empty(sys.argv[3])
        elif kind == "bare":
            bench_app.child_bare()
        else:
            bench_app.child_app(sys.argv[3], sys.argv[4])
    else:
        main()
