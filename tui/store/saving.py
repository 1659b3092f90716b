"""Saving records: one (`save`) or several all or none (`save_all`, through the journal), each
refused with ChangedOnDisk if its file is not what was loaded. A saved record's draft goes."""

from __future__ import annotations

import os
from pathlib import Path

from tui.core.messages import visible
from tui.core.model import Project
from tui.store.atomic import current_digest, file_digest, folder_lock, sync_dir, write_temp
from tui.store.drafts import remove_draft
from tui.store.journal import rename_staged
from tui.store.recordfile import Loaded, dumps, ensure_folder_schema


class ChangedOnDisk(RuntimeError):
    """The file changed (or appeared) since it was loaded; saving would overwrite someone's work."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(visible(f"{path}：文件在磁盘上已被修改（或已存在），未保存，以免覆盖"))


def _with_bom(path: Path, text: str) -> str:
    """A record saved with a UTF-8 BOM (as Notepad does) keeps it: saved unedited, it stays
    byte-identical."""
    try:
        with path.open("rb") as f:
            bom = f.read(3) == b"\xef\xbb\xbf"
    except OSError:
        bom = False
    return "\ufeff" + text if bom and not text.startswith("\ufeff") else text


def save(project: Project, path: Path, expected: str | None) -> Loaded:
    """Save atomically. `expected` is the digest the file had when loaded (None: a new file);
    if the file on disk is not that, nothing is written and ChangedOnDisk is raised. The temp file
    is written first, so the check and the rename happen together under the folder's lock."""
    path = Path(path)
    text = _with_bom(path, dumps(project, path))
    tmp = write_temp(path, text)
    try:
        with folder_lock(path.parent):
            if current_digest(path) != expected:
                raise ChangedOnDisk(path)
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_dir(path.parent)
    remove_draft(path)
    if expected is None:
        ensure_folder_schema(path.parent)  # after the record: a refused save writes nothing
    return Loaded(project, path, file_digest(text.encode("utf-8")))


def save_all(items: list[tuple[Project, Path, str | None]]) -> list[Loaded]:
    """Save several records, all or none, even across a crash.

    Every file is written to an fsynced temp file first. Then, under the lock of the first file's
    folder, every file is checked against the digest it was loaded with, a journal naming the
    renames is written (atomically) beside the first file, the renames are done and the journal is
    removed. A crash before the journal exists leaves every file old; after it, `recover` (run by
    `load_folder`) finishes the renames, so every file is new. A rename that fails is undone."""
    if not items:
        return []
    staged: list[tuple[Path, Path, str, bytes | None]] = []
    home = Path(items[0][1]).parent
    try:
        for project, path, _expected in items:
            path = Path(path)
            text = _with_bom(path, dumps(project, path))
            staged.append((write_temp(path, text), path, text, None))
        with folder_lock(home):
            for _project, path, expected in items:
                if current_digest(path) != expected:
                    raise ChangedOnDisk(Path(path))
            staged = [(tmp, path, text, path.read_bytes() if path.exists() else None)
                      for tmp, path, text, _old in staged]
            rename_staged(staged, home)
    except BaseException:
        for tmp, *_ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for folder in {Path(path).parent for _p, path, expected in items if expected is None}:
        ensure_folder_schema(folder)
    return [Loaded(project, Path(path), file_digest(text.encode("utf-8")))
            for (project, path, _e), (_t, _p, text, _o) in zip(items, staged)]
