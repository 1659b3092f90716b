"""The main screen's open documents: which project is in the editor, and how every view shows it.

A `Document` is made the first time the list shows its project (`_document`); `open` moves the
editor to another one, committing what was typed in the last. `refresh_views` is the one place
that repaints the editor, the list's line and the year line from a project (committed or
previewed), and runs on each keystroke: each widget redraws only what changed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from tui.core.document import Document
from tui.core.format import amount, fixed
from tui.core.model import Project
from tui.core.rules import Rules, RulesError, load_rules
from tui.core.scoring import ScoreSheet
from tui.core.validation import Assessment, validate
from tui.store.workspace import RecordError
from tui.ui.widgets.fields import FieldInput
from tui.ui.widgets.status import ScoreBar, StatusLine
from tui.ui.widgets.header import FundingReason, GoalsForm, HeaderForm
from tui.ui.widgets.problems import ProblemList
from tui.core.messages import visible
from tui.ui.widgets.project_list import Entry
from tui.ui.screens.parts import MainParts

_WAN = Decimal(10000)


def entry_for(key: str, project: Project, scored: ScoreSheet | Assessment, file: str,
              dirty: bool) -> Entry:
    if not isinstance(scored, Assessment):  # a sheet carries its rules: its problems follow
        scored = Assessment(scored, validate(project, scored.rules, scored) if scored.rules else [])
    sheet = scored.sheet
    total = project.funding.total
    scale = _WAN if project.money_unit == "元" else Decimal(1)
    return Entry(key=key, name=project.name, year=project.year, file=file,
                 department=project.department, total=sheet.total, grade=sheet.grade,
                 rate=sheet.rate, adjusted=(total.adjusted or 0) / scale,
                 executed=(total.executed or 0) / scale, dirty=dirty, errors=scored.error_count,
                 places=(rules.figure("total").places, rules.figure("rate").places)
                 if (rules := sheet.rules) else (2, 2))


def entry_of(key: str, summary: dict, file: str) -> Entry:
    """The list's line of a record from its line in the folder index (tui.store.index.line): the same
    figures as `entry_for` gives from the record itself, without reading it."""
    scale = _WAN if summary["money_unit"] == "元" else Decimal(1)
    exact = {k: None if v is None else Decimal(v) for k, v in summary["exact"].items()}
    return Entry(key=key, name=summary["name"], year=summary["year"], file=file,
                 department=summary["department"], total=exact["total"] or Decimal(0), grade=summary["grade"],
                 rate=exact["rate"], adjusted=(exact["adjusted"] or 0) / scale,
                 executed=(exact["executed"] or 0) / scale, dirty=False,
                 errors=summary["error_count"], places=tuple(summary["places"]))


def year_lines(entries: list[Entry], rules: Rules) -> Text:
    """One line per year: how many projects, budget and executed (万元), grades tallied. The rate
    is rounded by `rules` (the folder's default profile), in its wide context: any amount fits."""
    years: dict[int, list[Entry]] = {}
    for entry in entries:
        years.setdefault(entry.year, []).append(entry)
    text = Text()
    for year in sorted(years, reverse=True):
        items = years[year]
        adjusted = sum((e.adjusted for e in items), Decimal(0))
        executed = sum((e.executed for e in items), Decimal(0))
        rate = rules.q(executed / adjusted * 100) if adjusted else Decimal(0)
        grades: dict[str, int] = {}
        for e in items:
            grade = "未定" if e.errors else e.grade  # a grade errors leave open is not tallied as one
            grades[grade] = grades.get(grade, 0) + 1
        tally = " ".join(f"{g} {grades.pop(g, 0)}" for g in ("优", "良", "中", "差"))
        tally += "".join(f" {g} {n}" for g, n in grades.items())
        if text:
            text.append("\n")
        text.append(f"{year or '—'}年", style="bold")
        text.append(f" {len(items)} 项  {tally}\n")
        text.append(f"预算 {amount(adjusted)} 执行 {amount(executed)} 万元 {fixed(rate)}%")
    return text


class DocumentsPart(MainParts):
    """Opening projects and painting them (a part of MainScreen: see main.py)."""

    def _document(self, key: str) -> Document:
        doc = self.docs.get(key)
        if doc is None:
            loaded = self.loaded.get(key)
            if loaded is None:  # listed from the folder's index, not read yet: read it now
                loaded = self.loaded[key] = self.workspace.load(Path(key))
            doc = self.docs[key] = Document.from_loaded(loaded, self.rules_for(loaded.project.rules))
        return doc

    def is_dirty(self, key: str) -> bool:
        doc = self.docs.get(key)
        if doc is None:
            return False
        if key == self.current and self.edit.active:
            return True
        return doc.dirty

    def unsaved(self) -> list[str]:
        """Keys of the projects with unsaved changes (typed text not yet committed counts)."""
        return [key for key in self.docs if self.is_dirty(key)]

    def open(self, key: str) -> None:
        """Show a project in the editor (after committing what was typed in the last one)."""
        if key == self.current:
            return
        if not self.flush():
            self._discard_unflushed()
        try:
            self._document(key)
        except (RecordError, RulesError) as exc:  # changed behind the index since
            self.say(str(exc), severity="error")
            return
        self.current = key
        self._problem_index = -1
        if self.last_year_shown:  # F4 on: this project's last year, before the grid shows it
            self.show_last_year()
        self.show_current()
        doc = self.docs[key]
        self.funding.home(doc.project)  # each table where this project's typing starts
        self.grid.home()

    def show_current(self) -> None:
        doc = self.doc
        if doc is None:
            return
        self.edit.clear()
        for field in self.query(FieldInput):
            if field.id != "filter":
                field.mark(None)
        self.query_one("#edit-status", StatusLine).set("")
        self.refresh_views(doc.project, doc.assessment, force=True)

    def refresh_views(self, project: Project, assessment: Assessment, force: bool = False) -> None:
        """Repaint every view of the current project from `project` (committed or previewed).
        Each widget redraws only what changed, so this is the per-keystroke path too. `force`
        also rewrites the field that has focus (after undo, redo, reload)."""
        key = self.current
        if key is None:
            return
        dirty = self.is_dirty(key)
        self.query_one(HeaderForm).show(project, force)
        self.funding.show(project, assessment, force)
        notes = self.query(FundingReason)
        if notes:
            notes.first().show(project, force)
        elif FundingReason.needed(project):
            self.query_one("#form").mount(FundingReason(project, id="funding-note"))
        self.query_one(GoalsForm).show(project, force)
        self.query_one(ScoreBar).show(assessment, dirty)
        self.grid.show(project, assessment)
        self.query_one(ProblemList).show(assessment.problems)
        entry = self.list.entries.get(key)
        file = entry.file if entry else ""
        self.list.update_entry(entry_for(key, project, assessment, file, dirty))
        self.dirty = dirty
        self.title = f"{'＊' if dirty else ''}{visible(project.name) or '（未命名）'}"
        self._update_year_line()

    def _year_rules(self) -> Rules:
        """The profile that rounds the year line's rate: the folder's default (else the built-in)."""
        try:
            return self.rules_for("default")
        except RulesError:
            return load_rules("default")

    def _update_year_line(self) -> None:
        text = year_lines(list(self.list.entries.values()), self._year_rules())
        if text.plain != self._year_text:
            lines = self._year_text.count("\n")
            self._year_text = text.plain
            self.query_one("#year-line", Static).update(text, layout=text.plain.count("\n") != lines)

    def _changed(self, key: str | None = None, force: bool = False) -> None:
        """After a commit, undo, redo or reload: repaint and schedule the draft."""
        key = key or self.current
        if key is None:
            return
        if key == self.current:
            doc = self.docs[key]
            self.refresh_views(doc.project, doc.assessment, force)
        else:
            doc = self.docs[key]
            entry = self.list.entries[key]
            self.list.update_entry(entry_for(key, doc.project, doc.assessment, entry.file,
                                          doc.dirty))
        self.schedule_draft(key)

