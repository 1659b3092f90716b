"""Git merges of record files: the merge driver's work on files, and the conflicts it leaves for
the app's review screen (the one bundle conflicts use). No Textual.

`zipin merge-driver %O %A %B %P` calls `merge_file`: the three versions are read as records, merged
field by field (tui.exchange.merge) and the result written over %A, as git expects. When both sides changed
one field differently, %A still gets a valid record (every conflict settled our way) and the other
way is kept beside it, in ``.zipin/conflicts/NAME.toml`` of the record's folder, with the digest of
what was written. The app finds it there (`merge_plan`) and shows the two versions in the review
screen: B takes theirs, M keeps ours. A conflict git no longer waits on, or whose record file
changed since the merge (resolved by hand, the merge aborted), is forgotten: theirs is in git.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from tui.core.bounds import parse_toml
from tui.exchange.merge import Conflict, merge_records
from tui.core.model import Project
from tui.store.atomic import atomic_write, current_digest
from tui.store.codec import RecordError, record_from_dict, record_to_dict
from tui.store.recordfile import FolderLoad, dumps, loads

CONFLICTS = Path(".zipin") / "conflicts"  # inside a records folder, beside the exchange ledger
FORMAT = 1


@dataclass(frozen=True)
class FileMerge:
    """What `merge_file` did: the conflicts (none: merged cleanly) and where it kept them."""

    conflicts: list[Conflict]
    kept: Path | None = None          # the conflict file written for the app
    note: str = ""                    # why the conflict could not be kept, if so


def read_record(path: Path, source: str) -> dict | None:
    """A version of a record as its canonical dict; None for an empty file (git gives one for a
    side that has no such file). RecordError if it is not a record."""
    data = Path(path).read_bytes()
    if not data.strip():
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError(source, "", "不是 UTF-8 编码的文本") from None
    return record_to_dict(loads(text, source))


def merge_file(base: Path, ours: Path, theirs: Path, name: str) -> FileMerge:
    """Merge the record file `name` (its path from the repository's top, where git runs us): the
    result goes over `ours`, as git's merge drivers do. Raises RecordError (nothing written) if a
    side is not a record: the caller falls back to a merge of lines."""
    o = read_record(base, f"{name}（共同祖先）")
    a = read_record(ours, f"{name}（本方）")
    b = read_record(theirs, f"{name}（对方）")
    if a is None or b is None:
        raise RecordError(name, "", "一方为空文件")
    merged = merge_records(o, a, b)
    project = record_from_dict(merged.ours, name)  # raises before anything is written
    if merged.ours == b and merged.ours != a:
        atomic_write(Path(ours), Path(theirs).read_text(encoding="utf-8"))
    elif merged.ours != a:
        atomic_write(Path(ours), _text(project, Path(ours), name))
    if merged.clean:
        return FileMerge([])
    record_from_dict(merged.theirs, name)
    written = current_digest(Path(ours))
    folder = Path(name).parent
    kept = folder / CONFLICTS / f"{Path(name).name}"
    data = {"format": FORMAT, "file": Path(name).name, "written": written,
            "fields": [c.path for c in merged.conflicts], "theirs": merged.theirs}
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(kept, "# zipin：git 合并冲突中对方的版本，在 zipin 中打开本文件夹选择保留哪一方。\n"
                     + tomli_w.dumps(data, multiline_strings=True))
    except OSError as exc:
        return FileMerge(merged.conflicts, None, f"无法写入 {kept}（{exc.strerror or exc}）")
    return FileMerge(merged.conflicts, kept)


def _text(project, ours: Path, name: str) -> str:
    """The merged record's text, with our file's `#:schema` line as it is, or none if it had none
    (it points where our checkout keeps the schema; git's temp file is elsewhere)."""
    text = dumps(project, Path(name))
    body = text.split("\n", 1)[1] if text.startswith("#:schema") else text
    first = Path(ours).read_text(encoding="utf-8").split("\n", 1)[0]
    return (first + "\n" if first.startswith("#:schema") else "") + body


# ---------------------------------------------------------------------------------------------
# the app's side: conflicts left by merges, as a review of the bundle kind

@dataclass(frozen=True)
class Pending:
    path: Path          # the record file
    theirs: Project     # their version (conflicts settled their way)
    fields: tuple[str, ...]
    kept: Path          # the conflict file


def unmerged(folder: Path) -> set[str] | None:
    """Names of the files of `folder` git still lists as unmerged (a merge waiting on them); None
    when git can't say (not installed, not a repository)."""
    try:
        done = subprocess.run(["git", "-C", str(folder), "ls-files", "-u", "-z", "--", "."],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode:
        return None
    entries = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {entry.split("\t", 1)[1] for entry in entries if "\t" in entry}


def pending(folder: Path) -> list[Pending]:
    """Conflicts left in `folder` by merges that still wait on them: the record file is what the
    merge wrote and git still lists it as unmerged. The others (resolved by hand, added, the
    merge aborted) and unreadable ones are removed, best effort: theirs is still in git."""
    out: list[Pending] = []
    home = Path(folder) / CONFLICTS
    if not home.is_dir() or not any(home.glob("*.toml")):
        return out
    waiting = unmerged(folder)
    for kept in sorted(home.glob("*.toml")):
        try:
            data = parse_toml(kept.read_text(encoding="utf-8"))
            path = Path(folder) / Path(str(data["file"])).name
            theirs = record_from_dict(data["theirs"], str(kept))
            fresh = current_digest(path) == data["written"] and (waiting is None or path.name in waiting)
            fields = tuple(str(f) for f in data.get("fields", ()))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecordError):
            fresh = False
        if fresh:
            out.append(Pending(path, theirs, fields, kept))
        else:
            forget(kept)
    return out


def forget(kept: Path) -> None:
    try:
        Path(kept).unlink(missing_ok=True)
    except OSError:
        pass


def merge_plan(folder: Path, folder_load: FolderLoad):
    """The pending conflicts of `folder` as an import plan (each record's other version against the
    file), for the review screen and `apply_import(plan, choices, remember=False)`; with the conflict
    file of each record id, to `forget` once chosen. None when nothing is pending.
    Returns (ImportPlan, {record id: conflict file}) or None."""
    # Here, not at the top: git runs the merge driver once per file, and tui.exchange.bundle and what it
    # imports were most of the driver's start.
    from tui.exchange.bundle import Bundle, BundleRecord
    from tui.exchange.bundleplan import plan_import
    from tui.exchange.canonical import record_digest
    from tui.core.rules import load_rules
    from tui.core.validation import assess

    found = pending(folder)
    if not found:
        return None
    records, files, profiles = [], {}, {}
    for i, item in enumerate(found):
        project = item.theirs
        if project.rules not in profiles:
            profiles[project.rules] = load_rules(project.rules, folder)
        rules = profiles[project.rules]
        records.append(BundleRecord(project, record_digest(project), (), assess(project, rules), i))
        files[project.id] = item.kept
    bundle = Bundle(str(Path(folder) / CONFLICTS), 1, "git merge", "", "", tuple(records), profiles)
    return plan_import(bundle, folder_load, folder, ledger={}), files

