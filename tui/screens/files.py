"""The main screen's file actions: new project, save (one or all), reload from disk, the quit guard
and drafts (unsaved work written DRAFT_DELAY after the last change, offered back on the next start).
"""

from __future__ import annotations

import time
from datetime import date

from textual import work
from textual.screen import Screen
from textual.timer import Timer

from ..messages import os_error
from ..document import Document
from ..workspace import ChangedOnDisk, Loaded, RecordError
from ..editing import new_project
from ..widgets.fields import FieldInput
from .dialogs import changed_on_disk_dialog, quit_dialog
from .documents import entry_for

DRAFT_DELAY = 0.5  # seconds after the last change before unsaved work is written to a draft


class FilesPart(Screen):
    """Save, reload, new, quit, drafts (a part of MainScreen: see main.py)."""

    _draft_timer: Timer | None

    def action_new_project(self) -> None:
        self.flush()
        base = self.doc.project if self.doc else None
        year = base.year if base and base.year else date.today().year
        project = new_project(year, base.department if base else "")
        key = f"new:{project.id}"
        doc = self.docs[key] = Document(project, self.rules_for(project.rules))
        self.list.add([entry_for(key, project, doc.assessment, "（未保存）", True)])
        self.list.select_key(key)
        self.open(key)
        self.query_one("#head-name", FieldInput).focus()
        self.schedule_draft(key)

    def action_save(self) -> None:
        if not self.flush() or self.doc is None:
            if self.doc is not None:
                self.say("有无法采用的输入，请先改正或按 Esc 取消", severity="error")
            return
        if not self.doc.dirty:
            self.say("没有需要保存的修改", timeout=2)
            return
        self.save_key(self.current)

    def action_save_all(self) -> None:
        self.flush()
        saved = sum(1 for key in list(self.docs) if self.docs[key].dirty and self.save_key(key))
        if saved:
            self.say(f"已保存 {saved} 个项目")

    def save_key(self, key: str, ask: bool = True) -> bool:
        """Save one project; on a file changed on disk, ask to reload or keep editing."""
        doc = self.docs[key]
        try:
            path = doc.save(self.workspace)  # a new project is named after its name now
        except ChangedOnDisk as exc:
            # exc.path, not doc.path: a never-saved project that lost the race for its file name
            # has no path of its own yet.
            if ask:
                self._ask_changed_on_disk(key, exc.path.name)
            else:
                self.say(f"{exc.path.name}：文件在磁盘上已被修改，未保存",
                            severity="error")
            return False
        except OSError as exc:
            self.say(f"保存失败：{os_error(exc)}", severity="error")
            return False
        self._draft_keys.discard(key)
        entry = self.list.entries.get(key)
        if entry is not None:
            entry.file = path.name
            entry.reindex()
        self._changed(key)
        self._draft_keys.discard(key)
        problems = doc.assessment.problems
        errors = sum(1 for p in problems if p.level == "error")
        note = f"（有 {errors} 个错误）" if errors else ""
        self.say(f"已保存 {path.name}{note}",
                    severity="warning" if errors else "information")
        return True

    @work(exclusive=True, group="changed-on-disk")
    async def _ask_changed_on_disk(self, key: str, name: str) -> None:
        answer = await self.app.push_screen_wait(changed_on_disk_dialog(name))
        if answer == "reload":
            self._reload(key)
        else:
            self.say("未保存：继续编辑", timeout=3)

    def action_reload(self) -> None:
        if self.current is None or self.doc is None or self.doc.path is None \
                or not self.doc.path.exists():
            self.say("这个项目还没有保存过，无法从磁盘重新载入", severity="warning")
            return
        self._pending = None
        self._reload(self.current)

    def _reload(self, key: str) -> None:
        doc = self.docs[key]
        try:
            doc.reload()
        except (RecordError, OSError) as exc:
            self.say(str(exc), severity="error")
            return
        self.loaded[key] = Loaded(doc.saved, doc.path, doc.digest)
        if key == self.current:
            self.show_current()
        self._changed(key, force=True)
        self.say(f"已从磁盘重新载入 {doc.path.name}（Ctrl+Z 可撤销）")


    # -- quitting ----------------------------------------------------------------------------

    @work(exclusive=True, group="quit")
    async def confirm_quit(self) -> None:
        """Quit, asking Save / Discard / Keep editing when anything is unsaved."""
        unsaved = self.unsaved()
        if not unsaved:
            self.app.exit()
            return
        names = [self.docs[k].project.name or "（未命名）" for k in unsaved]
        answer = await self.app.push_screen_wait(quit_dialog(names))
        if answer == "save":
            if not self.flush():
                self._discard_unflushed()
            failed = [k for k in self.unsaved() if not self.save_key(k, ask=False)]
            if failed:
                return
            self.app.exit()
        elif answer == "discard":
            for key in unsaved:
                doc = self.docs[key]
                if doc.path is not None:
                    self.workspace.remove_draft(doc.path)
            self._draft_keys.clear()
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            self.app.exit()

    # -- drafts ------------------------------------------------------------------------------

    def schedule_draft(self, key: str | None) -> None:
        """Write the project's unsaved state to a draft DRAFT_DELAY after the last change.
        One timer, re-armed when it fires early: no timer is made or reset per keystroke."""
        if key is None:
            return
        self._draft_keys.add(key)
        self._last_change = time.monotonic()
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self._draft_due, name="drafts")

    def _draft_due(self) -> None:
        remaining = self._last_change + DRAFT_DELAY - time.monotonic()
        if remaining > 0.01:
            self._draft_timer = self.set_timer(remaining, self._draft_due, name="drafts")
        else:
            self.write_drafts()

    def write_drafts(self) -> None:
        self._draft_timer = None
        keys, self._draft_keys = self._draft_keys, set()
        for key in keys:
            doc = self.docs.get(key)
            if doc is None:
                continue
            project = self._preview if key == self.current and self._preview else doc.project
            try:
                doc.write_draft(self.workspace, project)  # (removes the draft when nothing is unsaved)
            except OSError as exc:
                self.say(f"无法写入草稿：{os_error(exc)}", severity="error")
