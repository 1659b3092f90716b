"""Writing a file so that a crash leaves the old one or the new one, never half of either: a temp
file beside it, fsynced, renamed over it, the folder synced; the folder lock that makes a save's
check-then-rename one step between processes and threads; the digest a save checks a file against."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path


def file_digest(data: bytes) -> str:
    """The sha256 of a record file's bytes: what a save checks the file against (changed on disk?).
    Not canonical.record_digest, which hashes the record's canonical form, however it was written."""
    return hashlib.sha256(data).hexdigest()


def is_digest(value) -> bool:
    """Whether `value` is a sha256 as written here: 64 lowercase hexadecimal digits."""
    return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None


def current_digest(path: Path) -> str | None:
    try:
        return file_digest(Path(path).read_bytes())
    except FileNotFoundError:
        return None


# Read once, at import: os.umask can only be read by setting it, which is not thread-safe later.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


NAME_MAX = 255  # bytes in one file name (ext4, xfs, btrfs, APFS; NTFS counts 255 UTF-16 units)
# A temp file is named ".NAME.XXXXXXXX.tmp" (mkstemp's 8 random characters): 14 bytes more.
TEMP_EXTRA = len("." + "." + "12345678" + ".tmp")


def temp_prefix(path: Path) -> str:
    """'.NAME.' for the temp file of `path`; NAME's stem is cut (whole characters) so the temp
    name fits NAME_MAX bytes, its suffix (.toml, .zipin-draft, .json) kept: a long name that
    fits may still be saved, and the temp is still recognisably zipin's own."""
    stem, suffix = path.name[:len(path.name) - len(path.suffix)], path.suffix
    room = NAME_MAX - TEMP_EXTRA - len(suffix.encode("utf-8"))
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return f".{stem}{suffix}."


def write_temp(path: Path, text: str) -> Path:
    """Write beside the target (same filesystem, so the rename is atomic) and fsync."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; the saved file keeps the mode the old one had, and a new
        # one gets what any program's new file gets (0666 less the umask), as editors do.
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, text: str) -> None:
    path = Path(path)
    tmp = write_temp(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_dir(path.parent)


_held = threading.local()  # the folders this thread holds the lock of (re-entry is a no-op)
_in_process: dict[str, threading.Lock] = {}  # one per folder: threads of one process queue here
_in_process_guard = threading.Lock()


@contextmanager
def folder_lock(folder: Path):
    """Serialise check-then-rename between processes saving into one folder (flock on the folder
    itself, so no lock file is left behind), and between threads of this process. Re-entrant in
    one thread: an import holds it from its last check to its last rename, and the saves it makes
    take it again. Where there is no flock, saves stay atomic but two writers racing within
    milliseconds are not caught."""
    key = os.path.realpath(folder)
    held = _held.__dict__.setdefault("folders", set())
    if key in held:
        yield
        return
    with _in_process_guard:
        local = _in_process.setdefault(key, threading.Lock())
    with local:
        held.add(key)
        try:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - Windows
                yield
                return
            fd = os.open(folder, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing the descriptor releases the lock
        finally:
            held.discard(key)
