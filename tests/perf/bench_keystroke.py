"""How long one keystroke in an actual takes to reach the screen, against an idle frame.

Run:  /work/venv/bin/python tests/perf/bench_keystroke.py [--keys 200] [--fps 60]
(not collected by pytest: the name does not start with test_).

A generated 40-indicator project in a 160×48 terminal (headless). The host app answers the grid's
Preview as the project screen does: `Document.preview`, `grid.show`, and a total label. For each
keystroke we take the time from posting the key to the end of the first frame that carries the
new total (the frame's segments are encoded for the terminal as a real driver would, only not
written), as wall-clock and as process CPU time.

The baseline is an "idle frame": a key that moves the caret inside the edit field, so the
same pipeline runs (key, compositor, encoding) but only one line is repainted and nothing is
recomputed. Keystrokes and idle frames alternate, so both see the same machine. The same is done
for a DataTable-based version of the grid (update_cell on actual and score, the same total label)
for comparison. Medians of many keys; the target is a keystroke within 1.5× an idle frame.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--keys", type=int, default=200, help="keystrokes per series (default 200)")
parser.add_argument("--fps", type=int, default=None, help="TEXTUAL_FPS for the run (default Textual's 60)")
parser.add_argument("--no-baseline", action="store_true", help="skip the DataTable baseline")
parser.add_argument("--cached-parsing", action="store_true",
                    help="what-if: memoise parse_target/parse_actual (the core's hot spot) for this run")
ARGS = parser.parse_args()
if ARGS.fps:
    os.environ["TEXTUAL_FPS"] = str(ARGS.fps)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grid_host import GridHost  # noqa: E402
from rich.text import Text  # noqa: E402
from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable, Static  # noqa: E402

from tui.core.document import Document  # noqa: E402
from tui.core.editing import apply_edit  # noqa: E402
from tui.core.format import fixed  # noqa: E402
from tui.core.model import TIERS, Indicator, Project  # noqa: E402
from tui.core.rules import load_rules  # noqa: E402
from tui.ui.widgets.grid import COLUMNS, IndicatorGrid, score_text  # noqa: E402

SIZE = (160, 48)
ROW = 20  # the indicator whose actual is typed into (target ≥100(%))


def generated_project(count: int = 40) -> Project:
    """40 indicators across the standard levels, weights adding up to 90, a mix of targets."""
    levels = ([("产出指标", l2) for l2 in ("数量指标", "质量指标", "时效指标", "成本指标") for _ in range(5)]
              + [("效益指标", l2) for l2 in ("社会效益指标", "经济效益指标", "可持续影响指标") for _ in range(4)]
              + [("满意度指标", "服务对象满意度指标")] * 8)
    items = []
    for i in range(count):
        level1, level2 = levels[i % len(levels)]
        kind = i % 4
        if kind == 0:
            target, actual = "≥100(%)", "96.50(%)"
        elif kind == 1:
            target, actual = "=12(次)", "12(次)"
        elif kind == 2:
            target, actual = "≤5(天)", "6(天)"
        else:
            target, actual = "规范", TIERS[i % 3]
        reason = f"第{i + 1}项：受疫情影响部分工作延后，已于次年一季度完成[/x]" if i % 3 else ""
        items.append(Indicator(level1=level1, level2=level2, name=f"绩效指标第{i + 1}项的名称",
                               target=target, actual=actual, weight=Decimal("2.25"), reason=reason))
    project = Project(year=2023, name="生成的四十项指标项目", department="测试部门",
                      implementer="测试部门", indicators=tuple(items))
    return apply_edit(project, f"indicators[{ROW}].target", "≥100(%)")


class FrameClock:
    """Wraps App._display: encodes each frame for the terminal and wakes a waiter when the
    frame satisfies its condition."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.waiter: tuple[object, asyncio.Event] | None = None
        self.stamp = (0.0, 0.0)
        self.frames = 0
        self.random = random.Random(1)
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is None:
                return
            renderable.render_segments(app.console)  # what a real driver would write
            self.frames += 1
            waiter = self.waiter
            if waiter is not None and waiter[0]():
                self.stamp = (time.perf_counter(), time.process_time())
                self.waiter = None
                waiter[1].set()

        app._display = display

    async def press(self, key: str, character: str | None, done) -> tuple[float, float]:
        """Post a key; return (wall, cpu) seconds until the end of the first frame where done()."""
        event = asyncio.Event()
        self.waiter = (done, event)
        t0, c0 = time.perf_counter(), time.process_time()
        key_event = events.Key(key, character)
        key_event.set_sender(self.app)
        self.app._driver.send_message(key_event)
        await asyncio.wait_for(event.wait(), 5)
        t1, c1 = self.stamp
        # Let the app go idle; a random pause so keys land at every phase of the 60 fps timer.
        await asyncio.sleep(self.random.uniform(0.02, 0.06))
        return t1 - t0, c1 - c0


class CountingHost(GridHost):
    """The grid host, counting the projects it has shown (one per answered Preview)."""

    shown = 0

    def _show(self, project, assessment) -> None:
        super()._show(project, assessment)
        self.shown += 1


class TableHost(App):
    """The baseline: the same table in a DataTable, the cell typed into kept by the app."""

    CSS = "#table { height: 1fr; } #total { height: 1; }"
    shown = 0

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.doc = Document(project, load_rules(project.rules))
        self.buffer = ""

    def compose(self) -> ComposeResult:
        yield DataTable(id="table", cursor_type="cell")
        yield Static(id="total")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for col in COLUMNS:
            table.add_column(col.header, key=col.field or "n", width=col.most or 30)
        sheet = self.doc.assessment.sheet
        for i, item in enumerate(self.doc.project.indicators):
            cells = (str(i + 1), item.level1, item.level2, item.name, item.target, item.actual,
                     fixed(item.weight), score_text(sheet.indicators[i]), item.reason)
            table.add_row(*(Text(c) for c in cells), key=str(i))
        table.move_cursor(row=ROW, column=5)
        table.focus()
        self.total = self.query_one("#total", Static)
        self.total.update(Text(f"总分 {fixed(sheet.total)}"), layout=False)

    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace":
            self.buffer = self.buffer[:-1]
        elif event.character and event.character.isdigit():
            self.buffer += event.character
        else:
            return
        event.stop()
        path = f"indicators[{ROW}].actual"
        project, assessment = self.doc.preview(path, self.buffer)
        table = self.query_one(DataTable)
        table.update_cell(str(ROW), "actual", Text(project.indicators[ROW].actual))
        table.update_cell(str(ROW), "score", Text(score_text(assessment.sheet.indicators[ROW])))
        self.total.update(Text(f"总分 {fixed(assessment.sheet.total)}"), layout=False)
        self.shown += 1


async def series(clock: FrameClock, host, typed: list[tuple[str, str | None]],
                 idle: list[tuple[str, str | None]], count: int, idle_done) -> tuple[list, list]:
    keys, idles = [], []
    for i in range(count):
        key, char = typed[i % len(typed)]
        expected = host.shown + 1
        keys.append(await clock.press(key, char, lambda expected=expected: host.shown >= expected))
        key, char = idle[i % len(idle)]
        idles.append(await clock.press(key, char, idle_done()))
    return keys, idles


def report(name: str, keys: list, idles: list) -> None:
    def med(values, i):
        return statistics.median(v[i] for v in values) * 1000

    def p90(values, i):
        return statistics.quantiles([v[i] * 1000 for v in values], n=10)[-1]

    print(f"\n{name}  ({len(keys)} keystrokes, {len(idles)} idle frames)")
    print(f"  {'':28}{'wall median':>12}{'wall p90':>10}{'CPU median':>12}{'CPU p90':>10}")
    for label, values in (("keystroke → repainted total", keys), ("idle frame (caret/cursor)", idles)):
        print(f"  {label:28}{med(values, 0):10.2f}ms{p90(values, 0):8.2f}ms"
              f"{med(values, 1):10.2f}ms{p90(values, 1):8.2f}ms")
    print(f"  ratio keystroke / idle:  wall {med(keys, 0) / med(idles, 0):.2f}×   "
          f"CPU {med(keys, 1) / med(idles, 1):.2f}×   (target ≤ 1.50×)")
    period = 1000 / int(os.environ.get("TEXTUAL_FPS", 60))
    print(f"  keystroke in frame periods ({period:.1f} ms at {1000 / period:.0f} fps): "
          f"wall {med(keys, 0) / period:.2f}, CPU {med(keys, 1) / period:.2f}")


async def bench_grid(count: int) -> None:
    app = CountingHost(generated_project())
    async with app.run_test(size=SIZE) as pilot:
        grid = app.query_one(IndicatorGrid)
        grid.goto(f"indicators[{ROW}].actual")
        await pilot.press("ctrl+u" if grid.editing else "backspace", "8")  # edit with "8"
        await pilot.pause(0.1)
        assert grid.editing and grid.edit_text == "8", grid.edit_text
        clock = FrameClock(app)
        renders = grid.row_renders
        typed = [("0", "0"), ("backspace", None)]  # "80" ↔ "8": 1.80 ↔ 0.18, a new total each time

        def idle_done():
            before = grid.row_renders
            return lambda: grid.row_renders > before

        gc.collect()
        keys, idles = await series(clock, app, typed, [("left", None), ("right", None)], count, idle_done)
        rows = (grid.row_renders - renders) / (2 * count)
        report("IndicatorGrid (line API, per-row strip cache)", keys, idles)
        print(f"  rows re-rendered per key: {rows:.2f}; frames: {clock.frames}")


async def bench_table(count: int) -> None:
    app = TableHost(generated_project())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        clock = FrameClock(app)
        typed = [("8", "8"), ("backspace", None)]

        def idle_done():
            before = clock.frames
            return lambda: clock.frames > before

        gc.collect()
        keys, idles = await series(clock, app, typed, [("left", None), ("right", None)], count, idle_done)
        report("DataTable baseline (update_cell ×2)", keys, idles)


def cache_parsing() -> None:
    """Memoise the core's target/actual parsers where scoring, validation and editing use them."""
    import functools

    import tui.core.editing
    import tui.core.model
    import tui.core.scoring
    import tui.core.validation

    target = functools.lru_cache(4096)(tui.core.model.parse_target)
    actual = functools.lru_cache(4096)(tui.core.model.parse_actual)
    for module in (tui.core.scoring, tui.core.validation, tui.core.editing):
        module.parse_target, module.parse_actual = target, actual


async def main() -> None:
    fps = os.environ.get("TEXTUAL_FPS", "60 (default)")
    print(f"Textual keystroke bench: 40 indicators, {SIZE[0]}×{SIZE[1]}, TEXTUAL_FPS={fps}")
    if ARGS.cached_parsing:
        cache_parsing()
        print("what-if: parse_target/parse_actual memoised")
    await bench_grid(ARGS.keys)
    if not ARGS.no_baseline:
        await bench_table(ARGS.keys)


if __name__ == "__main__":
    asyncio.run(main())
