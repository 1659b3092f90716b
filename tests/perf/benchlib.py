"""Timing helpers shared by the bench_*.py scripts (not collected by pytest).

Subject and baseline run alternately in the same process, so both see the same machine; the
figure kept is the best (minimum) of the runs, the least disturbed by other work on the machine.
Each result is printed for people and as one `RESULT {json}` line for run_all.py.
"""

from __future__ import annotations

import gc
import json
import time

TARGET = 1.5


def best_of(subject, baseline, repeat: int, clock=time.process_time) -> tuple[float, float]:
    """Seconds of the fastest run of each; they alternate, baseline first. The clock is this
    process's CPU time by default (others' work on a shared machine hardly moves it); pass
    time.perf_counter where waiting (fsync) is part of what is measured."""
    s_times, b_times = [], []
    for _ in range(repeat):
        for fn, times in ((baseline, b_times), (subject, s_times)):
            gc.collect()
            start = clock()
            fn()
            times.append(clock() - start)
    return min(s_times), min(b_times)


def report(name: str, subject: float, baseline: float, unit: str = "s", what: str = "",
           target: float = TARGET) -> float:
    """Print one line (unit "s": seconds, CPU unless `what` says wall; "B": bytes)."""
    ratio = subject / baseline if baseline else float("inf")
    mark = "ok" if ratio <= target else "MISS"
    fmt = (lambda v: f"{v:.3f} s") if unit == "s" else (lambda v: f"{v / 2**20:.1f} MiB")
    print(f"{name:<46} {fmt(subject):>12} vs {fmt(baseline):>12}   ×{ratio:.2f}  {mark}", flush=True)
    print("RESULT " + json.dumps({"name": name, "subject": subject, "baseline": baseline, "unit": unit,
                                  "ratio": ratio, "target": target, "what": what},
                                 ensure_ascii=False), flush=True)
    return ratio
