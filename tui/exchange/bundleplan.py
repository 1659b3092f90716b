"""Planning the import of a bundle into a folder: each record matched by id and given a status
(new, same, update, local newer, conflict), each profile and layout compared with the folder's, and
the choices a person may make (take the bundle's, keep mine, or field by field). Reads; writes nothing
(tui.exchange.bundleapply carries a plan out)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Iterable, Mapping

from tui.core.editing import label
from tui.core.model import FORMAT_VERSION, ROW_LABELS, Project
from tui.core.rules import Rules, RulesError, builtin_names, load_rules, rules_to_dict
from tui.exchange import bundlelayouts as BL
from tui.exchange.bundle import Bundle, BundleError, BundleRecord
from tui.exchange.canonical import changed_fields, differences, record_digest
from tui.exchange.ledger import read_ledger
from tui.exchange.merge import field_units, take_fields
from tui.store.codec import record_from_dict, record_to_dict
from tui.store.naming import new_path
from tui.store.recordfile import FolderLoad, Loaded


# What a record of the bundle does on import (ImportItem.status).
NEW = "new"                # the folder has no record with this id
SAME = "same"              # the folder's record is identical
UPDATE = "update"          # changed in the bundle only: the folder's version is one the bundle's descends from
LOCAL_NEWER = "local"      # changed here only (or already decided): the bundle's version is one ours accounts for
CONFLICT = "conflict"      # changed on both sides (or no common history): a person must choose
STATUS_LABELS = {NEW: "新增", SAME: "相同", UPDATE: "更新", LOCAL_NEWER: "本机较新", CONFLICT: "冲突"}

# A choice for one record id (apply_import's `choices`), or a FieldChoice.
TAKE_BUNDLE = "bundle"
KEEP_MINE = "mine"


@dataclass(frozen=True)
class FieldChoice:
    """A choice for one record: the folder's version with the fields `taken` (paths as
    `ImportItem.units` names them) from the bundle's, the rest kept (`ImportItem.choose_fields`)."""

    taken: frozenset[str]

    def covers(self, path: str) -> bool:
        """Whether a field path (as `differences` names it) lies in a field taken."""
        return any(path == u or path.startswith((u + ".", u + "[")) for u in self.taken)


def unit_label(path: str) -> str:
    """A choosable field named as the app names it; a whole indicator or funding row too."""
    if (m := re.fullmatch(r"indicators\[(\d+)\]", path)):
        return f"第 {int(m[1]) + 1} 项指标（整项）"
    parts = path.split(".")
    if len(parts) == 2 and parts[0] == "funding" and parts[1] in ROW_LABELS:
        return f"{ROW_LABELS[parts[1]]}（整行）"
    return label(path)


def mixed(mine: Project, theirs: Project, taken) -> Project:
    """`mine` with the fields `taken` from `theirs` (tui.exchange.merge.take_fields), read back as any record
    is (RecordError naming the field if the mix is not one); the format `mine` had while it fits."""
    a, b = (record_to_dict(replace(p, format=FORMAT_VERSION)) for p in (mine, theirs))
    project = record_from_dict(take_fields(a, b, set(taken)), f"“{mine.name}”逐项合并")
    return replace(project, format=mine.format)


def _scoring(rules: Rules) -> dict:
    """What of a profile changes a score: all of it but the title."""
    data = rules_to_dict(rules)
    data.pop("title", None)
    return data


@dataclass(frozen=True)
class ImportItem:
    """What one record of the bundle would do to the folder."""

    record: BundleRecord
    status: str                      # NEW, SAME, UPDATE, LOCAL_NEWER or CONFLICT
    path: Path                       # where it would be written: the local file, or a new safe name
    local: Loaded | None = None      # the folder's record with the same id, if any
    local_digest: str | None = None  # its canonical digest

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.project.name

    def takes_bundle(self, choice: str | FieldChoice | None) -> bool:
        """Whether the bundle's version is written, given the person's choice for this id (or None):
        by default NEW and UPDATE are taken; CONFLICT never without TAKE_BUNDLE; SAME never."""
        if self.status == SAME:
            return False
        if choice is not None:
            return choice == TAKE_BUNDLE or isinstance(choice, FieldChoice)
        return self.status in (NEW, UPDATE)

    def units(self) -> list[tuple[str, object, object]]:
        """What can be chosen field by field: (path, the folder's, the bundle's) (tui.exchange.merge)."""
        if self.local is None:
            return []
        a, b = (record_to_dict(replace(p, format=FORMAT_VERSION))
                for p in (self.local.project, self.record.project))
        return field_units(a, b)

    def choose_fields(self, taken) -> str | FieldChoice:
        """The choice that takes the fields `taken` from the bundle: KEEP_MINE for none,
        TAKE_BUNDLE for all of them."""
        taken = frozenset(taken)
        every = {path for path, _a, _b in self.units()}
        return KEEP_MINE if not taken else TAKE_BUNDLE if taken >= every else FieldChoice(taken)

    def result(self, choice) -> Project | None:
        """The record written with this choice, None if none is (RecordError for a mix that is
        not a record)."""
        if not self.takes_bundle(choice):
            return None
        if isinstance(choice, FieldChoice) and self.local is not None:
            return mixed(self.local.project, self.record.project, choice.taken)
        return self.record.project

    def changed_fields(self) -> list[str]:
        """Fields that differ between the folder's version and the bundle's ([] for a new one)."""
        return [] if self.local is None else changed_fields(self.local.project, self.record.project)

    def differences(self) -> list[tuple[str, object, object]]:
        """(field, the folder's value, the bundle's value) for each field that differs."""
        return [] if self.local is None else differences(self.local.project, self.record.project)


@dataclass(frozen=True)
class ProfileItem:
    """A rule profile the bundle carries, against the one the folder would use under that name."""

    name: str
    rules: Rules
    status: str        # NEW (folder lacks it: written to profiles/NAME.toml), SAME, or CONFLICT
    path: Path         # profiles/NAME.toml in the folder
    local: str = ""    # where the folder's profile comes from ("内置" or a file), if it has one


@dataclass(frozen=True)
class ImportPlan:
    """What importing a bundle into a folder would do. Built by `plan_import`, which writes
    nothing; `apply_import(plan, choices)` carries it out. `problems` are reasons nothing may be
    written at all (a folder record that can't be read, two local files with one id, a profile
    that differs from the folder's); fix them and plan again."""

    bundle: Bundle
    folder: Path
    items: tuple[ImportItem, ...]
    profiles: tuple[ProfileItem, ...]
    problems: tuple[str, ...]
    ledger: Mapping[str, tuple[str, ...]]
    layouts: tuple[BL.LayoutItem, ...] = ()

    def by_status(self, status: str) -> list[ImportItem]:
        return [item for item in self.items if item.status == status]

    def find(self, key: str) -> list[ImportItem]:
        """Items whose id is `key` or starts with it (ids are long; a prefix is easier to type)."""
        exact = [item for item in self.items if item.id == key]
        return exact or [item for item in self.items if key and item.id.startswith(key)]

    def unresolved(self, choices: Mapping[str, str | FieldChoice]) -> list[ImportItem]:
        """Conflicts with no choice: they are not written, and the person should decide."""
        return [item for item in self.items if item.status == CONFLICT and item.id not in choices]

    def to_write(self, choices: Mapping[str, str | FieldChoice]) -> list[ImportItem]:
        """Items whose bundle version `apply_import` would write with these choices."""
        return [item for item in self.items if item.takes_bundle(choices.get(item.id))]

    def profiles_to_write(self, choices: Mapping[str, str | FieldChoice]) -> list[ProfileItem]:
        """Profiles the folder lacks that the written records name."""
        needed = {p.rules for item in self.to_write(choices)
                  if (p := item.result(choices.get(item.id))) is not None}
        return [p for p in self.profiles if p.status == NEW and p.name in needed]

    def layouts_to_write(self, choices: Mapping[str, str | FieldChoice]) -> list[BL.LayoutItem]:
        """Layouts the folder lacks that the written records name."""
        needed = {p.layout for item in self.to_write(choices)
                  if (p := item.result(choices.get(item.id))) is not None}
        return [x for x in self.layouts if x.status == BL.NEW and x.name in needed]


def plan_import(bundle: Bundle, folder_load: FolderLoad, folder: Path, *,
                ledger: Mapping[str, Iterable[str]] | None = None) -> ImportPlan:
    """Match each bundle record to the folder's by `id` (never by name or file name) and decide:

    - NEW: no local record with that id; it would be written under a new safe name
      (`naming.new_path`, from the project name; nothing the bundle says is used as a path);
    - SAME: the canonical digests are equal;
    - UPDATE: the local version is one the bundle's version accounts for (its digest is in the
      record's `history`), so only the bundle side changed;
    - LOCAL_NEWER: the bundle's version is one the folder already accounts for (in the folder's
      ledger: exported from here, imported before, or set aside by an earlier choice);
    - CONFLICT: neither, i.e. changed on both sides, or no shared history at all.

    `folder_load` is `recordfile.load_folder(folder)` (the app passes what it has loaded); `ledger`
    defaults to `read_ledger(folder)`. Reads profiles and checks free names; writes nothing."""
    folder = Path(folder)
    ledger_now = {k: tuple(v) for k, v in (read_ledger(folder) if ledger is None else ledger).items()}
    problems: list[str] = []
    for failure in folder_load.failures:
        problems.append(f"本机记录无法读取，导入可能与它重复：{failure}；请先修复或移走该文件")
    local: dict[str, list[Loaded]] = {}
    for loaded in folder_load.records:
        local.setdefault(loaded.project.id, []).append(loaded)

    items: list[ImportItem] = []
    taken: set[Path] = set()
    for record in bundle.records:
        mine = local.get(record.id, [])
        if len(mine) > 1:
            files = "、".join(str(m.path) for m in mine)
            problems.append(f"{record.label}：本机有 {len(mine)} 个文件编号相同（{files}），请先合并为一个")
        if not mine:
            path = new_path(folder, record.project, taken)
            if path.parent.resolve() != folder.resolve():  # pragma: no cover - new_path guarantees it
                raise BundleError(bundle.source, "文件名不安全", record.label, "name")
            taken.add(path)
            items.append(ImportItem(record, NEW, path))
            continue
        loaded = mine[0]
        ours = record_digest(loaded.project)
        if ours == record.digest:
            status = SAME
        elif record.digest in ledger_now.get(record.id, ()):
            status = LOCAL_NEWER
        elif ours in record.history:
            status = UPDATE
        else:
            status = CONFLICT
        items.append(ImportItem(record, status, loaded.path, loaded, ours))

    profiles = []
    for name, rules in sorted(bundle.profiles.items()):
        path = folder / "profiles" / f"{name}.toml"
        try:
            have = load_rules(name, folder)
        except RulesError:
            have = None
        where = str(path) if path.is_file() else ("内置" if name in builtin_names() else "")
        if have is None:
            status = NEW if not path.exists() else CONFLICT
            if status == CONFLICT:
                problems.append(f"评分规则“{name}”：本机 {path} 无法读取，请先修复")
        elif _scoring(have) == _scoring(rules):
            status = SAME
        else:
            status = CONFLICT
            problems.append(f"评分规则“{name}”与本机（{where}）的不同：按包内规则和本机规则评分会不一致；"
                            "请与对方确认后统一规则（或将一方的规则改名）再导入")
        profiles.append(ProfileItem(name, rules, status, path, where))
    layouts = BL.plan_layouts(bundle.layouts, bundle.layout_tables, folder, problems)
    return ImportPlan(bundle, folder, tuple(items), tuple(profiles), tuple(problems), ledger_now, layouts)
