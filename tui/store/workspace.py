"""One folder of records as the app and every command use it: the only way a folder is loaded
(recovering an interrupted save first, under the folder's lock), saved, saved all, imported into
and drafted. No Textual.

    ws = Workspace(folder)
    folder_load = ws.load_all()                 # or ws.files() + ws.load(path), as the app does
    ws.save(project, path, digest)              # ChangedOnDisk if the file moved on meanwhile
    plan = ws.plan_import(bundle)               # reads only
    written = ws.apply_import(plan, choices)    # decided again under the lock, by id; all or none

Why one session: the app once read the folder with a loader of its own that did not recover, so a
dead import's journal, rolled forward later by a command, replaced what the user had saved since;
and two imports at once each decided "new" from a load taken before the other wrote.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Mapping

from tui.store import atomic, drafts, journal, naming, recordfile, saving
from tui.core.model import Project
from tui.store.codec import RecordError
from tui.store.naming import safe_stem
from tui.store.recordfile import FolderLoad, Loaded
from tui.store.saving import ChangedOnDisk

if TYPE_CHECKING:  # tui.exchange.bundle and tui.exchange.textplan are imported by the flows that use them
    from tui.exchange.bundle import Bundle
    from tui.exchange.bundleplan import FieldChoice, ImportPlan
    from tui.exchange.textplan import TextPlan

TRASH = Path(".zipin") / "trash"  # a deleted project's file, in its folder (Workspace.trash)

__all__ = ["Workspace", "ChangedOnDisk", "FolderLoad", "Loaded", "RecordError", "safe_stem"]


class Workspace:
    """A folder of project records, as one session sees it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._recovered = False
        self._seen: dict[Path, Loaded] = {}  # the records of the last load_all, by path

    # -- reading -------------------------------------------------------------------------------

    def recover(self) -> int:
        """Finish (or drop) what a save that died left in the folder, under its lock; once per
        session, before the first read. Returns the files put in place."""
        if self._recovered or not self.folder.is_dir():
            return 0
        self._recovered = True
        return journal.recover(self.folder)

    def files(self) -> list[Path]:
        """The record files, in name order (recovering first)."""
        self.recover()
        return recordfile.record_files(self.folder) if self.folder.is_dir() else []

    def load(self, path: Path, bundles: bool = True) -> Loaded:
        return recordfile.load(path, bundles)  # bundles=False: NotARecord for a bundle

    def changed(self, loaded: Loaded) -> bool:
        """Whether the file of a record read earlier is no longer what was read (or is gone)."""
        return atomic.current_digest(loaded.path) != loaded.digest

    def load_all(self, progress=None) -> FolderLoad:
        """Every record of the folder; a file that can't be read is a failure with its reason,
        never left out silently. `progress(done, total)` follows each file (tui.progress)."""
        if not self.folder.is_dir():
            return FolderLoad()
        result = recordfile.load_folder(self.folder, progress)  # recovers first
        self._recovered = True
        self._seen = {r.path: r for r in result.records}
        return result

    def toml_files(self) -> list[Path]:
        """The `*.toml` files, records and bundles, none opened (recovering first): what
        `summaries` takes, telling a bundle by the bytes it reads anyway."""
        self.recover()
        return recordfile.toml_files(self.folder)

    def summaries(self, files: list[Path] | None = None, progress=None) -> tuple[list, list]:
        """(path, summary) of each record (of `files`, default all) and (path, error) of the
        files that can't be read, through the folder's index (tui.store.index): only files changed
        since are read, a bundle among them skipped. `progress(done, total)` follows each file."""
        from tui.store.index import FolderIndex

        files = self.toml_files() if files is None else files
        with FolderIndex(self.folder) as index:
            return index.summaries(files, progress)

    def listing(self, check: bool = True):
        """(record files as text, the index's `Line` of those it still vouches for, the open
        index) in one pass, recovering first: the app's start. The index's `read` gives the
        others their rows; close it when done (tui.store.index). `check=False`: the index's
        rows, not checked against their files yet (`FolderIndex.listing`)."""
        from tui.store.index import FolderIndex

        names, left = _scan(self.folder)  # one look at the folder (10,000 names: 5 ms each)
        if left and not self._recovered:
            self.recover()
            names, _left = _scan(self.folder)  # as the recovery left it
        self._recovered = True
        index = FolderIndex(self.folder)
        files, cached = index.listing(check, names) if names is not None else ([], {})
        return files, cached, index

    def _reread(self) -> FolderLoad:
        """The folder as it is now, reusing the records of the last load whose bytes are the same
        (an import's check under the lock reads every file, parses only what changed)."""
        journal.recover(self.folder)
        result = FolderLoad()
        for path in recordfile.record_files(self.folder):
            seen = self._seen.get(path)
            if seen is not None and atomic.current_digest(path) == seen.digest:
                result.records.append(seen)
                continue
            try:
                result.records.append(recordfile.load(path))
            except RecordError as exc:
                result.failures.append(exc)
        return result

    # -- writing -------------------------------------------------------------------------------

    def save(self, project: Project, path: Path, expected: str | None) -> Loaded:
        return saving.save(project, path, expected)

    def save_all(self, items: list[tuple[Project, Path, str | None]]) -> list[Loaded]:
        return saving.save_all(items)

    def new_path(self, project: Project, taken: set[Path] | None = None) -> Path:
        return naming.new_path(self.folder, project, taken)

    def rename(self, path: Path, target: Path) -> Path:
        """A record's file renamed (its draft along), under the folder's lock; FileExistsError
        if `target` exists (nothing moved)."""
        with atomic.folder_lock(self.folder):
            if target.exists():
                raise FileExistsError(target)
            os.rename(path, target)
            draft = drafts.draft_path(path)
            if draft.exists():
                os.replace(draft, drafts.draft_path(target))
        return target

    def trash(self, path: Path, draft_only: bool = False) -> Path | None:
        """A record deleted: its file moved to the folder's .zipin/trash/ as
        ``<date>-<name>`` (its draft removed); `draft_only`, a never-saved project's draft moved
        instead. None when there is nothing to move."""
        source = drafts.draft_path(path) if draft_only else Path(path)
        if not source.exists():
            return None
        trash = self.folder / TRASH
        trash.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = source.name.lstrip(".")
        target, n = trash / f"{stamp}-{name}", 2
        with atomic.folder_lock(self.folder):
            while target.exists():
                target, n = trash / f"{stamp}-{n}-{name}", n + 1
            os.rename(source, target)
            if not draft_only:
                drafts.remove_draft(path)
        return target

    def untrash(self, trashed: Path, path: Path, draft_only: bool = False) -> None:
        """Undo `trash`: the file back under its name; ChangedOnDisk if that is taken now."""
        back = drafts.draft_path(path) if draft_only else Path(path)
        with atomic.folder_lock(self.folder):
            if back.exists():
                raise ChangedOnDisk(back)
            os.rename(trashed, back)

    # -- drafts --------------------------------------------------------------------------------

    def write_draft(self, project: Project, path: Path) -> None:
        drafts.write_draft(project, path)

    def read_draft(self, path: Path) -> Project | None:
        return drafts.read_draft(path)

    def remove_draft(self, path: Path) -> None:
        drafts.remove_draft(path)

    def drafted(self, files: list[Path]) -> list[Path]:
        """Those of `files` that have a draft beside them (one look at the folder, not one per file)."""
        found = set(self.folder.glob(f".*.toml{drafts.DRAFT_SUFFIX}")) if self.folder.is_dir() else set()
        return [path for path in files if found and drafts.draft_path(path) in found]

    def orphan_drafts(self) -> list[Path]:
        return drafts.orphan_drafts(self.folder) if self.folder.is_dir() else []

    # -- importing -----------------------------------------------------------------------------

    def plan_import(self, bundle: Bundle, progress=None) -> ImportPlan:
        """What importing `bundle` would do to the folder as it is now (reads only).
        `progress(done, total)` follows each file of the folder read (tui.progress)."""
        from tui.exchange.bundleplan import plan_import

        return plan_import(bundle, self.load_all(progress), self.folder)

    def apply_import(self, plan: ImportPlan, choices: Mapping[str, str | FieldChoice] | None = None, *,
                     remember: bool = True) -> list[Path]:
        """Write what `plan` and `choices` say, all or none. Under the folder's lock the import is
        planned again against the folder as it is then, by id: if anything it decided changed
        (another import or a save wrote meanwhile), nothing is written and ChangedOnDisk says
        which file; so no id ever gets a second file. `remember=False` (the conflicts a git merge
        left, tui.exchange.conflicts): planned again with the plan's own ledger, and the folder's exchange
        ledger left as it is."""
        from tui.exchange.bundleapply import apply_import
        from tui.exchange.bundleplan import plan_import

        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic.folder_lock(self.folder):
            now = plan_import(plan.bundle, self._reread(), self.folder,
                              ledger=None if remember else plan.ledger)
            moved = _moved(plan, now)
            if moved is not None:
                raise ChangedOnDisk(moved)
            return apply_import(now, choices, remember=remember)

    def write_text_import(self, plan: TextPlan) -> list[Path]:
        """Write every form of a text import as a new record, all or none."""
        from tui.exchange.textplan import write_text_import

        return write_text_import(plan)


def _moved(old: ImportPlan, new: ImportPlan) -> Path | None:
    """A file whose decision differs between two plans of one bundle (None: the same plan)."""
    for a, b in zip(old.items, new.items):
        if (a.status, a.path, a.local and a.local.digest) != (b.status, b.path, b.local and b.local.digest):
            return b.path
    for p, q in zip(old.profiles, new.profiles):
        if p.status != q.status:
            return q.path
    return None


def _scan(folder: Path) -> tuple[list[str] | None, bool]:
    """The names of the folder's `*.toml` files in order (None: no folder), and whether a save
    that died left anything in it (journal.leftover)."""
    names, left = [], False
    try:
        with os.scandir(folder) as found:
            for e in found:
                name = e.name
                if name.endswith(".toml") and e.is_file():
                    names.append(name)
                elif name[0] == "." and not left:
                    left = journal.leftover(name)
    except OSError:
        return None, False
    names.sort()
    return names, left
