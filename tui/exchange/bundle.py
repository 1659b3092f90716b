"""Bundles: many project records in one TOML file, to exchange a year's work between offline
workstations (USB stick, mail), verifiably. No Textual. The design is in docs/bundle.md.

The steps, each a plain function the CLI (`zipin export`, `zipin import`) and the app share:

    text = export_bundle(loaded, rules_by_name, made_by, now, history=read_ledger(folder))
    note_exported(folder, loaded)                       # optional: remember what was sent
    bundle = read_bundle(text, "包.toml")               # parse + verify everything, or BundleError
    plan = plan_import(bundle, load_folder(folder), folder)   # what each record would do; reads only
    written = apply_import(plan, {record_id: TAKE_BUNDLE or KEEP_MINE})  # all or none

Nothing is written before `apply_import`, and it writes nothing unless every record of the bundle
parsed, matched its digest and validated without errors (that is what a `Bundle` guarantees).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn

import tomli_w

from tui import __version__
from tui.exchange import bundlelayouts as BL
from tui.core.editing import label
from tui.printed.layout import LayoutError, layout_data
from tui.exchange.merge import field_units, take_fields
from tui.core.model import FORMAT_VERSION, ROW_LABELS, Project
from tui.core.rules import Rules, RulesError, builtin_names, load_rules, rules_from_dict, rules_to_dict
from tui.store.atomic import atomic_write, current_digest
from tui.store.codec import RecordError, record_from_dict, record_to_dict
from tui.store.naming import new_path, safe_stem
from tui.store.recordfile import FolderLoad, Loaded, schema_line
from tui.store.saving import ChangedOnDisk, save_all
from tui.core.bounds import parse_toml
from tui.core.editing import label as field_label
from tui.core.messages import os_error, visible
from tui.core.validation import ERROR, Assessment, assess

BUNDLE_FORMAT = 2  # 2: carries [[layouts]]; a bundle without them is still written as format 1
SCHEMA_NAME = "bundle.schema.json"
LEDGER = Path(".zipin") / "exchanged.toml"  # inside a records folder; see read_ledger
REPLACED = Path(".zipin") / "replaced"  # a conflict's side not taken, kept (see keep_replaced)
LEDGER_LIMIT = 200  # versions remembered per record (oldest forgotten first: only more conflicts)

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

_TOP_KEYS = ("format", "generator", "made_by", "made_at", "count", "profiles", "layouts", "records")
_SHA256 = "0123456789abcdef"


class BundleError(ValueError):
    """A bundle that cannot be taken in, or an import that cannot proceed. str() is one Chinese line
    naming the file, the record (name and id) and the field, e.g.
    ``包.toml：记录“信息化运维项目”（编号 5f0c…）：字段 records[3].sha256：内容与校验值不符…``."""

    def __init__(self, file: str, message: str, record: str = "", field: str = ""):
        self.file, self.record, self.field, self.message = file, record, field, message
        where = file + (f"：{record}" if record else "") + (f"：字段 {field}" if field else "")
        super().__init__(visible(f"{where}：{message}"))  # names and values may hold line breaks


# ---------------------------------------------------------------------------------------------
# canonical form and digests

def canonical_text(project: Project) -> str:
    """The canonical form of a record: `record_to_dict` as compact JSON with keys sorted.

    Exactly ``json.dumps(record_to_dict(p, lowest=True), ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))``: every value is a string, an integer, a table or a list, so the text is
    fully determined by the record, whatever TOML library or layout (or record format) wrote the
    file."""
    return _json(record_to_dict(project, lowest=True))


def record_digest(project: Project) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of `canonical_text`: equal digests, equal records."""
    return hashlib.sha256(canonical_text(project).encode("utf-8")).hexdigest()


def rules_digest(rules: Rules) -> str:
    """SHA-256 of a rule profile's canonical form (`rules_to_dict`, as in `canonical_text`)."""
    return hashlib.sha256(_json(rules_to_dict(rules)).encode("utf-8")).hexdigest()


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _scoring(rules: Rules) -> dict:
    """What of a profile changes a score: all of it but the title."""
    data = rules_to_dict(rules)
    data.pop("title", None)
    return data


def changed_fields(mine: Project, theirs: Project) -> list[str]:
    """Field paths whose values differ (``funding.other.executed``, ``indicators[3].actual``,
    ``indicators`` when the count differs): for a review screen or the CLI's summary."""
    return [key for key, _a, _b in differences(mine, theirs)]


def differences(mine: Project, theirs: Project) -> list[tuple[str, object, object]]:
    """(field path, mine, theirs) for each field that differs, in record order; a side that lacks
    the field (an indicator the other doesn't have, an optional score) gives None."""
    a, b = _flat(record_to_dict(mine)), _flat(record_to_dict(theirs))
    return [(key, a.get(key), b.get(key)) for key in dict.fromkeys([*a, *b]) if a.get(key) != b.get(key)]


def _flat(data, prefix: str = "") -> dict[str, object]:
    """A record dict as {field path: value}; a list of tables also gives its length."""
    if isinstance(data, dict):
        out: dict[str, object] = {}
        for key, value in data.items():
            out.update(_flat(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(data, list) and all(isinstance(x, dict) for x in data):
        out = {prefix: len(data)}
        for i, value in enumerate(data):
            out.update(_flat(value, f"{prefix}[{i}]"))
        return out
    return {prefix: data}


# ---------------------------------------------------------------------------------------------
# the ledger: which versions of each record a folder has already exchanged

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
    return {rid: tuple(d for d in ds if _is_digest(d)) for rid, ds in versions.items()
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


def _merged(ledger: Mapping[str, Iterable[str]], rid: str, *digests: str | None) -> dict:
    out = {k: tuple(v) for k, v in ledger.items()}
    out[rid] = tuple(dict.fromkeys([*out.get(rid, ()), *(d for d in digests if d)]))
    return out


def note_exported(folder: Path, records: Iterable[Loaded | Project]) -> None:
    """Remember the versions just exported, so that when they come back unchanged while ours moved
    on, import says "本机较新" instead of asking. Best effort: a read-only folder is no error."""
    ledger: dict = read_ledger(folder)
    for item in records:
        project = _project(item)
        ledger = _merged(ledger, project.id, record_digest(project))
    try:
        write_ledger(folder, ledger)
    except OSError:
        pass


def _is_digest(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in _SHA256 for c in value)


# ---------------------------------------------------------------------------------------------
# export

def _project(item: Loaded | Project) -> Project:
    return item.project if isinstance(item, Loaded) else item


def default_made_by() -> str:
    """The OS user name, for `made_by` when none is given."""
    try:
        return getpass.getuser() or "未知"
    except Exception:  # no user name in the environment (containers, services)
        return "未知"


def export_bundle(records: Iterable[Loaded | Project], rules_by_name: Mapping[str, Rules],
                  made_by: str, now: datetime, *,
                  history: Mapping[str, Iterable[str]] | None = None,
                  path: Path | None = None, progress=None,
                  layouts_by_name: Mapping[str, dict] | None = None) -> str:
    """The text of a bundle holding `records` whole, in the given order, with every rule profile
    they name (from `rules_by_name`, e.g. ``{n: load_rules(n, folder)}``), who made it and when.

    `history` is the folder's ledger (`read_ledger`): each record carries the digests of the
    earlier versions it accounts for, so the receiver can tell an update from a conflict.
    `path` is where the bundle will be written, for the relative ``#:schema`` line.
    `layouts_by_name` holds the table of every layout a record names (`layout.layout_data`); the
    bundle carries them (format 2). A bundle whose records name no layout is format 1.

    Raises BundleError if a profile is missing, two records share an id, or a record has
    validation errors (the receiver would refuse the whole bundle). `progress(done, total)` is
    called after each record (tui.progress)."""
    records = list(records)
    projects = [_project(r) for r in records]
    bundle_name = Path(path).name if path else "导出"
    seen: dict[str, str] = {}
    entries = []
    for item, project in zip(records, projects):
        # A refusal names the record's file (the one to fix), and its field as the form does.
        source = item.path.name if isinstance(item, Loaded) else bundle_name
        label = _label(project.name, project.id)
        if project.id in seen:
            raise BundleError(source, f"与“{seen[project.id]}”的编号相同，不能放在同一个包里", label,
                              field_label("id"))
        seen[project.id] = project.name
        rules = rules_by_name.get(project.rules)
        if rules is None:
            raise BundleError(source, f"缺少评分规则“{project.rules}”", label, field_label("rules"))
        if project.layout and project.layout not in (layouts_by_name or {}):
            raise BundleError(source, f"缺少版式“{project.layout}”", label, field_label("layout"))
        problems = [p for p in assess(project, rules).problems if p.level == ERROR]
        if problems:
            p = problems[0]
            more = f"（另有 {len(problems) - 1} 个错误）" if len(problems) > 1 else ""
            raise BundleError(source, f"{p.message}{more}；请先在 zipin check 中改正再导出", label,
                              field_label(p.path))
        record = record_to_dict(project, lowest=True)  # built once: for the digest and the entry
        digest = hashlib.sha256(_json(record).encode("utf-8")).hexdigest()
        entry: dict = {"sha256": digest}
        earlier = [d for d in dict.fromkeys((history or {}).get(project.id, ())) if d != digest]
        if earlier:
            entry["history"] = earlier[-LEDGER_LIMIT:]
        entry["record"] = record
        entries.append(entry)
        if progress is not None:
            progress(len(entries), len(projects))
    names = sorted({p.rules for p in projects})
    profiles = [{"sha256": rules_digest(rules_by_name[n]), "rules": rules_to_dict(rules_by_name[n])}
                for n in names]
    layout_names = BL.named(projects)
    made_at = now.replace(microsecond=0) if isinstance(now, datetime) else now
    data = {"format": 2 if layout_names else 1, "generator": f"zipin {__version__}", "made_by": made_by,
            "made_at": made_at, "count": len(entries), "profiles": profiles}
    if layout_names:
        data["layouts"] = BL.entries(layout_names, layouts_by_name or {})
    data["records"] = entries
    return schema_line(path, SCHEMA_NAME) + tomli_w.dumps(data, multiline_strings=True)


def export_to_file(folder: Path, records: Iterable[Loaded | Project], out: Path, *,
                   made_by: str | None = None, now: datetime | None = None,
                   progress=None) -> list[str]:
    """Export as `zipin export` and the app do: the profiles the records name (from the folder,
    else built in), the folder's ledger as history, the bundle written atomically to `out`, then
    the versions sent remembered (`note_exported`). Returns the profile names. Raises RulesError
    or BundleError (nothing written) and OSError (`out` untouched: the write is atomic)."""
    folder, records = Path(folder), list(records)
    rules = {name: load_rules(name, folder) for name in sorted({_project(r).rules for r in records})}
    layouts = {}
    for name in BL.named(_project(r) for r in records):
        try:
            layouts[name] = layout_data(name, folder)
        except LayoutError as exc:  # named by the first record that uses it: the one to fix
            item = next(r for r in records if _project(r).layout == name)
            where = item.path.name if isinstance(item, Loaded) else Path(out).name
            raise BundleError(where, f"版式无法带入包中（{exc}）", _label(_project(item).name, _project(item).id),
                              field_label("layout")) from None
    text = export_bundle(records, rules, made_by or default_made_by(),
                         now or datetime.now().astimezone(), history=read_ledger(folder), path=out,
                         progress=progress, layouts_by_name=layouts)
    atomic_write(Path(out), text)
    note_exported(folder, records)
    return list(rules)


# ---------------------------------------------------------------------------------------------
# reading and verifying

@dataclass(frozen=True)
class BundleRecord:
    """One record of a bundle, verified: its digest matched and it validated without errors."""

    project: Project
    digest: str                      # canonical sha256, as stated in the bundle and recomputed
    history: tuple[str, ...]         # digests of earlier versions this one accounts for
    assessment: Assessment           # scored with the bundle's own profile (warnings kept)
    index: int                       # position in the bundle, from 0

    @property
    def id(self) -> str:
        return self.project.id

    @property
    def label(self) -> str:
        return _label(self.project.name, self.project.id)


@dataclass(frozen=True)
class Bundle:
    """A bundle whose every record parsed, matched its digest and validated (see read_bundle)."""

    source: str
    format: int
    generator: str
    made_by: str
    made_at: datetime | date | str
    records: tuple[BundleRecord, ...]
    profiles: Mapping[str, Rules] = field(default_factory=dict)
    layouts: Mapping[str, BL.Layout] = field(default_factory=dict)  # empty in a format-1 bundle
    layout_tables: Mapping[str, dict] = field(default_factory=dict)  # each as carried


def _label(name: str, rid: str) -> str:
    return f"记录“{name}”（编号 {rid}）"


def load_bundle(path: Path, progress=None) -> Bundle:
    """Read a bundle file (UTF-8, a BOM tolerated) and verify it: `read_bundle` on its text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BundleError(str(path), f"无法读取（{os_error(exc)}）") from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise BundleError(str(path), "不是 UTF-8 编码的文本（文件可能已损坏）") from None
    return read_bundle(text, str(path), progress)


def read_bundle(text: str, source: str, progress=None) -> Bundle:
    """Parse and verify a bundle's text, all of it, or raise BundleError on the first problem.

    Checked: valid TOML; `format` not newer than this program; the stated `count` of records
    (a truncated file); each profile against its digest and usable; each record parses, names a
    profile the bundle carries, matches its digest, validates with no errors under that profile;
    no id twice. `source` names the file in messages. Reads no file, writes nothing.
    `progress(done, total)` is called after each record (tui.progress)."""
    try:
        data = parse_toml(text)
    except ValueError as exc:
        raise BundleError(source, f"{exc}；文件可能不完整或已损坏") from None

    def fail(message: str, field_: str = "", record: str = "") -> NoReturn:
        raise BundleError(source, message, record, field_)

    if "records" not in data and "indicators" in data and "funding" in data:
        fail("这是一个项目记录，不是交换包：把它复制进文件夹即可，或先用 zipin export 打包")
    version = data.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        fail("缺少打包格式版本（这不是 zipin 导出的包？）", "format")
    if version > BUNDLE_FORMAT:
        fail(f"打包格式版本 {version} 比本程序支持的 {BUNDLE_FORMAT} 新，请升级 zipin 后再导入", "format")
    if version < 1:
        fail(f"打包格式版本 {version} 无效", "format")
    for key in data:
        if key not in _TOP_KEYS:
            fail("未知字段（拼写有误？）", key)
    made_by = data.get("made_by", "")
    if not isinstance(made_by, str):
        fail(f"应为文字，实为 {made_by!r}", "made_by")
    made_at = data.get("made_at", "")
    if not isinstance(made_at, (datetime, date, str)) or isinstance(made_at, time):
        fail(f"应为日期时间，实为 {made_at!r}", "made_at")
    generator = data.get("generator", "")
    if not isinstance(generator, str):
        fail(f"应为文字，实为 {generator!r}", "generator")

    raw_records = data.get("records", [])
    raw_profiles = data.get("profiles", [])
    if not isinstance(raw_records, list) or not all(isinstance(r, dict) for r in raw_records):
        fail("应为表数组（[[records]]）", "records")
    if not isinstance(raw_profiles, list) or not all(isinstance(r, dict) for r in raw_profiles):
        fail("应为表数组（[[profiles]]）", "profiles")
    count = data.get("count")
    if not isinstance(count, int) or isinstance(count, bool):
        fail("缺少记录个数（文件可能不完整）", "count")
    if count != len(raw_records):
        fail(f"声明有 {count} 个记录，实有 {len(raw_records)} 个：文件不完整或已被改动，整个包未导入",
             "count")

    profiles = _read_profiles(raw_profiles, fail)
    carries_layouts = "layouts" in data
    layouts = BL.read_layouts(data["layouts"], fail) if carries_layouts else {}
    records: list[BundleRecord] = []
    first_at: dict[str, int] = {}
    for i, raw in enumerate(raw_records):
        record = _read_record(raw, i, source, profiles, fail)
        # A bundle made before layouts travelled carries none: its records import as before.
        if carries_layouts and record.project.layout and record.project.layout not in layouts:
            fail(f"使用的版式“{record.project.layout}”不在包内", f"records[{i}].record.layout", record.label)
        if record.id in first_at:
            j = first_at[record.id]
            fail(f"编号与第 {j + 1} 个记录“{records[j].project.name}”相同：同一项目出现两次，整个包未导入",
                 f"records[{i}].record.id", record.label)
        first_at[record.id] = i
        records.append(record)
        if progress is not None:
            progress(i + 1, len(raw_records))
    tables = {r["name"]: r["layout"] for r in data.get("layouts", [])}
    return Bundle(source, version, generator, made_by, made_at, tuple(records), profiles, layouts, tables)


def _read_profiles(raw_profiles: list[dict], fail: Callable[..., NoReturn]) -> dict[str, Rules]:
    profiles: dict[str, Rules] = {}
    for i, raw in enumerate(raw_profiles):
        where = f"profiles[{i}]"
        for key in raw:
            if key not in ("sha256", "rules"):
                fail("未知字段（拼写有误？）", f"{where}.{key}")
        if not isinstance(raw.get("rules"), dict):
            fail("缺少评分规则表", f"{where}.rules")
        try:
            rules = rules_from_dict(raw["rules"], f"{where}.rules")
        except RulesError as exc:
            fail(f"评分规则无效（{exc}）", f"{where}.rules")
        name = rules.name
        if safe_stem(name) != name or name.startswith(".") or len(name) > 60:
            fail(f"评分规则名称“{name}”不能用作文件名", f"{where}.rules.name")
        if name in profiles:
            fail(f"评分规则“{name}”出现两次", f"{where}.rules.name")
        stated = raw.get("sha256")
        if not _is_digest(stated):
            fail("缺少校验值（64 位十六进制 sha256）", f"{where}.sha256")
        if stated != rules_digest(rules):
            fail(f"评分规则“{name}”的内容与校验值不符（传输中损坏或被改动），整个包未导入",
                 f"{where}.sha256")
        profiles[name] = rules
    return profiles


def _read_record(raw: dict, i: int, source: str, profiles: Mapping[str, Rules],
                 fail: Callable[..., NoReturn]) -> BundleRecord:
    where = f"records[{i}]"
    body = raw.get("record")
    guess = body if isinstance(body, dict) else {}
    name, rid = guess.get("name"), guess.get("id")
    label = (_label(name, rid) if isinstance(name, str) and isinstance(rid, str)
             else f"第 {i + 1} 个记录")
    for key in raw:
        if key not in ("sha256", "history", "record"):
            fail("未知字段（拼写有误？）", f"{where}.{key}", label)
    if not isinstance(body, dict):
        fail("缺少记录表", f"{where}.record", label)
    try:
        project = record_from_dict(body, source)
    except RecordError as exc:
        fail(exc.message, f"{where}.record.{exc.field}", label)
    stated = raw.get("sha256")
    if not _is_digest(stated):
        fail("缺少校验值（64 位十六进制 sha256）", f"{where}.sha256", label)
    if stated != record_digest(project):
        fail("内容与校验值不符（传输中损坏或被改动），整个包未导入", f"{where}.sha256", label)
    history = raw.get("history", [])
    if not isinstance(history, list) or not all(_is_digest(d) for d in history):
        fail("应为 sha256 列表", f"{where}.history", label)
    rules = profiles.get(project.rules)
    if rules is None:
        fail(f"使用的评分规则“{project.rules}”不在包内", f"{where}.record.rules", label)
    assessment = assess(project, rules)
    errors = [p for p in assessment.problems if p.level == ERROR]
    if errors:
        more = f"（另有 {len(errors) - 1} 个错误）" if len(errors) > 1 else ""
        fail(f"{errors[0].message}{more}：未通过校验，整个包未导入", f"{where}.record.{errors[0].path}", label)
    return BundleRecord(project, stated, tuple(history), assessment, i)


# ---------------------------------------------------------------------------------------------
# planning an import

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


# ---------------------------------------------------------------------------------------------
# applying it

def check_choices(plan: ImportPlan, choices: Mapping[str, str | FieldChoice]) -> None:
    """Raise BundleError if a choice names an id the bundle lacks, is not TAKE_BUNDLE/KEEP_MINE or
    a FieldChoice of that record's fields, or mixes fields into something that is not a record."""
    items = {item.id: item for item in plan.items}
    for rid, choice in choices.items():
        if rid not in items:
            raise BundleError(plan.bundle.source, "包中没有此编号的记录", field=f"选择 {rid}")
        if isinstance(choice, FieldChoice):
            item = items[rid]
            known = {path for path, _a, _b in item.units()}
            unknown = sorted(set(choice.taken) - known)
            if unknown or item.local is None:
                raise BundleError(plan.bundle.source, "本机与包内此字段相同，或本机没有此记录，无从逐项选择",
                                  item.record.label, unknown[0] if unknown else "")
            try:
                item.result(choice)
            except RecordError as exc:
                raise BundleError(plan.bundle.source, f"逐项选择的结果不是有效的记录：{exc}",
                                  item.record.label) from None
            continue
        if choice not in (TAKE_BUNDLE, KEEP_MINE):
            raise BundleError(plan.bundle.source, f"选择应为 {TAKE_BUNDLE} 或 {KEEP_MINE}，实为 {choice!r}",
                              field=f"选择 {rid}")


def apply_import(plan: ImportPlan, choices: Mapping[str, str | FieldChoice] | None = None, *,
                 remember: bool = True) -> list[Path]:
    """Write what the plan and `choices` ({record id: TAKE_BUNDLE | KEEP_MINE}) say, all or none,
    and return the paths written (records, then new layouts and profiles). Unchosen conflicts are skipped
    (see `ImportPlan.unresolved`). Raises BundleError if the plan has problems or a choice is
    unknown, and saving.ChangedOnDisk if a file changed since planning (then nothing is written).

    Records go through `saving.save_all` (each local file must still have the digest it had when
    loaded; a new file must still not exist); profiles the written records need and the folder
    lacks go to ``profiles/NAME.toml`` (layouts to ``layouts/NAME.toml``) and are removed again if
    the records fail. Then, if
    `remember`, the folder's ledger learns the versions seen (best effort)."""
    choices = dict(choices or {})
    check_choices(plan, choices)
    if plan.problems:
        raise BundleError(plan.bundle.source, "无法导入：" + "；".join(plan.problems))
    writes = plan.to_write(choices)
    new_profiles = plan.profiles_to_write(choices)
    new_layouts = plan.layouts_to_write(choices)
    written: list[Path] = []
    if writes:
        plan.folder.mkdir(parents=True, exist_ok=True)
        made_dirs = [d for d, new in ((plan.folder / "profiles", new_profiles),
                                      (plan.folder / "layouts", new_layouts)) if new and not d.exists()]
        done: list[Path] = []
        try:
            for item in new_layouts:
                if BL.exists(item.path):
                    raise ChangedOnDisk(item.path)
                BL.write_layout(item)
                done.append(item.path)
            for profile in new_profiles:
                if current_digest(profile.path) is not None:
                    raise ChangedOnDisk(profile.path)
                profile.path.parent.mkdir(exist_ok=True)
                atomic_write(profile.path, schema_line(profile.path, "rules.schema.json")
                             + tomli_w.dumps(rules_to_dict(profile.rules)))
                done.append(profile.path)
            saved = save_all([(p, item.path, item.local.digest if item.local else None)
                              for item in writes if (p := item.result(choices.get(item.id))) is not None])
        except BaseException:
            for path in done:
                path.unlink(missing_ok=True)
            for made in made_dirs:
                try:
                    made.rmdir()
                except OSError:
                    pass
            raise
        written = [s.path for s in saved] + done
    keep_replaced(plan, choices)
    if remember:
        _remember(plan, choices)
    return written


def keep_replaced(plan: ImportPlan, choices: Mapping[str, str | FieldChoice],
                  now: datetime | None = None) -> list[Path]:
    """For each conflict decided, the side not taken, kept in the folder's .zipin/replaced/ as
    ``<date>-<file stem>-本机.toml`` (the folder's version, replaced by the bundle's) or
    ``-包内.toml`` (the bundle's, set aside): a choice loses nothing. Best effort, as the ledger
    is: the records are written already; a copy that can't be written is left out."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept: list[Path] = []
    for item in plan.items:
        choice = choices.get(item.id)
        if item.status != CONFLICT or item.local is None or not item.takes_bundle(choice) \
                and choice != KEEP_MINE:
            continue
        sides = []  # a field choice replaced the folder's version and set part of the bundle's aside
        if item.takes_bundle(choice):
            sides.append((item.local.project, "本机", "本机的版本，已由" + (
                "逐项合并的版本替换" if isinstance(choice, FieldChoice) else "包内版本替换")))
        if choice != TAKE_BUNDLE:
            sides.append((item.record.project, "包内", "包内的版本，" + (
                "只采用了其中几项" if isinstance(choice, FieldChoice) else "按选择未导入")))
        for project, side, what in sides:
            path = plan.folder / REPLACED / f"{stamp}-{item.path.stem}-{side}.toml"
            text = (f"# {what}（{stamp}，{visible(str(plan.bundle.source))}）\n"
                    + tomli_w.dumps(record_to_dict(project), multiline_strings=True))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, text)
            except OSError:
                continue
            kept.append(path)
    return kept


def _remember(plan: ImportPlan, choices: Mapping[str, str | FieldChoice]) -> None:
    ledger = dict(plan.ledger)
    for item in plan.items:
        record, choice = item.record, choices.get(item.id)
        if item.takes_bundle(choice):  # ours is replaced: the bundle's history is now ours too
            ledger = _merged(ledger, item.id, *record.history, item.local_digest, record.digest)
        elif item.status == SAME:
            ledger = _merged(ledger, item.id, *record.history, record.digest)
        elif item.status in (UPDATE, CONFLICT) and choice == KEEP_MINE:  # set aside by a choice
            ledger = _merged(ledger, item.id, record.digest)
    if ledger != dict(plan.ledger):
        try:
            write_ledger(plan.folder, ledger)
        except OSError:
            pass
