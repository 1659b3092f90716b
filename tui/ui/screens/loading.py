"""The main screen's loading: records read in a thread and handed to the list in batches, files
that can't be read listed with their reason, and unsaved drafts of the last session offered back.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual.worker import get_current_worker

from tui.core.document import Document
from tui.core.model import Project
from tui.store.index import FolderIndex
from tui.store.workspace import RecordError
from tui.printed.layout import LayoutError
from tui.core.rules import RulesError
from tui.ui.screens.dialogs import recovery_dialog
from tui.ui.screens.documents import entry_for, entry_of
from tui.ui.screens.host import Host

FIRST_BATCH = 30  # records read before the first frame: a screenful of the list
BATCH_SECONDS = 0.25  # the loading thread hands over what it read this often


class Loader:
    """Reading the folder and recovering drafts, for the main screen (`main`)."""

    def __init__(self, main: Host, after: Callable[[], None]) -> None:
        self.main = main
        self.after = after  # when loading and recovering are done (the merge review, if any)
        self.listed: set[str] = set()  # records the folder's index listed
        self._index: FolderIndex | None = None
        self._recoveries: list[tuple[str, Project, bool]] = []

    def _read(self, path: Path, batch: list, failures: list) -> None:
        """Load and assess one record (in the loading thread, or for the first screenful here);
        one the index did not list gets its row in the index."""
        try:
            # Assessed here (in the thread, for most records): the list marks a grade 未定 while
            # the record has errors, and the UI thread only hands the result over. A record the
            # index listed has its line already: no assessment needed.
            if str(path) in self.listed:
                loaded, assessment = self.main.workspace.load(path), None
            else:
                assert self._index is not None
                loaded, assessment, _summary = self._index.read(path)
            rules = self.main.rules_for(loaded.project.rules)
            batch.append((loaded, rules, assessment, self.main.workspace.read_draft(path)))
        except (RecordError, RulesError, LayoutError) as exc:
            failures.append((path, exc))
        except Exception as exc:  # a file that breaks the reader must not stop the others
            failures.append((path, RecordError(str(path), "", f"无法读取或计算（{type(exc).__name__}）")))

    def start_loading(self) -> None:
        """The first screenful of records now, before the first frame (so it is not drawn empty
        and drawn again); the rest in a thread, handed to the list in batches."""
        files, listed = self._list_from_index()  # recovers an interrupted save first
        # The first screenful not listed from the index is read now; the editor reads the one
        # it opens, if the index listed it.
        first = [path for path in files[:FIRST_BATCH] if str(path) not in self.listed]
        now = set(first)
        rest = [path for path in files if path not in now]
        batch: list = []
        failures: list = []
        for path in first:
            self._read(path, batch, failures)
        self._add_batch(batch, failures, len(first), len(files), listed)
        # After the first frame: a thread started now would share the GIL with drawing it.
        self.main.call_after_refresh(self.load_records, rest, len(first), len(files))

    def _list_from_index(self) -> tuple[list[Path], list]:
        """The record files, and the list's lines of every one the folder's index (tui.store.index)
        still vouches for: the whole list, with totals, sortable before any record is read. The
        loading that follows reads them all the same (the editor and exchange need the records)
        but draws no line twice."""
        files, cached, self._index = self.main.workspace.listing()
        self.listed = {str(path) for path in cached}
        if cached:
            self.main.list.expect([str(path) for path in files])
        return files, [entry_of(str(path), s, path.name) for path, s in cached.items()]

    def load_records(self, files: list[Path], before: int, count: int) -> None:
        self.main.run_worker(partial(self._load_records, files, before, count), thread=True, exclusive=True, group="load", name="载入项目")

    def _load_records(self, files: list[Path], before: int, count: int) -> None:
        """Read the rest of the records in a thread, then look for drafts of new projects."""
        worker = get_current_worker()
        batch: list = []
        failures: list = []
        last = time.monotonic()
        for done, path in enumerate(files, before + 1):
            if worker.is_cancelled:  # the app is closing
                return
            self._read(path, batch, failures)
            time.sleep(0)  # hand the GIL to the UI between files: keys stay quick while loading
            now = time.monotonic()
            if now - last > BATCH_SECONDS:
                self.main.app.call_from_thread(self._add_batch, batch, failures, done, count)
                batch, failures, last = [], [], now
        orphans = []
        for path in self.main.workspace.orphan_drafts():
            draft = self.main.workspace.read_draft(path)
            if draft is not None:
                try:
                    orphans.append((path, draft, self.main.rules_for(draft.rules)))
                except RulesError:
                    orphans.append((path, draft, self.main.rules_for("default")))
        assert self._index is not None
        self._index.close()  # keeps the rows of the records read
        self.main.app.call_from_thread(self._add_batch, batch, failures, count, count)
        self.main.app.call_from_thread(self._load_done, orphans)

    def _add_batch(self, batch: list, failures: list, done: int, count: int, listed=()) -> None:
        if not self.main.is_attached:  # the app closed while the thread was reading
            return
        entries = list(listed)
        failures = list(failures)
        for loaded, rules, assessment, draft in batch:
            key = str(loaded.path)
            if key not in self.listed:
                try:
                    entries.append(entry_for(key, loaded.project, assessment, loaded.path.name,
                                             False))
                except Exception as exc:  # never left out of the list silently: listed as failed
                    failures.append((loaded.path, RecordError(str(loaded.path), "",
                                                              f"无法显示（{type(exc).__name__}）")))
                    continue
            self.main.loaded.setdefault(key, loaded)  # one opened (or saved) meanwhile stays as it is
            self.main.rules.setdefault(loaded.project.rules, rules)
            if draft is not None and draft != loaded.project:
                self._recoveries.append((key, draft, False))
        if entries:
            self.main.list.add(entries)
            if self.main.current is None and self.main.list.current_key is not None:
                self.main.open(self.main.list.current_key)  # now, not on the list's message: one frame
        if failures:
            gone = [str(path) for path, _exc in failures if str(path) in self.listed]
            for key in gone:  # listed from the index, unreadable now: never a stale line
                self.main.list.entries.pop(key, None)
            if gone:
                self.main.list.add([])
            for path, problem in failures:
                self.main.failures.append(problem if isinstance(problem, RecordError)
                                     else RecordError(str(path), "", str(problem)))
            self.main.left.show_failures(self.main.failures)
        # Loaded records live as long as the app: move them out of the collector's sight. Measured
        # with 1,000 records, full collections otherwise stall the UI 100-150 ms each.
        gc.freeze()
        self.main.left.show_progress(done, count)
        self.main.update_year_line()

    def _load_done(self, orphans: list) -> None:
        if not self.main.is_attached:
            return
        self.main.reading = False
        for path, draft, rules in orphans:
            key = str(path)
            doc = Document(draft, rules, path=path)  # never saved: no digest, dirty from the start
            self.main.docs[key] = doc
            self.main.list.add([entry_for(key, draft, doc.assessment, path.name, True)])
            self._recoveries.append((key, draft, True))
        if not self.main.loaded and not orphans:
            self.main.title = "（文件夹中没有项目，按 Ctrl+N 新建）"
        self.main.update_year_line()
        if self._recoveries:
            self.offer_recovery()  # then the merge conflicts
        else:
            self.after()

    def offer_recovery(self) -> None:
        self.main.run_worker(self._offer_recovery(), exclusive=True, group="recovery")

    async def _offer_recovery(self) -> None:
        """For each record with a draft: 恢复 (take its edits, unsaved) or 丢弃 (delete the draft)."""
        while self._recoveries:
            key, draft, new = self._recoveries.pop(0)
            path = Path(key)
            answer = await self.main.app.push_screen_wait(recovery_dialog(draft.name, path.name, new))
            if answer == "recover":
                doc = self.main.document(key)
                if not new:
                    doc.commit(draft)
                self.main.changed(key)
                if key == self.main.current:
                    self.main.show_current()
                else:
                    self.main.list.select_key(key)
                self.main.say(f"已恢复：{draft.name or path.name}（尚未保存）")
            else:
                self.main.workspace.remove_draft(path)
                if new:
                    self.main.docs.pop(key, None)
                    self.main.list.entries.pop(key, None)
                    self.main.list.add([])
                self.main.say(f"已丢弃草稿：{draft.name or path.name}")
        self.after()

