"""The project being edited: committed state, undo/redo, dirty state, save and drafts. No Textual.

A screen owns one Document; widgets only send it typed text. Every edit makes a new immutable
project (tui.editing), so undo is a stack of earlier projects.
"""

from __future__ import annotations

from pathlib import Path

from . import storage
from .editing import apply_edit
from .model import Project
from .rules import Rules
from .validation import Assessment, assess

UNDO_DEPTH = 500


class Document:
    def __init__(self, project: Project, rules: Rules, path: Path | None = None,
                 digest: str | None = None, saved: Project | None = None):
        self.path = Path(path) if path else None
        self.digest = digest  # of the file as loaded or last saved; None for a file not yet written
        self.saved = saved if saved is not None else (project if path and digest else None)
        self.project = project
        self.rules = rules
        self.assessment = assess(project, rules)
        self._undo: list[Project] = []
        self._redo: list[Project] = []

    @classmethod
    def from_loaded(cls, loaded: storage.Loaded, rules: Rules) -> Document:
        return cls(loaded.project, rules, loaded.path, loaded.digest, loaded.project)

    @property
    def dirty(self) -> bool:
        return self.project != self.saved

    def _set(self, project: Project) -> None:
        self.project = project
        self.assessment = assess(project, self.rules)

    def commit(self, project: Project) -> bool:
        """Make `project` current (undoable). False when nothing changed."""
        if project == self.project:
            return False
        self._undo.append(self.project)
        del self._undo[:-UNDO_DEPTH]
        self._redo.clear()
        self._set(project)
        return True

    def edit(self, path: str, text: str) -> bool:
        """Commit typed text into a field; ParseError (nothing changed) if it can't be taken."""
        return self.commit(apply_edit(self.project, path, text))

    def preview(self, path: str, text: str) -> tuple[Project, Assessment]:
        """What the project and its scores would be with this text, without committing it."""
        project = apply_edit(self.project, path, text)
        return project, assess(project, self.rules)

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

    def save(self, folder: Path) -> Path:
        """Save atomically; a new project gets a safe file name in `folder`.
        Raises storage.ChangedOnDisk when the file changed since it was loaded."""
        path = self.path or storage.new_path(folder, self.project)
        loaded = storage.save(self.project, path, self.digest)
        self.path, self.digest, self.saved = loaded.path, loaded.digest, loaded.project
        return loaded.path

    def reload(self) -> None:
        """Throw away unsaved edits and take the file as it is on disk now (undoable)."""
        assert self.path is not None
        loaded = storage.load(self.path)
        self.digest, self.saved = loaded.digest, loaded.project
        self.commit(loaded.project)

    def changed_on_disk(self) -> bool:
        return self.path is not None and storage.current_digest(self.path) != self.digest

    def write_draft(self, folder: Path) -> Path:
        """Keep unsaved edits beside the file, so a crash loses nothing (removed on save)."""
        path = self.path or storage.new_path(folder, self.project)
        if self.path is None:
            self.path = path  # a new project keeps the name its draft was written under
        storage.write_draft(self.project, path)
        return path
