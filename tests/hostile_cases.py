"""Hostile inputs shared by the unit and app tests of issue 10: a save_all killed after its
journal, records with huge or deep values, a name carrying terminal escape sequences."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

from tui.store import recordfile

from conftest import ROOT, tracked_records


KILL_AT_FIRST_RENAME = r'''
import os, signal, sys
from dataclasses import replace
from pathlib import Path
from tui.store import recordfile, saving
real = os.replace
def replace_then_die(src, dst):
    if not Path(dst).name.startswith(".zipin-journal"):
        os.kill(os.getpid(), signal.SIGKILL)  # journal written, no record renamed yet
    return real(src, dst)
os.replace = replace_then_die
items = []
for name in sys.argv[1:]:
    loaded = recordfile.load(Path(name))
    items.append((replace(loaded.project, name="死掉的导入"), loaded.path, loaded.digest))
saving.save_all(items)
'''


def kill_save_all(*paths: Path) -> None:
    """Run save_all of `paths` (renamed 死掉的导入) in a process SIGKILLed after its journal."""
    proc = subprocess.run([sys.executable, "-c", KILL_AT_FIRST_RENAME, *map(str, paths)],
                          cwd=ROOT, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert list(paths[0].parent.glob(".zipin-journal.*.json"))


def sample_text() -> str:
    return recordfile.dumps(recordfile.load(tracked_records()[11]).project)


BAD_RECORDS = {
    "deep": lambda t: t + "deep = " + "[" * 10_000 + "]" * 10_000 + "\n",
    "big-int": lambda t: t.replace("year = 2023", "year = " + "9" * 5_000),
    "huge-weight": lambda t: t.replace('weight = "10.00"', 'weight = "1' + "0" * 999_999 + '"', 1),
    "tiny-target": lambda t: re.sub(r'target = "[^"]*"', 'target = "≥0.' + "0" * 999_999 + '1"', t, count=1),
    "exponent-target": lambda t: re.sub(r'target = "[^"]*"', 'target = "≥1E+999999"', t, count=1),
}
REASONS = {"deep": "嵌套层数过多", "big-int": "整数位数过多", "huge-weight": "funding.weight",
           "tiny-target": "indicators[0].target", "exponent-target": "indicators[0].target"}


TITLE = "\x1b]0;TITLE\x07\x1b[31m"
