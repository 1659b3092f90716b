"""The main screen's loading: the list from the folder's index (tui.store.index) at once, the
records it does not vouch for read in a thread and handed to the list in batches, files that can't
be read listed with their reason, and unsaved drafts of the last session offered back.

A record the index listed is read only when it is needed (`record`, `read_all`): opened, saved,
exported, summed up for the year. Reading it makes its line again from the record itself, so a
file changed since it was listed never leaves a stale figure on screen.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from textual.worker import get_current_worker

from tui.core.document import Document
from tui.core.model import Project
from tui.core.rules import RulesError
from tui.core.validation import Assessment, assess
from tui.printed.layout import LayoutError
from tui.store.index import FolderIndex
from tui.store.recordfile import NotARecord
from tui.store.workspace import Loaded, RecordError
from tui.ui.screens.documents import entries_of, entry_for
from tui.ui.screens.host import Host
from tui.ui.screens.reading import Found, read_keys
from tui.ui.widgets.entry import Entry

FIRST_BATCH = 30  # records read before the first frame: a screenful of the list
# The loading thread hands over what it read after this long, then twice as long each time up to
# BATCH_MOST: each hand-over sorts the whole list and adds up the year line (O(n) each).
BATCH_SECONDS = 0.25
BATCH_MOST = 2.0
YIELD_SECONDS = 0.005  # the reading thread offers the GIL this often (Python's switch interval)
READ_NOW = 200  # `with_records`: fewer records than this to read are read at once, more in a thread


class Loader:
    """Reading the folder and recovering drafts, for the main screen (`main`)."""

    def __init__(self, main: Host, after: Callable[[], None]) -> None:
        self.main = main
        self.after = after  # when loading and recovering are done (the merge review, if any)
        self.listed: set[str] = set()  # records the folder's index listed
        self._index: FolderIndex | None = None
        self._recoveries: list[tuple[str, Project, bool]] = []

    def _read(self, path: Path, batch: list, failures: list, drafted: set[Path] | None) -> None:
        """Load one record (in the loading thread, or for the first screenful here), with its
        draft; one the index did not list is assessed and gets its row in the index. `drafted`:
        the records with a draft (None: not known yet, look)."""
        try:
            # Assessed here (in the thread, for most records): the list marks a grade 未定 while
            # the record has errors, and the UI thread only hands the result over. A record the
            # index listed has its line already: no assessment needed.
            if str(path) in self.listed:
                loaded, assessment = self.main.workspace.load(path), None
            else:
                assert self._index is not None
                loaded, assessment, _summary = self._index.read(path, summary=False, bundles=False)
            rules = self.main.rules_for(loaded.project.rules)
            draft = self.main.workspace.read_draft(path) if drafted is None or path in drafted else None
            batch.append((loaded, rules, assessment, draft))
        except NotARecord:  # a bundle in the folder: not a project, not a failure
            return
        except (RecordError, RulesError, LayoutError) as exc:
            failures.append((path, exc))
        except Exception as exc:  # a file that breaks the reader must not stop the others
            failures.append((path, RecordError(str(path), "", f"无法读取或计算（{type(exc).__name__}）")))

    def start_loading(self) -> None:
        """The list from the index and the first screenful of the records it does not vouch for
        now, before the first frame (so it is not drawn empty and drawn again); the rest of those
        in a thread, handed to the list in batches. Of the index's lines, those on screen are
        checked against their files now, the others in the thread before anything else (until
        then the list draws them without figures, and the year line waits)."""
        files, rows = self._list_from_index()  # recovers an interrupted save first
        unlisted = [Path(key) for key in files if key not in self.listed]
        first, rest = unlisted[:FIRST_BATCH], unlisted[FIRST_BATCH:]
        batch: list = []
        failures: list = []
        for path in first:
            self._read(path, batch, failures, None)
        self._add_batch(batch, failures, len(first), len(unlisted), entries_of(rows), set(rows))
        shown = self.main.list.on_screen(self.main.app.size.height)
        self._check(rows, [k for k in shown if k in self.main.list.unchecked], len(first), len(unlisted))
        unchecked, entries = self.main.list.unchecked, self.main.list.entries
        # After the first frame: a thread started now would share the GIL with drawing it.
        self.main.call_after_refresh(self.load_records, files, rest, len(first), len(unlisted),
                                     [(key, rows[key], entries[key]) for key in files if key in unchecked])

    def _list_from_index(self) -> tuple[list[str], dict[str, tuple]]:
        """The record files (as keys), and the index's row of every one it has one for
        (tui.store.index): the whole list, with totals, sortable before any record is read."""
        files, rows, self._index = self.main.workspace.listing(check=False)
        self.listed = set(rows)
        if rows:
            self.main.list.expect(files)
        return files, rows

    def _check(self, rows: dict[str, tuple], keys: list[str], done: int, count: int) -> None:
        """Check the index's lines of `keys` against their files now: those still true are shown;
        a file changed since is read now, and its line made from the record."""
        assert self._index is not None
        entries = self.main.list.entries  # a row that can't be read (fill): its file is read
        stale = [key for key in keys if not (self._index.vouches(key, rows[key]) and entries[key].fill())]
        self.main.list.mark_checked(set(keys) - set(stale))
        if stale:
            self.listed.difference_update(stale)
            batch: list = []
            failures: list = []
            for key in stale:
                self._read(Path(key), batch, failures, None)
            self._add_batch(batch, failures, done, count)

    def load_records(self, files: list[str], rest: list[Path], before: int, count: int,
                     unchecked: list[tuple[str, tuple, Entry]]) -> None:
        # Described: a worker otherwise takes its repr, here of 10,000 lines (each read for it)
        self.main.run_worker(partial(self._load_records, files, rest, before, count, unchecked),
                             thread=True, exclusive=True, group="load", name="载入项目", description="载入项目")

    def _load_records(self, files: list[str], rest: list[Path], before: int, count: int,
                      unchecked: list[tuple[str, tuple, Entry]]) -> None:
        """Check the index's lines not checked yet against their files (a file changed since is
        read with the others); read the records the index did not list in a thread; then those
        listed that have a draft (to offer it back), then look for drafts of new projects."""
        worker = get_current_worker()
        assert self._index is not None
        stale = []
        for key, row, entry in unchecked:
            if worker.is_cancelled:
                return
            # Its figures read here, not in the UI thread when it is drawn; a damaged row is stale
            if not (self._index.vouches(key, row) and entry.fill()):
                stale.append(key)
        if unchecked:
            self.listed.difference_update(stale)  # read below, as those the index did not list
            checked = {key for key, _row, _entry in unchecked}.difference(stale)
            self.main.app.call_from_thread(self._checked, checked)
            rest, count = [Path(key) for key in stale] + rest, count + len(stale)
        batch: list = []
        failures: list = []
        last, interval = time.monotonic(), BATCH_SECONDS
        given = last
        drafted = set(self.main.workspace.drafted([Path(key) for key in files]))
        for done, path in enumerate(rest, before + 1):
            if worker.is_cancelled:  # the app is closing
                return
            self._read(path, batch, failures, drafted)
            now = time.monotonic()
            if now - given > YIELD_SECONDS:
                # Hand the GIL to the UI now and then: keys stay quick while loading. Not after
                # every file: each sleep(0) may give the core away to another process too, and
                # on a busy machine 10,000 of them added seconds.
                time.sleep(0)
                given = now
            if now - last > interval:
                self.main.app.call_from_thread(self._add_batch, batch, failures, done, count)
                batch, failures, last = [], [], now
                interval = min(interval * 2, BATCH_MOST)
        for path in drafted:
            if str(path) in self.listed:
                self._read(path, batch, failures, drafted)
        orphans = []
        for path in self.main.workspace.orphan_drafts():
            draft = self.main.workspace.read_draft(path)
            if draft is not None:
                try:
                    orphans.append((path, draft, self.main.rules_for(draft.rules)))
                except RulesError:
                    orphans.append((path, draft, self.main.rules_for("default")))
        self._index.close()  # keeps the rows of the records read
        self.main.app.call_from_thread(self._add_batch, batch, failures, count, count)
        self.main.app.call_from_thread(self._load_done, orphans)

    def _checked(self, keys: set[str]) -> None:
        if self.main.is_attached:
            self.main.list.mark_checked(keys)
            if not self.main.list.unchecked:
                self.main.update_year_line()

    def _add_batch(self, batch: list, failures: list, done: int, count: int, listed=(),
                   unchecked: set[str] | None = None) -> None:
        if not self.main.is_attached:  # the app closed while the thread was reading
            return
        entries = list(listed)
        failures = list(failures)
        for loaded, rules, assessment, draft in batch:
            key = str(loaded.path)
            if key in self.main.docs:  # opened meanwhile (a line found stale): the editor's line
                pass
            elif key not in self.listed:
                try:
                    entries.append(entry_for(key, loaded.project, assessment, loaded.path.name,
                                             False))
                except Exception as exc:  # never left out of the list silently: listed as failed
                    failures.append((loaded.path, RecordError(str(loaded.path), "",
                                                              f"无法显示（{type(exc).__name__}）")))
                    continue
            elif key not in self.main.loaded:
                self._took(key, loaded, assess(loaded.project, rules))
            self.main.loaded.setdefault(key, loaded)  # one opened (or saved) meanwhile stays as it is
            self.main.rules.setdefault(loaded.project.rules, rules)
            if draft is not None and draft != loaded.project:
                self._recoveries.append((key, draft, False))
        opened = False
        if entries:
            self.main.list.add(entries, unchecked)
            if self.main.current is None and self.main.list.current_key is not None:
                self.main.open(self.main.list.current_key)  # now, not on the list's message: one frame
                opened = self.main.current is not None  # which added up the year line
        if failures:
            self._lost(failures)
        # Loaded records live as long as the app: move them out of the collector's sight. Measured
        # with 1,000 records, full collections otherwise stall the UI 100-150 ms each.
        gc.freeze()
        self.main.left.show_progress(done, count)
        if not opened or failures:  # (10,000 lines added up twice cost a start 10-20 ms)
            self.main.update_year_line()

    # -- records read when needed ----------------------------------------------------------------

    def record(self, key: str) -> tuple[Loaded, Assessment | None]:
        """A listed project's record and, if read now (its line came from the index), its
        assessment. RecordError or RulesError if unreadable (its line then leaves the list)."""
        loaded = self.main.loaded.get(key)
        if loaded is not None:
            return loaded, None
        [(key, found)] = self._read_keys([key])
        if isinstance(found, Exception):
            self._lost([(Path(key), found)])
            raise found
        return self._took(key, *found), found[1]

    def take_disk_changes(self, key: str) -> None:
        """A project read earlier whose file changed behind the app since (another program, a
        colleague's git pull) opens as the file is now, never with the figures read before; one
        with unsaved edits keeps them (its save then asks: ChangedOnDisk). One file read and
        hashed per opening."""
        main = self.main
        doc, loaded = main.docs.get(key), main.loaded.get(key)
        if doc is not None:
            if not main.is_dirty(key) and doc.changed_on_disk():
                del main.docs[key]  # made again from the file when opened
                main.loaded.pop(key, None)
        elif loaded is not None and main.workspace.changed(loaded):
            del main.loaded[key]  # read again, and its list line made again, when opened

    def rescan(self) -> tuple[int, int]:
        """Ctrl+R: the folder as it is now, (added, gone). Files added since it was read are listed
        (from the index where it vouches for them, else read), files gone leave the list (one
        opened in the editor stays, as `_lost` keeps it); one unreadable is tried again."""
        main = self.main
        files, rows, index = main.workspace.listing(check=False)  # recovers an interrupted save first
        present = set(files)  # a file an open project holds is listed under its key (``new:…``)
        held = {str(doc.path) for doc in main.docs.values() if doc.path and not doc.never_saved}
        added = [key for key in files if key not in main.list.entries and key not in held]
        gone = [key for key in main.list.entries if key not in present and key not in main.docs]
        entries: list = []
        batch: list = []
        failures: list[tuple[Path, Exception]] = []
        self._index = index  # this pass's: _read keeps the rows of the records it reads
        try:
            vouched = {key: rows[key] for key in added if key in rows and index.vouches(key, rows[key])}
            entries = [entry for entry in entries_of(vouched) if entry.fill()]  # a damaged row: read
            taken = {entry.key for entry in entries}
            # One listed before, gone and back (its line lost meanwhile), is read whole, assessed
            self.listed = self.listed.difference(added) | taken
            for key in added:
                if key not in taken:  # read as the start reads (a bundle skipped, any failure listed)
                    self._read(Path(key), batch, failures, set())
        finally:
            index.close()  # keeps the rows of the records read
        for loaded, rules, assessment, _draft in batch:
            key = str(loaded.path)
            entries.append(entry_for(key, loaded.project, assessment, loaded.path.name, False))
            main.loaded[key] = loaded
            main.rules.setdefault(loaded.project.rules, rules)
        tried = set(added) | {str(getattr(f, "file", "")) for f in main.failures} - present
        main.failures[:] = [f for f in main.failures if str(getattr(f, "file", "")) not in tried]
        for key in gone:
            main.list.entries.pop(key, None)
            main.loaded.pop(key, None)
        main.list.expect(files)
        main.list.add(entries)  # a rebuild: the lines gone leave
        self._lost(failures)  # shows the failures as they are now
        main.update_year_line()
        return len(entries), len(gone)

    def unread(self, keys: Iterable[str] | None = None) -> list[str]:
        """The keys (default: every listed project) whose record has not been read yet."""
        keys = self.main.list.entries if keys is None else keys
        return [k for k in keys if k not in self.main.loaded and k not in self.main.docs]

    async def read_all(self, keys: Iterable[str] | None = None) -> None:
        """Read, in a thread, the records not read yet (default: every listed one): before an
        export, an import's comparison, the year's summary, next year's records."""
        missing = self.unread(keys)
        if missing:
            self._hand_over(await asyncio.to_thread(self._read_keys, missing))

    def with_records(self, keys: Iterable[str] | None, then: Callable[[], object]) -> None:
        """Call `then` once the records of `keys` (default: all) are read: at once when few are
        missing, else after reading them in a thread (the UI stays live meanwhile)."""
        missing = self.unread(keys)
        if len(missing) < READ_NOW:
            self._hand_over(self._read_keys(missing))
            then()
        else:
            self._read_then(missing, then)

    def _read_then(self, missing: list[str], then: Callable[[], object]) -> None:
        self.main.run_worker(self._reading_then(missing, then), exclusive=True, group="read-records")

    async def _reading_then(self, missing: list[str], then: Callable[[], object]) -> None:
        self.main.say(f"读取 {len(missing)} 个项目…", timeout=2)
        self._hand_over(await asyncio.to_thread(self._read_keys, missing))
        then()

    def _read_keys(self, keys: list[str]) -> Found:
        return read_keys(self.main.workspace, self.main.rules_for, keys)  # screens/reading.py

    def _hand_over(self, found: Found) -> None:
        lost = []
        for key, result in found:
            if isinstance(result, Exception):
                lost.append((Path(key), result))
            elif key not in self.main.loaded and key not in self.main.docs:  # opened meanwhile: as it is
                self._took(key, *result)
        if lost:
            self._lost(lost)
        gc.freeze()

    def _took(self, key: str, loaded: Loaded, assessment: Assessment) -> Loaded:
        """Keep a record read after its line was listed, and make its line again from it: a file
        changed since the index was written shows its figures now."""
        self.main.loaded[key] = loaded
        self.main.list.mark_checked([key])  # its line is made from the record if it differs
        old = self.main.list.entries.get(key)
        if old is not None and key not in self.main.docs:
            entry = entry_for(key, loaded.project, assessment, loaded.path.name, False)
            if entry != old:
                self.main.list.update_entry(entry)
                self.main.update_year_line()
        return loaded

    def _lost(self, failures: list[tuple[Path, Exception]]) -> None:
        """Files that can't be read (now): listed with their reason; a line listed for one from
        the index is taken out (never a stale line). One open in the editor stays."""
        gone = [str(path) for path, _exc in failures
                if str(path) in self.main.list.entries and str(path) not in self.main.docs]
        for key in gone:
            self.main.list.entries.pop(key, None)
        if gone:
            self.main.list.add([])
            self.main.update_year_line()
        for path, problem in failures:
            if isinstance(problem, NotARecord):  # a bundle now: its line goes, as a start skips it
                continue
            self.main.failures.append(problem if isinstance(problem, RecordError)
                                 else RecordError(str(path), "", str(problem)))
        self.main.left.show_failures(self.main.failures)

    def _load_done(self, orphans: list) -> None:
        if not self.main.is_attached:
            return
        self.main.reading = False
        # A line found stale whose file, read again, is no record now (a bundle): none is left.
        if gone := self.main.list.unchecked - self.main.docs.keys():
            for key in gone:
                self.main.list.entries.pop(key, None)
            self.main.list.add([])
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
        from tui.ui.screens.recovery import offer_recovery

        self.main.run_worker(offer_recovery(self.main, self._recoveries, self.after), exclusive=True,
                             group="recovery")
