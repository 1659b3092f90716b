"""The save-all journal: several renames made all or none, even across a crash. `rename_staged`
writes the journal, renames and removes it; `recover` (run by load_folder) finishes the renames of
a writer that died, and removes the temp files of saves that died."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path

from tui.store.atomic import (atomic_write, current_digest, file_digest, folder_lock, is_digest, sync_dir,
                              temp_prefix)


JOURNAL_GLOB = ".zipin-journal.*.json"


def rename_staged(staged: list[tuple[Path, Path, str, bytes | None]], home: Path) -> None:
    journal = home / JOURNAL_GLOB.replace("*", uuid.uuid4().hex)
    # Each rename with the digest its target has now (None: absent): recovery rolls a rename
    # forward only onto that file, never onto a newer save made after this writer died.
    atomic_write(journal, json.dumps([[os.path.relpath(tmp, home), os.path.relpath(path, home),
                                       file_digest(old) if old is not None else None]
                                      for tmp, path, _t, old in staged], ensure_ascii=False))
    done: list[tuple[Path, bytes | None]] = []
    try:
        for tmp, path, _text, old in staged:
            os.replace(tmp, path)
            done.append((path, old))
    except BaseException:
        journal.unlink(missing_ok=True)
        for path, old in done:
            if old is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, old.decode("utf-8"))
        raise
    for folder in {path.parent for _t, path, _x, _o in staged}:
        sync_dir(folder)
    journal.unlink(missing_ok=True)
    sync_dir(home)


def _is_temp_of(tmp: Path, target: Path) -> bool:
    """Whether `tmp` is a name `write_temp` gives a temp file of the record `target`."""
    if tmp.parent != target.parent or target.suffix != ".toml":
        return False
    m = re.fullmatch(r"(\..*\.toml\.)[A-Za-z0-9_]+\.tmp", tmp.name)
    return m is not None and m.group(1) == temp_prefix(target)


def recover(folder: Path) -> int:
    """Finish the renames of a `save_all` that a crash interrupted (its journal is in `folder`).
    Returns how many files it put in place."""
    folder = Path(folder)
    if not _leftovers(folder):  # one look at the folder, not a glob for each kind
        return 0
    if not any(folder.glob(JOURNAL_GLOB)) and not _stale_temps(folder):
        return 0
    # Under the folder's lock: a live save_all holds it from its journal to its cleanup, so a
    # journal seen here is one whose writer died (else we'd finish renames under its feet).
    with folder_lock(folder):
        moved = _recover(folder)
        named = set()
        for journal in folder.glob(JOURNAL_GLOB):  # journals left for later keep their temp files
            try:
                named |= {folder / entry[0] for entry in json.loads(journal.read_text(encoding="utf-8"))}
            except (OSError, ValueError, TypeError):
                pass
        for tmp in _stale_temps(folder):
            if tmp not in named:
                try:
                    tmp.unlink(missing_ok=True)
                except OSError:  # a read-only folder: left for a later session
                    pass
        return moved


STALE_TEMP_SECONDS = 600


# zipin's own temp files (see write_temp): of a record, a draft or a journal. Nothing else is
# ever removed: a user's ".my-notes.tmp" is not ours.
_OWN_TEMP = re.compile(r"\..+\.(?:toml|zipin-draft|json)\.[A-Za-z0-9_]+\.tmp")


def leftover(name: str) -> bool:
    """A name a dead save may have left in a folder: a journal or a temp file."""
    return name[0] == "." and (name.endswith(".tmp") or name.startswith(".zipin-journal."))


def _leftovers(folder: Path) -> list[str]:
    """Names in the folder that a dead save may have left."""
    try:
        with os.scandir(folder) as found:
            return [e.name for e in found if leftover(e.name)]
    except OSError:
        return []


def _stale_temps(folder: Path) -> list[Path]:
    """Temp files of saves that died (a kill mid-write), old enough that no live save owns them."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    out = []
    for tmp in folder.glob(".*.tmp"):
        try:
            if _OWN_TEMP.fullmatch(tmp.name) and tmp.is_file() and tmp.stat().st_mtime < cutoff:
                out.append(tmp)
        except OSError:
            pass
    return out


def _journal_entries(journal: Path) -> list[tuple[Path, Path, str | None | bool]] | None:
    """(temp, target, the target's digest before) per rename of a journal; the digest is False in
    a journal of an older zipin that did not write it. None: not a journal of ours."""
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
        out = []
        for entry in entries:
            tmp, target, *rest = entry
            before = rest[0] if rest else False
            if not (isinstance(tmp, str) and isinstance(target, str)
                    and (before is None or before is False or is_digest(before))):
                return None
            out.append((journal.parent / tmp, journal.parent / target, before))
        return out
    except (OSError, ValueError, TypeError):
        return None  # not ours to judge; a journal is written atomically, so this is foreign


def _recover(folder: Path) -> int:
    moved = 0
    for journal in sorted(folder.glob(JOURNAL_GLOB)):
        pairs = _journal_entries(journal)
        if pairs is None or not all(_is_temp_of(tmp, target) for tmp, target, _d in pairs):
            continue  # only ever a record's own temp file onto that record: never move other files
        for tmp_path, target_path, before in pairs:
            if not tmp_path.exists():
                continue
            if before is not False and current_digest(target_path) != before:
                # The file was saved again after the writer died (an app that opened the folder
                # without recovering): the newer save wins; the dead writer's temp goes.
                tmp_path.unlink(missing_ok=True)
                continue
            try:
                os.replace(tmp_path, target_path)
            except OSError:  # e.g. a folder in the way: leave both, and the journal, as they are
                break
            moved += 1
        else:
            for parent in {target.parent for _tmp, target, _d in pairs}:
                sync_dir(parent)
            journal.unlink(missing_ok=True)
    return moved
