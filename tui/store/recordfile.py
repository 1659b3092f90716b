"""Record files: a record's text (its `#:schema` line and TOML), reading one file or every record
of a folder (a bad file reported, the good ones loaded), and which `*.toml` of a folder are records."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tui.collector import collector_paused  # also index's (tui.store.index)
from tui.core.bounds import parse_toml
from tui.core.messages import os_error
from tui.core.model import Project
from tui.store.atomic import atomic_write, file_digest
from tui.store.codec import RecordError, record_from_dict, record_to_dict
from tui.store.journal import recover

SCHEMA_NAME = "project.schema.json"


@dataclass(frozen=True)
class Loaded:
    """A record as read from its file, with the digest of the file's bytes."""
    project: Project
    path: Path
    digest: str  # sha256 of the bytes on disk when loaded or saved


@dataclass
class FolderLoad:
    """Every record of a folder that could be read, and the files that could not."""
    records: list[Loaded] = field(default_factory=list)
    failures: list[RecordError] = field(default_factory=list)


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
    first = first.removeprefix(b"\xef\xbb\xbf")  # a BOM stays where it was (saving._with_bom)
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
    import tomli_w  # at the first save: the app's start only reads

    return record_schema_line(path) + tomli_w.dumps(record_to_dict(project), multiline_strings=True)


def loads(text: str, source: str) -> Project:
    try:
        data = parse_toml(text, nesting=False)  # record_from_dict's check_tree refuses deep nesting
    except ValueError as exc:
        raise RecordError(source, "", str(exc)) from None
    return record_from_dict(data, source)


class NotARecord(RecordError):
    """A `*.toml` of a folder that is a bundle, not a record (`load(path, bundles=False)`)."""


def load(path: Path, bundles: bool = True) -> Loaded:
    """A record file read. `bundles=False`: NotARecord for a bundle, told by its first line
    before anything is parsed (a folder's files listed without opening each, tui.store.index)."""
    path = Path(path)
    try:
        data = path.read_bytes()
        if not bundles and _is_bundle_head(data[:4096].split(b"\n", 1)[0]):
            raise NotARecord(str(path), "", "是记录包，不是记录")
        text = data.decode("utf-8")
    except OSError as exc:
        raise RecordError(str(path), "", f"无法读取（{os_error(exc)}）") from None
    except UnicodeDecodeError:
        raise RecordError(str(path), "", "不是 UTF-8 编码的文本") from None
    return Loaded(loads(text, str(path)), path, file_digest(data))


def record_files(folder: Path) -> list[Path]:
    """The record files of a folder, in the order of their names (bundles are not records)."""
    return [p for p in toml_files(folder) if not _is_bundle(p)]


def toml_files(folder: Path) -> list[Path]:
    """The `*.toml` files of a folder in the order of their names, none opened: records, and any
    bundle among them, which `load(path, bundles=False)` tells as it reads the file (a folder of
    10,000 records was read twice: a line to tell a bundle, then the record)."""
    folder = Path(folder)
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".toml") and e.is_file())
    except OSError:
        return []
    return [folder / name for name in names]


def _is_bundle(path: Path) -> bool:
    """A bundle starts with its `#:schema …bundle.schema.json` line (export always writes it).
    Only the first line counts: a record whose name mentions bundle.schema.json is a record."""
    try:
        with path.open("rb") as f:
            first = f.readline(4096)
    except OSError:
        return False
    return _is_bundle_head(first)


def _is_bundle_head(first: bytes) -> bool:
    first = first.strip()
    return first.startswith(b"#:schema") and first.endswith(b"bundle.schema.json")


def load_folder(folder: Path, progress=None) -> FolderLoad:
    """Every record of a folder; a bad file is reported and the good ones still load.
    `progress(done, total)` is called after each file (tui.progress)."""
    result = FolderLoad()
    recover(folder)
    with collector_paused():
        files = record_files(folder)
        for done, path in enumerate(files, 1):
            try:
                result.records.append(load(path))
            except RecordError as exc:
                result.failures.append(exc)
            if progress is not None:
                progress(done, len(files))
    return result
