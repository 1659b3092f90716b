"""Bundles: many project records in one TOML file, to exchange a year's work between offline
workstations (USB stick, mail), verifiably. This module writes and reads the file and verifies it;
planning an import is tui.exchange.bundleplan, carrying it out tui.exchange.bundleapply, the layouts
a bundle carries tui.exchange.bundlelayouts. No Textual. The design is in docs/bundle.md.

The steps, each a plain function the CLI (`zipin export`, `zipin import`) and the app share:

    text = export_bundle(loaded, rules_by_name, made_by, now, history=read_ledger(folder))
    note_exported(folder, loaded)                       # optional: remember what was sent (ledger)
    bundle = read_bundle(text, "包.toml")               # parse + verify everything, or BundleError
    plan = plan_import(bundle, load_folder(folder), folder)   # bundleplan: what each record would do
    written = apply_import(plan, {record_id: TAKE_BUNDLE or KEEP_MINE})  # bundleapply: all or none

Nothing is written before `apply_import`, and it writes nothing unless every record of the bundle
parsed, matched its digest and validated without errors (that is what a `Bundle` guarantees).
"""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn

import tomli_w

from tui import __version__
from tui.core.bounds import parse_toml
from tui.core.editing import label as field_label
from tui.core.messages import os_error, visible
from tui.core.model import Project
from tui.core.rules import Rules, RulesError, load_rules, rules_from_dict, rules_to_dict
from tui.core.validation import ERROR, Assessment, assess
from tui.exchange import bundlelayouts as BL
from tui.exchange.canonical import canonical_json, record_digest, rules_digest
from tui.exchange.ledger import LEDGER_LIMIT, note_exported, project_of, read_ledger
from tui.printed.layout import LayoutError, layout_data
from tui.store.atomic import atomic_write, is_digest
from tui.store.codec import RecordError, record_from_dict, record_to_dict
from tui.store.naming import safe_stem
from tui.store.recordfile import Loaded, schema_line


BUNDLE_FORMAT = 2  # 2: carries [[layouts]]; a bundle without them is still written as format 1
SCHEMA_NAME = "bundle.schema.json"
_TOP_KEYS = ("format", "generator", "made_by", "made_at", "count", "profiles", "layouts", "records")


class BundleError(ValueError):
    """A bundle that cannot be taken in, or an import that cannot proceed. str() is one Chinese line
    naming the file, the record (name and id) and the field, e.g.
    ``包.toml：记录“信息化运维项目”（编号 5f0c…）：字段 records[3].sha256：内容与校验值不符…``."""

    def __init__(self, file: str, message: str, record: str = "", field: str = ""):
        self.file, self.record, self.field, self.message = file, record, field, message
        where = file + (f"：{record}" if record else "") + (f"：字段 {field}" if field else "")
        super().__init__(visible(f"{where}：{message}"))  # names and values may hold line breaks


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
    projects = [project_of(r) for r in records]
    bundle_name = Path(path).name if path else "导出"
    seen: dict[str, str] = {}
    entries = []
    for item, project in zip(records, projects):
        # A refusal names the record's file (the one to fix), and its field as the form does.
        source = item.path.name if isinstance(item, Loaded) else bundle_name
        label = record_label(project.name, project.id)
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
        digest = hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()
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
    rules = {name: load_rules(name, folder) for name in sorted({project_of(r).rules for r in records})}
    layouts = {}
    for name in BL.named(project_of(r) for r in records):
        try:
            layouts[name] = layout_data(name, folder)
        except LayoutError as exc:  # named by the first record that uses it: the one to fix
            item = next(r for r in records if project_of(r).layout == name)
            where = item.path.name if isinstance(item, Loaded) else Path(out).name
            raise BundleError(where, f"版式无法带入包中（{exc}）", record_label(project_of(item).name, project_of(item).id),
                              field_label("layout")) from None
    text = export_bundle(records, rules, made_by or default_made_by(),
                         now or datetime.now().astimezone(), history=read_ledger(folder), path=out,
                         progress=progress, layouts_by_name=layouts)
    atomic_write(Path(out), text)
    note_exported(folder, records)
    return list(rules)


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
        return record_label(self.project.name, self.project.id)


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


def record_label(name: str, rid: str) -> str:
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
        if not is_digest(stated):
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
    label = (record_label(name, rid) if isinstance(name, str) and isinstance(rid, str)
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
    if not is_digest(stated):
        fail("缺少校验值（64 位十六进制 sha256）", f"{where}.sha256", label)
    if stated != record_digest(project):
        fail("内容与校验值不符（传输中损坏或被改动），整个包未导入", f"{where}.sha256", label)
    history = raw.get("history", [])
    if not isinstance(history, list) or not all(is_digest(d) for d in history):
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
