"""The cyclic garbage collector paused while objects that live on are made: a folder's records
read, the app's modules imported. No Textual."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused(freeze: bool = False):
    """The collector paused in the block. Records make no reference cycles, yet the collector would
    walk the growing heap of them again and again: paused, 10,000 records load about a fifth faster
    (tests/perf/bench_load.py) and are checked about 5% faster (bench_check.py). What garbage there
    is waits for the next pass. `freeze`: what exists at the end is moved out of the collector's
    sight for good (gc.freeze), for objects that live as long as the process (modules, classes)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()
