"""A progress bar for long CLI work (a folder of thousands of records, a long text of forms).

Drawn with Rich on stderr, and only for a person at a terminal: both stdout and stderr are
terminals and the output is not `--json`. Piped or redirected output and JSON stay exactly what
they were. The bar is transient: it is erased when the work is done, before the command prints
its results. No Textual.

    with Steps(shown(args.json)) as steps:
        report = steps.phase("校验记录")
        for done, path in enumerate(files, 1):
            ...
            report(done, len(files))

Core functions that take long take the same `progress(done, total)` callback (None: no report).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def shown(json: bool = False) -> bool:
    """Whether a bar is wanted: a person at a terminal, not a machine reading JSON."""
    try:
        return not json and sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


Report = Callable[[int, int], None]  # (steps done, steps in all)


def _nothing(done: int, total: int) -> None:
    pass


class Steps:
    """The phases of one command, one bar at a time (a phase's bar replaces the last one's)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Steps:
        if self.enabled:
            # Imported here: a command that draws no bar doesn't pay for rich.progress.
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                                       TextColumn, TimeElapsedColumn, TimeRemainingColumn)

            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                console=Console(file=sys.stderr), transient=True,
                redirect_stdout=False, redirect_stderr=False)
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def phase(self, description: str) -> Report:
        """Start a phase (a spinner until its first report) and return its `report(done, total)`."""
        progress = self._progress
        if progress is None:
            return _nothing
        if self._task is not None:
            progress.remove_task(self._task)
        task = self._task = progress.add_task(description, total=None)
        return lambda done, total: progress.update(task, completed=done, total=total)
