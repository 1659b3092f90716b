"""Reading and assessing project records for the main screen's loader (screens/loading.py), in
any thread: no widget is touched, and a file that can't be read is given back as its failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.core.rules import Rules, RulesError
from tui.core.validation import Assessment, assess
from tui.printed.layout import LayoutError
from tui.store.workspace import Loaded, RecordError, Workspace

Found = list[tuple[str, tuple[Loaded, Assessment] | Exception]]


def read_keys(workspace: Workspace, rules_for: Callable[[str], Rules], keys: list[str]) -> Found:
    """Each record of `keys` read and assessed, or the error it can't be read with."""
    out: Found = []
    for key in keys:
        try:
            loaded = workspace.load(Path(key), bundles=False)  # a bundle now: NotARecord
            out.append((key, (loaded, assess(loaded.project, rules_for(loaded.project.rules)))))
        except (RecordError, RulesError, LayoutError) as exc:
            out.append((key, exc))
        except Exception as exc:  # as the loader's _read: a file that breaks the reader is a failure
            out.append((key, RecordError(key, "", f"无法读取或计算（{type(exc).__name__}）")))
    return out
