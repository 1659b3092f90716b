"""The index of a records folder: each record's summary (figures, grade, problems), kept in SQLite
under ``.zipin/index.sqlite`` so that a folder of thousands of records is not parsed again at
every start. No Textual.

It is a cache, and only a cache:
- A row is used only while its file is the one it was made from: same size, mtime_ns, ctime_ns
  and inode. Where that can't tell (the file was modified within `RACY_NS` of being read, so a
  same-size change in the same clock tick would keep every one of them, git's "racily clean"
  case), the file's bytes are read and their SHA-256 compared with the row's; a row that passes
  is then re-stamped, and stops being racy.
- Rows also depend on how records are scored: the program's scoring code and every rule
  profile. Their fingerprint is kept; when it changes, every row is dropped.
- Deleting it loses nothing; a corrupt one is deleted and rebuilt; a folder where it can't be
  written (read-only, a full disk, locked by another process) works without it, at the old speed.

    with FolderIndex(folder) as index:
        found, failures = index.summaries(files)    # [(path, summary dict)], [(path, error)]
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path

from tui import __version__
from tui.core.editing import label
from tui.core.format import fixed, plain
from tui.printed.layout import LayoutError, load_layout
from tui.core.model import Project
from tui.core.rules import Rules, RulesError, load_rules
from tui.store.atomic import file_digest
from tui.store.codec import RecordError
from tui.store.indexline import Line, pack, stamp_in, stamp_of, unpack
from tui.store.recordfile import Loaded, NotARecord, collector_paused, load
from tui.core.validation import ERROR, Assessment, assess

INDEX = Path(".zipin") / "index.sqlite"
RACY_NS = 2_000_000_000  # 2 s: the coarsest timestamps in use (FAT); finer clocks only re-read more
_SOURCES = ("core/model.py", "core/rules.py", "core/scoring.py", "core/validation.py", "core/format.py",
            "core/bounds.py", "core/editing.py", "core/messages.py", "store/codec.py", "store/recordfile.py",
            "store/index.py", "store/indexline.py", "printed/layout.py", "core/wording.py")


SCHEMA_VERSION = 5  # PRAGMA user_version: another one is dropped and made again
# `line`: the file's stamp, its digest and the list's Line in one text (tui.store.indexline).
_SCHEMA = f"""
DROP TABLE IF EXISTS meta;
DROP TABLE IF EXISTS records;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (file TEXT PRIMARY KEY, sha256 TEXT, seen_ns INTEGER, summary TEXT, line TEXT);
PRAGMA user_version = {SCHEMA_VERSION};
"""
_INSERT = "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)"


def _exact(value) -> str | None:
    return None if value is None else plain(value)


def line_of(project: Project, result: Assessment) -> Line:
    """The record's `Line`: its `summary`'s figures, without making one (as a start does)."""
    sheet, total = result.sheet, project.funding.total
    rules = sheet.rules
    assert rules is not None  # assessed with its profile
    return Line(project.id, project.name, project.year, project.department, project.money_unit,
                _exact(total.adjusted), _exact(total.executed), _exact(sheet.rate),
                _exact(sheet.total), sheet.grade, rules.figure("total").places,
                rules.figure("rate").places, result.error_count)


def summary(loaded: Loaded, folder: Path) -> dict:
    """What `zipin check` and `zipin summary` show of a record: its figures as printed, grade, every
    problem, and the exact figures the year's summary adds up (RulesError: its profile unread)."""
    return assessed(loaded, folder)[1]


class Profiles:
    """The rule profiles and layouts records name, each read once for a pass over a folder
    (a profile file read again for each of 10,000 records cost more than the record)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._read: dict[tuple[str, str], object] = {}  # (kind, name) -> what was read, or why not

    def _get(self, kind: str, name: str, load, error: type[Exception]):
        if (kind, name) not in self._read:
            try:
                self._read[kind, name] = load(name, self.folder)
            except error as exc:
                self._read[kind, name] = exc
        found = self._read[kind, name]
        if isinstance(found, error):
            raise error(*found.args)  # a new one each time: a reraised one keeps every traceback
        return found

    def rules(self, name: str) -> Rules:
        return self._get("rules", name, load_rules, RulesError)

    def layout(self, name: str) -> None:
        """LayoutError if the layout can't be loaded (a record naming it is a failure)."""
        self._get("layout", name, load_layout, LayoutError)


def assessed(loaded: Loaded, folder: Path, profiles: Profiles | None = None,
             ) -> tuple[Assessment, dict]:
    """The record's assessment and its `summary` (`profiles`: those read for this pass)."""
    result = scored(loaded, profiles or Profiles(folder))
    return result, summary_of(loaded.project, result)


def scored(loaded: Loaded, profiles: Profiles) -> Assessment:
    """The record's assessment with the profile it names (RulesError, or LayoutError for a
    layout no folder has)."""
    project = loaded.project
    rules = profiles.rules(project.rules)
    if project.layout:
        profiles.layout(project.layout)  # a layout it names and no folder has: a failure
    return assess(project, rules)


def summary_of(project: Project, result: Assessment) -> dict:
    """`summary` of an assessed record."""
    sheet = result.sheet
    rules = sheet.rules
    assert rules is not None  # assessed with its profile
    show = rules.show
    places = rules.figure("indicator_score").places  # rules.show's, looked up once for the rows
    total = project.funding.total
    return {
        "name": project.name, "year": project.year,
        "rate": show(sheet.rate, "rate"), "funding_score": show(sheet.funding_score, "funding_score"),
        "total": show(sheet.total, "total"), "grade": sheet.grade,
        "final": result.final, "total_text": result.total_text, "grade_text": result.grade_text,
        "funding_weight": fixed(sheet.funding_weight),
        "indicators": [{"name": item.name, "weight": fixed(item.weight), "score": fixed(s.score, places),
                        "computed": fixed(s.computed, places)}
                       for item, s in zip(project.indicators, sheet.indicators)],
        "errors": [{"path": p.path, "field": label(p.path), "message": p.message}
                   for p in result.problems if p.level == ERROR],
        "warnings": [{"path": p.path, "field": label(p.path), "message": p.message}
                     for p in result.problems if p.level != ERROR],
        # For the list and the year's summary: exact, amounts in the record's money_unit.
        "id": project.id, "department": project.department, "rules": project.rules,
        "money_unit": project.money_unit,
        "exact": {"adjusted": _exact(total.adjusted), "executed": _exact(total.executed),
                  "rate": _exact(sheet.rate), "funding_score": _exact(sheet.funding_score),
                  "total": _exact(sheet.total)},
        "places": [rules.figure("total").places, rules.figure("rate").places],
    }


def fingerprint(folder: Path) -> str:
    """What every summary depends on besides its file: this program's scoring code and version,
    the built-in profiles and layouts and the folder's own (profiles/*.toml, layouts/*.toml)."""
    h = hashlib.sha256(__version__.encode())
    here = Path(__file__).parents[1]  # the package, tui/
    paths = [here / name for name in _SOURCES]
    for kind, builtin in (("profiles", "core/profiles"), ("layouts", "printed/layouts")):
        # how records are scored, and the layouts they name
        paths += sorted((here / builtin).glob("*.toml")) + sorted((Path(folder) / kind).glob("*.toml"))
    for path in paths:
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"(unreadable)")
    return h.hexdigest()


def _line(packed: str) -> Line | None:
    """The `Line` of a packed row, None if the row is damaged (then the record is read)."""
    try:
        return unpack(packed)
    except (ValueError, TypeError):
        return None


class FolderIndex:
    """The index of one folder; `db` is None when it can't be used (then everything is read)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / INDEX
        self.db: sqlite3.Connection | None = None
        self.hits = self.misses = 0
        self._fresh: list[tuple] = []  # rows to store at the next flush
        self._restamp: list[tuple] = []  # rows found unchanged by their digest: no longer racy
        self.profiles = Profiles(self.folder)
        # Made only when there is a row to keep: opening an empty folder leaves no .zipin/.
        self._may_create = not self.path.exists()
        if not self._may_create:
            self._connect()

    def _connect(self) -> None:
        self._may_create = False
        try:
            self.db = self._open()
        except (sqlite3.Error, OSError):
            self._discard()
            try:
                self.db = self._open()  # corrupt: start again
            except (sqlite3.Error, OSError):
                self.db = None  # read-only folder, full disk: work without it

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(exist_ok=True)
        # One thread at a time, not always the same one (the app lists in its UI thread, then
        # reads the changed files in its loading thread).
        db = sqlite3.connect(self.path, timeout=1.0, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA synchronous = OFF")  # a cache: a crash may lose it, never data
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                db.executescript(_SCHEMA)
            now = fingerprint(self.folder)
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != now:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM records")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (now,))
                db.execute("COMMIT")
            db.execute("SELECT count(*) FROM records").fetchone()  # a damaged file fails here
        except BaseException:
            db.close()
            raise
        return db

    def _discard(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError:
                pass

    def close(self) -> None:
        self.flush()
        if self.db is not None:
            self.db.close()
            self.db = None

    def __enter__(self) -> FolderIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _rows(self, prefix: str = "", summaries: bool = False) -> dict[str, tuple]:
        """prefix + file name -> (seen_ns, packed line[, summary])."""
        if self.db is None:
            return {}
        try:  # the keys made by SQLite: a start of 10,000 rows makes no string of its own
            return {r[0]: r[1:] for r in self.db.execute(
                f"SELECT ? || file, seen_ns, line{', summary' if summaries else ''} FROM records",
                (prefix,))}
        except sqlite3.Error:
            return {}

    def summaries(self, files: list[Path], progress=None) -> tuple[list, list]:
        """(path, summary) of each record of `files` in order, a bundle skipped, and (path, RecordError or
        RulesError) of the others; reads only files whose row is missing or stale. `progress(done, total)`."""
        out: list[tuple[Path, dict]] = []
        failures: list[tuple[Path, Exception]] = []
        with collector_paused():
            cached = self.cached(files)
            for done, path in enumerate(files, 1):
                found = cached.get(path)
                if found is None:
                    try:
                        found = self.read(path, bundles=False)[2]
                    except NotARecord:  # told by its first line as it is read: no failure
                        pass
                    except (RecordError, RulesError, LayoutError) as exc:
                        failures.append((path, exc))
                if found is not None:
                    out.append((path, found))
                if progress is not None:
                    progress(done, len(files))
        self.flush()
        return out, failures

    def listing(self, check: bool = True, names: list[str] | None = None) -> tuple[list[str], dict]:
        """The folder's `*.toml` files (records, and any bundle among those the index has no row
        for: `read` tells them), and the list's `Line` of each the index still vouches for.
        Paths as text (the app's keys): a Path for each of 10,000 files cost more than its stat.
        `check=False`: the row of each it has one for, not checked against its file yet (each
        by `vouches(path, row)` before its line is shown or used; `unpack(row[1])`: its Line)."""
        if names is None:  # `names`: those the caller found, in order
            try:
                names = sorted(e.name for e in os.scandir(self.folder)
                               if e.name.endswith(".toml") and e.is_file())
            except OSError:
                return [], {}
        prefix = str(self.folder / "_")[:-1]  # as str(folder / name) spells a key: "" for "."
        rows = self._rows(prefix)
        files = [prefix + name for name in names]
        if not check:
            return files, {path: row for path in files if (row := rows.get(path)) is not None}
        # Those it does not vouch for are not opened here to tell a bundle: `read` does, as it
        # reads them (NotARecord).
        return files, {path: line for path in files if (row := rows.get(path)) is not None
                       and self.vouches(path, row) and (line := _line(row[1])) is not None}

    def vouches(self, path: str, row: tuple) -> bool:
        """The file of a row `listing(check=False)` gave is still the one it was made from."""
        return self._vouches(path, row[0], row[1])

    def cached(self, files: list[Path]) -> dict[Path, dict]:
        """The summaries of those `files` whose row is still theirs; reads no record (only the
        bytes of a racily clean one, to compare its digest)."""
        rows = self._rows(summaries=True)  # by file name
        out = {}
        for path in files:
            row = rows.get(path.name)
            # A row without a summary: the app's start made it (its line only)
            if row is not None and row[2] is not None and self._vouches(path, row[0], row[1]):
                try:
                    out[path] = json.loads(row[2])
                except ValueError:  # a damaged row: the record is read
                    pass
        return out

    def read(self, path: Path, summary: bool = True, bundles: bool = True,
             ) -> tuple[Loaded, Assessment, dict | None]:
        """Read a record, assess it and make its summary (`summary=False`: its list line only,
        as the app's start does; `cached` then reads it again); the row is kept for `flush`.
        RecordError (also for an OS error, in words) or RulesError if it can't be read or scored;
        `bundles=False`: NotARecord for a bundle (a file `listing` gave)."""
        self.misses += 1
        seen = time.time_ns()
        try:
            st = os.stat(path)  # before reading: a change after it makes the row stale, never wrong
        except OSError as exc:
            raise RecordError(str(path), "", f"无法读取（{exc.strerror or exc}）") from None
        loaded = load(path, bundles)
        result = scored(loaded, self.profiles)
        found = summary_of(loaded.project, result) if summary else None
        self._fresh.append((path.name, loaded.digest, seen,
                            None if found is None else json.dumps(found, ensure_ascii=False),
                            pack(stamp_of(st), loaded.digest, line_of(loaded.project, result))))
        return loaded, result, found

    def _vouches(self, path: Path | str, seen_ns: int, packed: str) -> bool:
        """The file is still the one its row was made from."""
        try:
            stamp, sha256 = stamp_in(packed)
            st = os.stat(path)
        except (OSError, ValueError):  # ValueError: a damaged row
            return False
        if stamp_of(st) != stamp:
            return False
        if st.st_mtime_ns + RACY_NS >= seen_ns:  # racily clean: only the bytes can tell
            now = time.time_ns()
            try:
                with open(path, "rb") as f:
                    if file_digest(f.read()) != sha256:
                        return False
            except OSError:
                return False
            self._restamp.append((now, os.path.basename(path), sha256))
        self.hits += 1
        return True

    def flush(self) -> None:
        """Store the rows made or re-stamped since the last flush (best effort: a cache)."""
        fresh, self._fresh = self._fresh, []
        restamp, self._restamp = self._restamp, []
        self._store(fresh, restamp)

    def _store(self, fresh: list, restamp: list) -> None:
        if fresh and self._may_create:
            self._connect()
        if self.db is None or not (fresh or restamp):  # rows of deleted files wait: harmless
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(_INSERT, fresh)
            self.db.executemany("UPDATE records SET seen_ns = ? WHERE file = ? AND sha256 = ?",
                                restamp)
            gone = [(n,) for (n,) in self.db.execute("SELECT file FROM records")
                    if not (self.folder / n).exists()]
            self.db.executemany("DELETE FROM records WHERE file = ?", gone)
            self.db.execute("COMMIT")
        except sqlite3.Error:  # locked by another zipin, disk full: the rows are only a cache
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
