"""One TOML file per project: strict load, canonical text, atomic save, change-on-disk detection,
safe file names and drafts of unsaved work. No Textual."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import tempfile
import threading
import time
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, NoReturn, overload
from decimal import Decimal
from pathlib import Path

import tomli_w

from tui.core.bounds import check_tree, number_problem, parse_toml
from tui.core.format import plain
from tui.core.messages import os_error, visible
from tui.core.model import (AMOUNT_FIELDS, BLANK, FORMAT_VERSION, FUNDING_ROWS, ROW_SETS, Amounts, Funding,
                    Indicator, Project)

SCHEMA_NAME = "project.schema.json"
DRAFT_SUFFIX = ".zipin-draft"


class RecordError(ValueError):
    """A record that cannot be read; str() is one Chinese line naming the file and the field."""

    def __init__(self, file: str, field: str, message: str):
        self.file, self.field, self.message = file, field, message
        where = f"{file}：字段 {field}：" if field else f"{file}："
        super().__init__(visible(where + message))


class ChangedOnDisk(RuntimeError):
    """The file changed (or appeared) since it was loaded; saving would overwrite someone's work."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(visible(f"{path}：文件在磁盘上已被修改（或已存在），未保存，以免覆盖"))


@dataclass(frozen=True)
class Loaded:
    project: Project
    path: Path
    digest: str  # sha256 of the bytes on disk when loaded or saved


@dataclass
class FolderLoad:
    records: list[Loaded] = field(default_factory=list)
    failures: list[RecordError] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# dict <-> record

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII only: \d would take full-width digits
_TOP_KEYS = ("format", "id", "predecessor", "year", "name", "department", "implementer", "rules",
             "layout", "money_unit", "incomplete", "funding", "goals", "texts", "indicators")
_INDICATOR_KEYS = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")


class _Reader:
    """Typed access to one table of a record; every failure names the file and the field path."""

    def __init__(self, data, source: str, path: str = ""):
        if not isinstance(data, dict):
            raise RecordError(source, path or "(整个文件)", "应为表（table）")
        self.data, self.source, self.path = data, source, path

    def _name(self, key: str) -> str:
        # A key that is not a plain word (an empty one, one with dots or spaces) is quoted as TOML does.
        key = key if re.fullmatch(r"\w+", key) else json.dumps(key, ensure_ascii=False)
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> NoReturn:
        raise RecordError(self.source, self._name(key), message)

    def known(self, keys) -> None:
        for key in self.data:
            if key not in keys:
                self.fail(key, "未知字段（拼写有误？）")

    def get(self, key: str, kind: type, default=None, required: bool = True):
        if key not in self.data:
            if required:
                self.fail(key, "缺少此字段")
            return default
        value = self.data[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(key, f"应为整数，实为 {value!r}")
        if kind is str and not isinstance(value, str):
            self.fail(key, f"应为文字，实为 {value!r}")
        if kind is str:  # saving writes CR LF as LF (tomli-w): read it so, and load == load(save)
            value = value.replace("\r\n", "\n")
        return value

    @overload
    def decimal(self, key: str) -> Decimal: ...
    @overload
    def decimal(self, key: str, default: Decimal | None, required: bool = ...) -> Decimal | None: ...
    @overload
    def decimal(self, key: str, *, required: bool) -> Decimal | None: ...

    def decimal(self, key: str, default: Decimal | None = None, required: bool = True) -> Decimal | None:
        if key not in self.data:
            if required:
                self.fail(key, "缺少此字段")
            return default
        value = self.data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            return self._bounded(key, Decimal(value))
        if isinstance(value, float):
            self.fail(key, f"数字请写成带引号的字符串（如 \"{value:.2f}\"），以免丢失小数位")
        if not isinstance(value, str):
            self.fail(key, f"应为数字字符串，实为 {value!r}")
        if _DECIMAL.fullmatch(value):
            return self._bounded(key, Decimal(value))
        hint = unicodedata.normalize("NFKC", value).replace(",", "")
        if hint != value and _DECIMAL.fullmatch(hint):
            self.fail(key, f"“{value}”含全角字符或千分位，请写作“{hint}”")
        self.fail(key, f"“{value}”不是数字")

    def _bounded(self, key: str, value: Decimal) -> Decimal:
        problem = number_problem(value)
        if problem:
            self.fail(key, problem)
        return value

    @overload
    def table(self, key: str, required: Literal[True] = ...) -> _Reader: ...
    @overload
    def table(self, key: str, required: bool) -> _Reader | None: ...

    def table(self, key: str, required: bool = True) -> _Reader | None:
        if key not in self.data:
            if required:
                self.fail(key, "缺少此表")
            return None
        return _Reader(self.data[key], self.source, self._name(key))


def _amounts(reader: _Reader, version: int = 1) -> Amounts:
    """A funding row. Format 1 has every cell; in format 2 "" (or a cell left out) is blank."""
    reader.known([f for f, _ in AMOUNT_FIELDS])
    if version == 1:
        return Amounts(*(reader.decimal(f) for f, _ in AMOUNT_FIELDS))
    return Amounts(*(None if reader.data.get(f, "") == "" else reader.decimal(f) for f, _ in AMOUNT_FIELDS))


def _funding(top: _Reader, version: int) -> Funding:
    fund = top.table("funding")
    if version == 1:
        fund.known(("weight", "total") + tuple(k for k, _ in FUNDING_ROWS))
        rows: dict[str, Any] = {key: _amounts(fund.table(key)) for key, _ in FUNDING_ROWS}
        total = fund.table("total", required=False)
        return Funding(weight=fund.decimal("weight"), stated_total=_amounts(total) if total else None,
                       **rows)
    row_set = fund.get("rows", str, "central", required=False)
    if row_set not in ROW_SETS:
        fund.fail("rows", f"“{row_set}”不是已知的资金行组（可用：{'、'.join(ROW_SETS)}）")
    keys = tuple(k for k, _ in ROW_SETS[row_set])
    fund.known(("weight", "rows", "budget_column", "labels", "score", "reason", "total") + keys)
    budget_column = fund.data.get("budget_column", True)
    if not isinstance(budget_column, bool):
        fund.fail("budget_column", f"应为 true 或 false，实为 {budget_column!r}")
    labels: tuple[tuple[str, str], ...] = ()
    if (table := fund.table("labels", required=False)) is not None:
        table.known(("total",) + keys)
        labels = tuple((key, table.get(key, str)) for key in table.data)
    rows = {}
    for key in keys:
        table = fund.table(key, required=False)
        rows[key] = _amounts(table, 2) if table is not None else BLANK
    total = fund.table("total", required=False)
    return Funding(weight=fund.decimal("weight", None, required=False), rows=tuple(rows.items()),
                   row_set=row_set, labels=labels or (),
                   stated_total=_amounts(total, 2) if total is not None else None,
                   score=fund.decimal("score", None, required=False),
                   reason=fund.get("reason", str, "", required=False), budget_column=budget_column)


def record_from_dict(data: dict, source: str) -> Project:
    """A record from parsed TOML, checked field by field (RecordError on the first problem)."""
    top = _Reader(data, source)

    def out_of_bounds(field: str, message: str):
        raise RecordError(source, field, message)

    check_tree(data, out_of_bounds)  # every number bounded before anything computes with it
    version = top.get("format", int)
    if version > FORMAT_VERSION:
        top.fail("format", f"记录格式版本 {version} 比本程序支持的 {FORMAT_VERSION} 新，请升级 zipin")
    if version < 1:
        top.fail("format", f"记录格式版本 {version} 无效")
    top.known(_TOP_KEYS)
    record_id = top.get("id", str)
    if not record_id.strip():
        top.fail("id", "为空")

    funding = _funding(top, version)

    goals = top.table("goals", required=False) or _Reader({}, source, "goals")
    goals.known(("expected", "achieved"))

    texts = top.table("texts", required=False) or _Reader({}, source, "texts")
    for key, value in texts.data.items():
        if not isinstance(value, str):
            texts.fail(key, f"应为文字，实为 {value!r}")

    raw_items = top.get("indicators", list, default=[], required=False)
    if not isinstance(raw_items, list):
        top.fail("indicators", "应为表数组（[[indicators]]）")
    items = []
    for i, raw in enumerate(raw_items):
        r = _Reader(raw, source, f"indicators[{i}]")
        r.known(_INDICATOR_KEYS)
        items.append(Indicator(
            level1=r.get("level1", str), level2=r.get("level2", str, "", required=False),
            name=r.get("name", str), target=r.get("target", str), actual=r.get("actual", str, "", False),
            weight=r.decimal("weight"), score=r.decimal("score", None, required=False),
            reason=r.get("reason", str, "", required=False)))

    return Project(
        id=record_id, year=top.get("year", int), name=top.get("name", str),
        department=top.get("department", str, "", False), implementer=top.get("implementer", str, "", False),
        rules=top.get("rules", str, "default", False), money_unit=top.get("money_unit", str, "万元", False),
        funding=funding, expected=goals.get("expected", str, "", False),
        achieved=goals.get("achieved", str, "", False), indicators=tuple(items),
        predecessor=top.get("predecessor", str, "", False), format=version,
        layout=top.get("layout", str, "", False), texts=tuple(texts.data.items()),
        incomplete=top.get("incomplete", str, "", False))


def _amounts_dict(a: Amounts) -> dict:
    return {f: "" if getattr(a, f) is None else plain(getattr(a, f)) for f, _ in AMOUNT_FIELDS}


def fits_format_1(project: Project) -> bool:
    """Whether format 1 can hold the record: the central rows, every cell filled, nothing new."""
    f = project.funding
    cells = [a for _k, a in f.rows] + ([f.stated_total] if f.stated_total is not None else [])
    if project.layout or project.texts or project.incomplete:
        return False
    return (f.row_set == "central" and not f.labels and f.weight is not None and f.score is None
            and not f.reason and f.budget_column and not any(a.has_blank for a in cells))


def _funding_dict(funding: Funding, version: int) -> dict:
    out: dict = {}
    if funding.weight is not None:
        out["weight"] = plain(funding.weight)
    if version > 1:
        if funding.row_set != "central":
            out["rows"] = funding.row_set
        if not funding.budget_column:
            out["budget_column"] = False
        if funding.score is not None:
            out["score"] = plain(funding.score)
        if funding.reason:
            out["reason"] = funding.reason
        if funding.labels:
            out["labels"] = dict(funding.labels)
    if funding.stated_total is not None:
        out["total"] = _amounts_dict(funding.stated_total)
    for key, amounts in funding.rows:
        out[key] = _amounts_dict(amounts)
    return out


def record_to_dict(project: Project, lowest: bool = False) -> dict:
    """The record in canonical key order (docs/format.md); optional fields only when set. A record
    read from format 1 is written in format 1 while it fits it, so an unedited file keeps its bytes
    (and older versions of zipin can still open it). `lowest`: in the lowest format that holds it,
    whatever it was read from (the canonical form of bundles: equal records, equal digests)."""
    version = 1 if (lowest or project.format == 1) and fits_format_1(project) else FORMAT_VERSION
    funding = _funding_dict(project.funding, version)
    items = []
    for item in project.indicators:
        d = {"level1": item.level1, "level2": item.level2, "name": item.name, "target": item.target,
             "actual": item.actual, "weight": plain(item.weight)}
        if item.score is not None:
            d["score"] = plain(item.score)
        if item.reason:
            d["reason"] = item.reason
        items.append(d)
    head = {"format": version, "id": project.id}
    if project.predecessor:
        head["predecessor"] = project.predecessor
    out = {
        **head, "year": project.year, "name": project.name,
        "department": project.department, "implementer": project.implementer,
        "rules": project.rules}
    if project.layout:
        out["layout"] = project.layout
    out["money_unit"] = project.money_unit
    if project.incomplete:
        out["incomplete"] = project.incomplete
    out["funding"] = funding
    out["goals"] = {"expected": project.expected, "achieved": project.achieved}
    if project.texts:
        out["texts"] = dict(project.texts)
    out["indicators"] = items
    return out


# ---------------------------------------------------------------------------------------------
# text <-> record

def schema_path(name: str = SCHEMA_NAME) -> Path:
    """The JSON Schema: inside the installed package, or the checkout's schemas/ folder."""
    package = Path(__file__).parents[1]  # tui/
    packaged = package / "schemas" / name
    return packaged if packaged.exists() else package.parent / "schemas" / name


@cache
def _schema_target(name: str) -> Path:
    """Where the schema is, resolved once: it was a tenth of the time of every `dumps`."""
    return schema_path(name).resolve()


def schema_line(path: Path | None, name: str = SCHEMA_NAME) -> str:
    """`#:schema` for editors (Taplo): relative to the file, so a checkout's samples stay portable."""
    target = _schema_target(name)
    if path is None:
        return f"#:schema {target.as_uri()}\n"
    try:
        ref = os.path.relpath(target, Path(path).resolve().parent)
    except ValueError:  # another drive on Windows
        return f"#:schema {target.as_uri()}\n"
    return f"#:schema {Path(ref).as_posix()}\n"


# The `#:schema` line of a record written anew: beside the record, in the folder's .zipin/ (a
# copy written with the first such record), so it names no place zipin happens to be installed.
FOLDER_SCHEMA = f".zipin/{SCHEMA_NAME}"


def record_schema_line(path: Path | None) -> str:
    """The `#:schema` line a record is written with: the one its file has now, kept as it is
    (none if it has none: one line of diff noise per save otherwise); for a new file, one to the
    folder's own copy of the schema (`ensure_folder_schema`)."""
    if path is None:
        return schema_line(None)
    try:
        with Path(path).open("rb") as f:
            first = f.readline(4096)
    except FileNotFoundError:
        return f"#:schema {FOLDER_SCHEMA}\n"
    except OSError:
        return schema_line(path)
    first = first.removeprefix(b"\xef\xbb\xbf")  # a BOM stays where it was (_with_bom)
    if first.startswith(b"#:schema") and first.endswith(b"\n"):
        return first.decode("utf-8", "replace")
    return ""


def ensure_folder_schema(folder: Path) -> None:
    """The folder's copy of the record schema (FOLDER_SCHEMA), written when missing or stale.
    Only for editors' help: a copy that can't be written is left out, the record stays saved."""
    target = Path(folder) / FOLDER_SCHEMA
    try:
        text = schema_path().read_bytes()
        if target.exists() and target.read_bytes() == text:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text.decode("utf-8"))
    except OSError:
        pass


def dumps(project: Project, path: Path | None = None) -> str:
    return record_schema_line(path) + tomli_w.dumps(record_to_dict(project), multiline_strings=True)


def loads(text: str, source: str) -> Project:
    try:
        data = parse_toml(text)
    except ValueError as exc:
        raise RecordError(source, "", str(exc)) from None
    return record_from_dict(data, source)


def file_digest(data: bytes) -> str:
    """The sha256 of a record file's bytes: what a save checks the file against (changed on disk?).
    Not bundle.record_digest, which hashes the record's canonical form, however it was written."""
    return hashlib.sha256(data).hexdigest()


def load(path: Path) -> Loaded:
    path = Path(path)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise RecordError(str(path), "", f"无法读取（{os_error(exc)}）") from None
    except UnicodeDecodeError:
        raise RecordError(str(path), "", "不是 UTF-8 编码的文本") from None
    return Loaded(loads(text, str(path)), path, file_digest(data))


def record_files(folder: Path) -> list[Path]:
    """The record files of a folder, in the order of their names (bundles are not records)."""
    return sorted(p for p in Path(folder).glob("*.toml") if is_record_file(p))


def is_record_file(path: Path) -> bool:
    """Whether a `*.toml` of a folder is a record: a file, and not a bundle."""
    return path.is_file() and not _is_bundle(path)


def _is_bundle(path: Path) -> bool:
    """A bundle starts with its `#:schema …bundle.schema.json` line (export always writes it).
    Only the first line counts: a record whose name mentions bundle.schema.json is a record."""
    try:
        with path.open("rb") as f:
            first = f.readline(4096).strip()
    except OSError:
        return False
    return first.startswith(b"#:schema") and first.endswith(b"bundle.schema.json")


def load_folder(folder: Path, progress=None) -> FolderLoad:
    """Every record of a folder; a bad file is reported and the good ones still load.
    `progress(done, total)` is called after each file (tui.progress)."""
    result = FolderLoad()
    recover(folder)
    # Records make no reference cycles, yet the collector would walk the growing heap of them again
    # and again: paused, 10,000 records load about a fifth faster (tests/perf/bench_load.py).
    collecting = gc.isenabled()
    gc.disable()
    try:
        files = record_files(folder)
        for done, path in enumerate(files, 1):
            try:
                result.records.append(load(path))
            except RecordError as exc:
                result.failures.append(exc)
            if progress is not None:
                progress(done, len(files))
    finally:
        if collecting:
            gc.enable()
    return result


# ---------------------------------------------------------------------------------------------
# writing

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
_TEMP_EXTRA = len("." + "." + "12345678" + ".tmp")


def _temp_prefix(path: Path) -> str:
    """'.NAME.' for the temp file of `path`; NAME's stem is cut (whole characters) so the temp
    name fits NAME_MAX bytes, its suffix (.toml, .zipin-draft, .json) kept: a long name that
    fits may still be saved, and the temp is still recognisably zipin's own."""
    stem, suffix = path.name[:len(path.name) - len(path.suffix)], path.suffix
    room = NAME_MAX - _TEMP_EXTRA - len(suffix.encode("utf-8"))
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return f".{stem}{suffix}."


def _with_bom(path: Path, text: str) -> str:
    """A record saved with a UTF-8 BOM (as Notepad does) keeps it: saved unedited, it stays
    byte-identical."""
    try:
        with path.open("rb") as f:
            bom = f.read(3) == b"\xef\xbb\xbf"
    except OSError:
        bom = False
    return "\ufeff" + text if bom and not text.startswith("\ufeff") else text


def _write_temp(path: Path, text: str) -> Path:
    """Write beside the target (same filesystem, so the rename is atomic) and fsync."""
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
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


def _sync_dir(folder: Path) -> None:
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
    tmp = _write_temp(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


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


def save(project: Project, path: Path, expected: str | None) -> Loaded:
    """Save atomically. `expected` is the digest the file had when loaded (None: a new file);
    if the file on disk is not that, nothing is written and ChangedOnDisk is raised. The temp file
    is written first, so the check and the rename happen together under the folder's lock."""
    path = Path(path)
    text = _with_bom(path, dumps(project, path))
    tmp = _write_temp(path, text)
    try:
        with folder_lock(path.parent):
            if current_digest(path) != expected:
                raise ChangedOnDisk(path)
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)
    remove_draft(path)
    if expected is None:
        ensure_folder_schema(path.parent)  # after the record: a refused save writes nothing
    return Loaded(project, path, file_digest(text.encode("utf-8")))


JOURNAL_GLOB = ".zipin-journal.*.json"


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
            staged.append((_write_temp(path, text), path, text, None))
        with folder_lock(home):
            for _project, path, expected in items:
                if current_digest(path) != expected:
                    raise ChangedOnDisk(Path(path))
            staged = [(tmp, path, text, path.read_bytes() if path.exists() else None)
                      for tmp, path, text, _old in staged]
            _rename_staged(staged, home)
    except BaseException:
        for tmp, *_ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for folder in {Path(path).parent for _p, path, expected in items if expected is None}:
        ensure_folder_schema(folder)
    return [Loaded(project, Path(path), file_digest(text.encode("utf-8")))
            for (project, path, _e), (_t, _p, text, _o) in zip(items, staged)]


def _rename_staged(staged: list[tuple[Path, Path, str, bytes | None]], home: Path) -> None:
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
        _sync_dir(folder)
    journal.unlink(missing_ok=True)
    _sync_dir(home)


def _is_temp_of(tmp: Path, target: Path) -> bool:
    """Whether `tmp` is a name `_write_temp` gives a temp file of the record `target`."""
    if tmp.parent != target.parent or target.suffix != ".toml":
        return False
    m = re.fullmatch(r"(\..*\.toml\.)[A-Za-z0-9_]+\.tmp", tmp.name)
    return m is not None and m.group(1) == _temp_prefix(target)


def recover(folder: Path) -> int:
    """Finish the renames of a `save_all` that a crash interrupted (its journal is in `folder`).
    Returns how many files it put in place."""
    folder = Path(folder)
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


# zipin's own temp files (see _write_temp): of a record, a draft or a journal. Nothing else is
# ever removed: a user's ".my-notes.tmp" is not ours.
_OWN_TEMP = re.compile(r"\..+\.(?:toml|zipin-draft|json)\.[A-Za-z0-9_]+\.tmp")


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
                    and (before is None or before is False or _is_digest(before))):
                return None
            out.append((journal.parent / tmp, journal.parent / target, before))
        return out
    except (OSError, ValueError, TypeError):
        return None  # not ours to judge; a journal is written atomically, so this is foreign


def _is_digest(value) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None


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
                _sync_dir(parent)
            journal.unlink(missing_ok=True)
    return moved


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


def new_path(folder: Path, project: Project, taken: set[Path] | None = None) -> Path:
    """A free path in `folder` for a new record, named after the project."""
    stem = safe_stem(project.name)
    taken = taken or set()
    for n in range(1, 10_000):
        candidate = Path(folder) / (f"{stem}.toml" if n == 1 else f"{stem}-{n}.toml")
        if candidate not in taken and not candidate.exists():
            return candidate
    raise RuntimeError("too many files with the same name")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# drafts: unsaved edits survive a crash; offered for recovery on the next start

def draft_path(path: Path) -> Path:
    """`.NAME.toml.zipin-draft` beside the record; NAME cut (as a temp name is) so that the draft
    and its own temp file fit NAME_MAX bytes."""
    path = Path(path)
    room = NAME_MAX - _TEMP_EXTRA - len(DRAFT_SUFFIX) - len(path.suffix.encode("utf-8")) - 1
    stem = path.name[:len(path.name) - len(path.suffix)]
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return path.with_name(f".{stem}{path.suffix}{DRAFT_SUFFIX}")


def write_draft(project: Project, path: Path) -> None:
    atomic_write(draft_path(path), dumps(project, path))


def remove_draft(path: Path) -> None:
    draft_path(path).unlink(missing_ok=True)


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
