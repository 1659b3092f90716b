"""The project being edited: committed state, undo/redo, dirty state, save and drafts. No Textual.

A screen owns one Document; widgets only send it typed text. Every edit makes a new immutable
project (tui.core.editing), so undo is a stack of earlier projects.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.store import atomic, naming, recordfile
from tui.store.saving import ChangedOnDisk
from tui.core.editing import apply_edit, value_text
from tui.core.model import ParseError, Project
from tui.core.rules import Rules
from tui.core.validation import Assessment, assess

if TYPE_CHECKING:
    from tui.store.workspace import Workspace

UNDO_DEPTH = 500


class Document:
    def __init__(self, project: Project, rules: Rules, path: Path | None = None,
                 digest: str | None = None, saved: Project | None = None,
                 assessment: Assessment | None = None):
        self.path = Path(path) if path else None
        self.digest = digest  # of the file as loaded or last saved; None for a file not yet written
        self.saved = saved if saved is not None else (project if path and digest else None)
        self.project = project
        self.rules = rules
        # `assessment`: the project's own by these rules, made already (a record just read)
        self.assessment = assess(project, rules) if assessment is None else assessment
        self._undo: list[Project] = []
        self._redo: list[Project] = []
        # The last text previewed: (project it was typed into, path, text) -> what it made. A
        # keystroke is checked by the table typed in and then previewed by the editor, and Enter
        # commits the same text: one parse and one assessment serve all three.
        self._typed: tuple[Project, str, str, tuple[Project, Assessment] | ParseError] | None = None

    @classmethod
    def from_loaded(cls, loaded: recordfile.Loaded, rules: Rules,
                    assessment: Assessment | None = None) -> Document:
        return cls(loaded.project, rules, loaded.path, loaded.digest, loaded.project, assessment)

    @property
    def dirty(self) -> bool:
        return self.project != self.saved

    def _set(self, project: Project, assessment: Assessment | None = None) -> None:
        self.project = project
        self.assessment = assess(project, self.rules) if assessment is None else assessment

    def commit(self, project: Project, assessment: Assessment | None = None) -> bool:
        """Make `project` current (undoable); `assessment`, if given, is its own (previewed).
        False when nothing changed."""
        if project == self.project:
            return False
        self._undo.append(self.project)
        del self._undo[:-UNDO_DEPTH]
        self._redo.clear()
        self._set(project, assessment)
        return True

    def edit(self, path: str, text: str) -> bool:
        """Commit typed text into a field; ParseError (nothing changed) if it can't be taken."""
        return self.commit(*self.preview(path, text))

    def preview(self, path: str, text: str) -> tuple[Project, Assessment]:
        """What the project and its scores would be with this text, without committing it;
        ParseError if the text can't be taken. The last answer is kept (see `_typed`)."""
        typed = self._typed
        if typed is not None and typed[0] is self.project and typed[1] == path and typed[2] == text:
            found = typed[3]
        else:
            try:
                project = apply_edit(self.project, path, text)
                found = (project, assess(project, self.rules))
            except ParseError as exc:
                found = exc
            self._typed = (self.project, path, text, found)
        if isinstance(found, ParseError):
            raise ParseError(*found.args)  # a fresh one: the kept one would collect tracebacks
        return found

    def check(self, path: str, text: str) -> tuple[str, str]:
        """Whether typed text can be taken, for the cell it is typed in: ("", how it is understood
        when that is not the text itself, else "") or (why not, "")."""
        try:
            project, _assessment = self.preview(path, text)
        except ParseError as exc:
            return str(exc), ""
        stored = value_text(project, path)
        return "", stored if stored != text else ""

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self.project)
        self._set(self._undo.pop())
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self.project)
        self._set(self._redo.pop())
        return True

    @property
    def never_saved(self) -> bool:
        """A new project (or one recovered from a draft) that has no file of its own yet: its
        `path`, if any, is only where its draft is kept until the first save names it."""
        return self.digest is None

    def _free_path(self, ws: Workspace) -> Path:
        """A path named after the project, taken neither by a record nor by another new project's
        draft (else two unsaved new projects would share one draft, or a save would adopt a
        stranger's draft as its own)."""
        taken = set(ws.orphan_drafts()) - {self.path}
        return ws.new_path(self.project, taken)

    def save(self, ws: Workspace) -> Path:
        """Save atomically. A never-saved project picks its file now, from its current name (not
        the name it had when its first draft was written), and its draft moves with it.
        Raises saving.ChangedOnDisk when the file changed since it was loaded (or, for a new
        project, appeared meanwhile): nothing is overwritten."""
        draft_home = self.path
        path = self._free_path(ws) if self.never_saved or self.path is None else self.path
        loaded = ws.save(self.project, path, self.digest)
        self.path, self.digest, self.saved = loaded.path, loaded.digest, loaded.project
        if draft_home is not None and draft_home != self.path:
            ws.remove_draft(draft_home)
        return loaded.path

    def reload(self) -> None:
        """Throw away unsaved edits and take the file as it is on disk now (undoable)."""
        assert self.path is not None
        loaded = recordfile.load(self.path)
        self.digest, self.saved = loaded.digest, loaded.project
        self.commit(loaded.project)

    def changed_on_disk(self) -> bool:
        return (not self.never_saved and self.path is not None
                and atomic.current_digest(self.path) != self.digest)

    def write_draft(self, ws: Workspace, project: Project | None = None) -> Path | None:
        """Keep unsaved work beside the file, so a crash loses nothing (removed on save).

        `project` is what to keep, by default the committed project; a screen passes the project
        with the text still being typed (`preview`). When that is just what is saved, the draft
        is removed instead. A never-saved project's draft goes under a free name in `folder`,
        kept until the first save (in `ws`'s folder). Returns the path of the record the draft belongs to, or None
        when there was nothing to keep."""
        project = self.project if project is None else project
        if project == self.saved:
            if self.path is not None:
                ws.remove_draft(self.path)
            return None
        if self.path is None:
            self.path = self._free_path(ws)
        ws.write_draft(project, self.path)
        return self.path

    # -- the file itself: follow a rename of the project, delete to the trash ----------------

    def file_named_after(self, name: str) -> bool:
        """Whether the saved file bears this project name (``名称.toml``, ``名称-2.toml``; an
        unnamed project's ``项目.toml``): then a new name may take the file along."""
        if self.path is None:
            return False
        stem, own = naming.safe_stem(name), self.path.stem
        return own == stem or (own.startswith(stem + "-") and own[len(stem) + 1:].isdigit())

    def rename_file(self, ws: Workspace) -> Path:
        """Give the saved file the project's name (a free one: ``名称-2.toml`` when taken), its
        draft along; FileExistsError (nothing moved) if that name was taken meanwhile."""
        assert self.path is not None and not self.never_saved
        target = ws.new_path(self.project, set(ws.orphan_drafts()))
        self.path = ws.rename(self.path, target)
        return self.path

    def trash(self, ws: Workspace) -> Path | None:
        """Delete the project: its file (a never-saved one's draft) moved to the folder's trash
        (Workspace.trash); `untrash` brings it back. None when there was no file yet."""
        if self.path is None:
            return None
        return ws.trash(self.path, draft_only=self.never_saved)

    def untrash(self, ws: Workspace, trashed: Path) -> Path:
        """Undo `trash`: the file (a never-saved one's draft) back under its name, or, when that
        was taken meanwhile (a project saved under the same name), under a free one beside it
        (``名称-2.toml``) — `path` follows. Returns the path."""
        assert self.path is not None
        try:
            ws.untrash(trashed, self.path, draft_only=self.never_saved)
        except ChangedOnDisk:
            taken, n = set(ws.orphan_drafts()), 2  # a record's file or a new project's draft
            free = self.path.with_name(f"{self.path.stem}-{n}.toml")
            while free in taken or free.exists():
                n += 1
                free = self.path.with_name(f"{self.path.stem}-{n}.toml")
            ws.untrash(trashed, free, draft_only=self.never_saved)
            self.path = free
        return self.path
