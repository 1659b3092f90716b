"""The exchange ledger (`.zipin/exchanged.toml`): which versions of each record a folder has
already exchanged (exported, imported, found identical or set aside), so that an import can tell an
update from a conflict. Lost or unreadable, it only makes more records show as conflicts."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Iterable, Mapping

import tomli_w

from tui.core.bounds import parse_toml
from tui.core.model import Project
from tui.exchange.canonical import record_digest
from tui.store.atomic import atomic_write, is_digest
from tui.store.recordfile import Loaded


LEDGER = Path(".zipin") / "exchanged.toml"  # inside a records folder; see read_ledger
LEDGER_LIMIT = 200  # versions remembered per record (oldest forgotten first: only more conflicts)


def read_ledger(folder: Path) -> dict[str, tuple[str, ...]]:
    """For each record id, the digests of versions this folder's copy already accounts for: the
    versions it exported, imported, found identical, or set aside by a choice (docs/bundle.md).
    A missing or unreadable ledger is empty: that only makes more records show as conflicts."""
    try:
        data = parse_toml((Path(folder) / LEDGER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    versions = data.get("versions")
    if not isinstance(versions, dict):
        return {}
    return {rid: tuple(d for d in ds if is_digest(d)) for rid, ds in versions.items()
            if isinstance(ds, list)}


def write_ledger(folder: Path, ledger: Mapping[str, Iterable[str]]) -> None:
    """Write the ledger atomically (creating `.zipin/`); at most LEDGER_LIMIT versions per id."""
    path = Path(folder) / LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    versions = {rid: list(dict.fromkeys(ds))[-LEDGER_LIMIT:] for rid, ds in sorted(ledger.items())}
    text = ("# zipin：本文件夹与同事交换过的各记录版本（sha256），导入时据此判断哪一方改过。\n"
            "# 请勿手工编辑；删除它不会丢失数据，只是下次导入会多报冲突。\n"
            + tomli_w.dumps({"format": 1, "versions": versions}))
    atomic_write(path, text)


def ledger_with(ledger: Mapping[str, Iterable[str]], rid: str, *digests: str | None) -> dict:
    out = {k: tuple(v) for k, v in ledger.items()}
    out[rid] = tuple(dict.fromkeys([*out.get(rid, ()), *(d for d in digests if d)]))
    return out


def note_exported(folder: Path, records: Iterable[Loaded | Project]) -> None:
    """Remember the versions just exported, so that when they come back unchanged while ours moved
    on, import says "本机较新" instead of asking. Best effort: a read-only folder is no error."""
    ledger: dict = read_ledger(folder)
    for item in records:
        project = project_of(item)
        ledger = ledger_with(ledger, project.id, record_digest(project))
    try:
        write_ledger(folder, ledger)
    except OSError:
        pass


def project_of(item: Loaded | Project) -> Project:
    return item.project if isinstance(item, Loaded) else item
