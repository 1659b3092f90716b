"""Drafts: unsaved edits written beside the record (`.NAME.toml.zipin-draft`) so they survive a
crash, and offered back on the next start."""

from __future__ import annotations

from pathlib import Path

from tui.core.model import Project
from tui.store.atomic import NAME_MAX, TEMP_EXTRA, atomic_write
from tui.store.codec import RecordError
from tui.store.recordfile import dumps, load, record_files

DRAFT_SUFFIX = ".zipin-draft"


def draft_path(path: Path) -> Path:
    """`.NAME.toml.zipin-draft` beside the record; NAME cut (as a temp name is) so that the draft
    and its own temp file fit NAME_MAX bytes."""
    path = Path(path)
    room = NAME_MAX - TEMP_EXTRA - len(DRAFT_SUFFIX) - len(path.suffix.encode("utf-8")) - 1
    stem = path.name[:len(path.name) - len(path.suffix)]
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return path.with_name(f".{stem}{path.suffix}{DRAFT_SUFFIX}")


def write_draft(project: Project, path: Path) -> None:
    atomic_write(draft_path(path), dumps(project, path))


def remove_draft(path: Path) -> None:
    draft = draft_path(path)
    try:
        draft.unlink(missing_ok=True)
    except OSError:
        # A read-only file system answers EROFS even when there is no draft to remove.
        if draft.exists() or draft.is_symlink():
            raise


def read_draft(path: Path) -> Project | None:
    """The unsaved draft of `path`, if one is there and readable."""
    draft = draft_path(path)
    if not draft.exists():
        return None
    try:
        return load(draft).project
    except RecordError:
        return None


def orphan_drafts(folder: Path) -> list[Path]:
    """Drafts whose record file does not exist (new projects never saved): the paths they'd have."""
    out: list[Path] = []
    drafts = sorted(Path(folder).glob(f".*.toml{DRAFT_SUFFIX}"))
    if not drafts:
        return out
    owned = {draft_path(p) for p in record_files(folder)}  # a long name's draft name is cut
    for draft in drafts:
        original = draft.with_name(draft.name[1:-len(DRAFT_SUFFIX)])
        if draft not in owned and not original.exists():
            out.append(original)
    return out
