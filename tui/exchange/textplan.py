"""Importing printed forms' text into a folder: read the file, plan, write all or none.

What `zipin import-text` and the app share (tui.exchange.textimport parses and stays free of I/O; this
module reads the file, checks each form against the rules, picks free file names and writes).
No Textual.

    text = read_text_file(path)                    # UTF-8 or GB18030, else TextFileError
    plan = plan_text_import(import_text(text, year=...), rules, folder, existing_records)
    if plan.writable: write_text_import(plan)      # saving.save_all: every record or none
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable

from tui.core.messages import os_error
from tui.core.model import Project
from tui.core.rules import Rules, builtin_names, load_rules
from tui.core.scoring import ScoreSheet, score
from tui.store.codec import record_from_dict
from tui.store.naming import new_path
from tui.store.recordfile import Loaded
from tui.store.saving import save_all
from tui.exchange.textimport import ImportedForm, TextImport, check_form


class TextFileError(ValueError):
    """The text file can't be read or decoded; str() is one Chinese line (without the file name)."""


def read_text_file(path: Path) -> str:
    """The text of a pdftotext output: UTF-8 (a BOM tolerated) or GB18030."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TextFileError(f"无法读取（{os_error(exc)}）") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextFileError("不是 UTF-8 或 GB18030 编码的文本")


def year_from_name(path: Path) -> int | None:
    """A year in the file name (``2023-forms.txt``), for forms that don't print theirs."""
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", Path(path).stem)
    return int(m.group(1)) if m else None


@dataclass
class FormPlan:
    """One form of the text and what importing it would write."""

    form: ImportedForm
    project: Project | None = None  # None: the form can't be imported (form.problems say why)
    sheet: ScoreSheet | None = None  # scored with the rules given
    path: Path | None = None  # the new file it would be written to
    existing: Path | None = None  # a folder record of the same year and name (kept; this is new)


@dataclass
class TextPlan:
    """Every form of one text against a folder. Nothing is written unless every form can be."""

    result: TextImport
    folder: Path
    forms: list[FormPlan] = field(default_factory=list)

    @property
    def failed(self) -> list[ImportedForm]:
        return [p.form for p in self.forms if p.project is None]

    @property
    def disagreeing(self) -> list[ImportedForm]:
        return [p.form for p in self.forms if p.project is not None and p.form.disagreements]

    @property
    def writable(self) -> bool:
        return not self.result.problems and bool(self.forms) and not self.failed


def plan_text_import(result: TextImport, rules: Rules, folder: Path,
                     existing: Iterable[Loaded] = (), source: str = "", progress=None) -> TextPlan:
    """Check each form against `rules` (`check_form`), build and score its record, and pick a free
    name in `folder` for it. `existing` (the folder's records) only serves to note a record of
    the same year and name: an imported form is always a new record. `source` names the text in
    messages. Reads, never writes. `progress(done, total)` follows each form (tui.progress)."""
    folder = Path(folder)
    same = {(r.project.year, r.project.name): r.path for r in existing}
    plan = TextPlan(result, folder)
    if result.problems:
        return plan
    taken: set[Path] = set()
    for form in result.forms:
        if progress is not None:
            progress(len(plan.forms), len(result.forms))
        before = copy.deepcopy(form)
        check_form(form, rules)
        if form.ok and form.disagreements:
            _other_rules(before, rules, form)
        if not form.ok:
            plan.forms.append(FormPlan(form))
            continue
        assert form.record is not None  # a form that is ok has its record
        project = record_from_dict(form.record, f"{source}#{form.index}")
        path = new_path(folder, project, taken)
        taken.add(path)
        plan.forms.append(FormPlan(form, project, score(project, rules), path,
                                   same.get((project.year, project.name))))
    return plan


def _other_rules(before: ImportedForm, rules: Rules, form: ImportedForm) -> None:
    """Where a built-in profile other than `rules` gives every printed figure (a form rounding half
    up where the default truncates: 95.77% for 95.766…), say which, so the clerk can import again
    with it; the record is still checked with the rules asked for."""
    overrides = sum("score" in i for i in (form.record or {}).get("indicators", []))
    for name in builtin_names():
        if name == rules.name:
            continue
        other = copy.deepcopy(before)
        check_form(other, load_rules(name))
        if other.ok and not other.disagreements and \
                sum("score" in i for i in (other.record or {}).get("indicators", [])) <= overrides:
            form.notes.append(f"表上数字与内置评分规则“{name}”（{load_rules(name).title}）的计算全部一致："
                              f"可用 --rules {name} 导入")
            return


def write_text_import(plan: TextPlan) -> list[Path]:
    """Write every planned record (creating the folder), all or none (`saving.save_all`: raises
    OSError, saving.ChangedOnDisk if a chosen name was taken meanwhile, RecordError)."""
    if not plan.writable:
        raise ValueError("有无法导入的表，不能写入")
    plan.folder.mkdir(parents=True, exist_ok=True)
    records: list[tuple[Project, Path, str | None]] = []
    for p in plan.forms:
        assert p.project is not None and p.path is not None  # writable: every form has its record
        records.append((p.project, p.path, None))
    saved = save_all(records)
    return [s.path for s in saved]
