"""File names for new records: a safe stem from whatever a project is called, and a free path."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tui.core.model import Project


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


STEM_BYTES = 180  # ".STEM-9999.toml.zipin-draft" and its temp name must fit NAME_MAX bytes


def safe_stem(name: str, limit: int = 60) -> str:
    """A file name stem from a project name, whatever it holds: no separators, no control
    characters, no leading dots, not a reserved name, at most `limit` characters and STEM_BYTES
    bytes of UTF-8 (sixty emoji or CJK Extension B characters are 240 bytes)."""
    stem = re.sub(r"_+", "_", _UNSAFE.sub("_", unicodedata.normalize("NFC", name)))
    stem = stem.strip(" ._")[:limit]
    while len(stem.encode("utf-8")) > STEM_BYTES:
        stem = stem[:-1]
    stem = stem.strip(" ._")
    if not stem or stem.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}:
        stem = f"项目_{stem}" if stem else "项目"
    return stem


_ORDER = re.compile(r"^\d{1,3}[-_. ]")  # not 2023-…: a year is no order


def order_prefix(path: Path | str | None) -> str:
    """The ordering prefix a record's file name starts with (“01-” of 01-残疾人基本保障和帮扶经费.toml),
    else "": a folder a person numbered keeps its order in the files made from it."""
    match = _ORDER.match(Path(path).name) if path else None
    return match.group(0) if match else ""


def new_path(folder: Path, project: Project, taken: set[Path] | None = None, prefix: str = "") -> Path:
    """A free path in `folder` for a new record, named after the project (after `prefix`, an
    ordering prefix from `order_prefix`); never one that exists or is in `taken`."""
    stem = prefix + safe_stem(project.name)
    taken = taken or set()
    for n in range(1, 10_000):
        candidate = Path(folder) / (f"{stem}.toml" if n == 1 else f"{stem}-{n}.toml")
        if candidate not in taken and not candidate.exists():
            return candidate
    raise RuntimeError("too many files with the same name")  # pragma: no cover
