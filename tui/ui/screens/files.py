"""The main screen's file actions: new project, save (one or all), reload from disk, the quit guard
and drafts (unsaved work written DRAFT_DELAY after the last change, offered back on the next start).
"""

from __future__ import annotations

import time
from datetime import date

from rich.text import Text
from textual.timer import Timer

from tui.core.messages import os_error
from tui.core.document import Document
from tui.store.workspace import ChangedOnDisk, Loaded, RecordError
from tui.core.editing import new_project
from tui.ui.widgets.fields import FieldInput
from tui.ui.screens.documents import entry_for
from tui.ui.screens.host import Host

DRAFT_DELAY = 0.5  # seconds after the last change before unsaved work is written to a draft


class Files:
    """Save, reload, new, delete, quit and drafts, for the main screen (`main`)."""

    def __init__(self, main: Host) -> None:
        self.main = main
        self._draft_keys: set[str] = set()  # projects whose draft is due
        self._draft_timer: Timer | None = None
        self._last_change = 0.0
        self._trashed: list[tuple] = []  # projects deleted this session, for Ctrl+Z

    def action_new_project(self) -> None:
        self.main.editor.flush()
        base = self.main.doc.project if self.main.doc else None
        year = base.year if base and base.year else date.today().year
        project = new_project(year, base.department if base else "")
        key = f"new:{project.id}"
        doc = self.main.docs[key] = Document(project, self.main.rules_for(project.rules))
        self.main.list.add([entry_for(key, project, doc.assessment, "（未保存）", True)])
        self.main.list.select_key(key)
        self.main.open(key)
        self.main.editor.query_one("#head-name", FieldInput).focus()
        self.schedule_draft(key)

    def action_save(self) -> None:
        if not self.main.editor.flush() or self.main.doc is None or self.main.current is None:
            if self.main.doc is not None:
                self.main.say("有无法采用的输入，请先改正或按 Esc 取消", severity="error")
            return
        if not self.main.doc.dirty:
            self.main.say("没有需要保存的修改", timeout=2)
            return
        self.save_key(self.main.current)

    def action_save_all(self) -> None:
        self.main.editor.flush()
        saved = sum(1 for key in list(self.main.docs) if self.main.docs[key].dirty and self.save_key(key))
        if saved:
            self.main.say(f"已保存 {saved} 个项目")

    def save_key(self, key: str, ask: bool = True) -> bool:
        """Save one project; on a file changed on disk, ask to reload or keep editing. A project
        renamed since its file was named after it is offered a file of its new name."""
        doc = self.main.docs[key]
        old_name = doc.saved.name if doc.saved is not None and not doc.never_saved else None
        try:
            path = doc.save(self.main.workspace)  # a new project is named after its name now
        except ChangedOnDisk as exc:
            # exc.path, not doc.path: a never-saved project that lost the race for its file name
            # has no path of its own yet.
            if ask:
                self._ask_changed_on_disk(key, exc.path.name)
            else:
                self.main.say(f"{exc.path.name}：文件在磁盘上已被修改，未保存",
                            severity="error")
            return False
        except OSError as exc:
            self.main.say(f"保存失败：{os_error(exc)}", severity="error")
            return False
        self._draft_keys.discard(key)
        entry = self.main.list.entries.get(key)
        if entry is not None:
            entry.file = path.name
            entry.reindex()
        self.main.changed(key)
        self._draft_keys.discard(key)
        problems = doc.assessment.problems
        errors = sum(1 for p in problems if p.level == "error")
        note = f"（有 {errors} 个错误）" if errors else ""
        self.main.say(f"已保存 {path.name}{note}",
                    severity="warning" if errors else "information")
        if ask and old_name is not None and old_name != doc.project.name \
                and doc.file_named_after(old_name) and not doc.file_named_after(doc.project.name):
            self._ask_rename(key)
        return True

    def _ask_rename(self, key: str) -> None:
        self.main.run_worker(self._ask_rename_flow(key), exclusive=True, group="rename")

    async def _ask_rename_flow(self, key: str) -> None:
        from tui.ui.screens.dialogs import ChoiceDialog

        doc = self.main.docs[key]
        if doc.path is None:  # asked after a save: it has its file
            return
        old = doc.path.name
        ws = self.main.workspace
        new = ws.new_path(doc.project, set(ws.orphan_drafts()))
        message = Text.assemble("项目名称已改为 ", (doc.project.name, "bold"), "。\n文件 ",
                                (old, "bold"), " 也改名为 ", (new.name, "bold"), "？")
        answer = await self.main.app.push_screen_wait(ChoiceDialog("文件跟着改名？", message, [
            ("rename", "改名", "r", "primary"), ("keep", "保留原文件名", "k", "default")],
            cancel="keep"))
        if answer != "rename":
            return
        try:
            path = doc.rename_file(self.main.workspace)
        except OSError as exc:
            self.main.say(f"未改名：{exc}", severity="error")
            return
        assert doc.saved is not None and doc.digest is not None  # saved before it was asked
        self.main.loaded[key] = Loaded(doc.saved, path, doc.digest)
        entry = self.main.list.entries.get(key)
        if entry is not None:
            entry.file = path.name
            entry.reindex()
        self.main.changed(key)
        self.main.say(f"文件已改名：{old} → {path.name}")

    def warn_duplicate_name(self, key: str | None) -> None:
        """After a name is typed: say so when another project of the same year has it."""
        doc = self.main.docs.get(key) if key else None
        if doc is None or not doc.project.name.strip():
            return
        twins = [e.file or "（未保存）" for k, e in self.main.list.entries.items()
                 if k != key and e.name == doc.project.name and e.year == doc.project.year]
        if twins:
            self.main.say(f"已有同名项目“{doc.project.name}”（{'、'.join(twins[:3])}）：请确认不是重复录入",
                     severity="warning", timeout=6)

    # -- deleting a project --------------------------------------------------------------------

    def action_delete_project(self) -> None:
        if self.main.current is not None and self.main.doc is not None:
            self._ask_delete(self.main.current)

    def _ask_delete(self, key: str) -> None:
        self.main.run_worker(self._ask_delete_flow(key), exclusive=True, group="delete")

    async def _ask_delete_flow(self, key: str) -> None:
        from tui.ui.screens.dialogs import ChoiceDialog

        doc = self.main.docs[key]
        name = doc.project.name or "（未命名）"
        where = f"文件 {doc.path.name} 移到 .zipin/trash/" if doc.path and not doc.never_saved \
            else "这个新项目从未保存"
        message = Text.assemble("删除项目 ", (name, "bold"), f"？\n{where}；",
                                "本次运行中可在项目列表按 Ctrl+Z 恢复。")
        answer = await self.main.app.push_screen_wait(ChoiceDialog("删除项目", message, [
            ("delete", "删除", "d", "error"), ("keep", "取消", "k", "default")], cancel="keep"))
        if answer != "delete":
            return
        self.main.editor.flush()
        try:
            trashed = doc.trash(self.main.workspace)
        except OSError as exc:
            self.main.say(f"未删除：{exc}", severity="error")
            return
        entry = self.main.list.entries.pop(key)
        self._trashed.append((key, doc, trashed, entry, self.main.loaded.pop(key, None)))
        self.main.docs.pop(key)
        self._draft_keys.discard(key)
        self.main.list.marked.discard(key)
        self.main.current = None
        self.main.list.add([])  # the list moves on, and the editor with it
        if self.main.list.current_key is not None:
            self.main.open(self.main.list.current_key)
        self.main.say(f"已删除：{name}（在项目列表按 Ctrl+Z 恢复）")

    def restore_trashed(self) -> bool:
        """Undo the last delete of this session; False when there is none."""
        if not self._trashed:
            return False
        key, doc, trashed, entry, loaded = self._trashed.pop()
        home, moved = doc.path, ""
        try:
            if trashed is not None:
                doc.untrash(self.main.workspace, trashed)
        except (OSError, ChangedOnDisk) as exc:  # still in the trash, and still undoable
            self._trashed.append((key, doc, trashed, entry, loaded))
            self.main.say(f"无法恢复 {entry.name or '（未命名）'}：{exc}", severity="error")
            return True
        self.main.docs[key] = doc
        if doc.path != home and home is not None and not doc.never_saved:  # its name was taken
            assert doc.path is not None and doc.saved is not None and doc.digest is not None
            moved = f"（{home.name} 已被占用，文件改为 {doc.path.name}）"
            entry.file = doc.path.name
            entry.reindex()
            loaded = Loaded(doc.saved, doc.path, doc.digest)
        if loaded is not None:
            self.main.loaded[key] = loaded
        self.main.list.add([entry])
        self.main.list.select_key(key)
        self.main.open(key)
        self.schedule_draft(key)  # its unsaved edits kept in a draft again (the delete removed it)
        self.main.say(f"已恢复：{entry.name or '（未命名）'}{moved}")
        return True

    def _ask_changed_on_disk(self, key: str, name: str) -> None:
        self.main.run_worker(self._ask_changed_on_disk_flow(key, name), exclusive=True, group="changed-on-disk")

    async def _ask_changed_on_disk_flow(self, key: str, name: str) -> None:
        from tui.ui.screens.dialogs import changed_on_disk_dialog

        answer = await self.main.app.push_screen_wait(changed_on_disk_dialog(name))
        if answer == "reload":
            self._reload(key)
        else:
            self.main.say("未保存：继续编辑", timeout=3)

    def action_reload(self) -> None:
        """Ctrl+R: the project in the editor as its file is now, and the folder too (files added
        or removed behind the app: another program, a colleague's copy, a git pull)."""
        folder = ""
        if not self.main.reading:  # while the first read runs, it lists what it finds
            added, gone = self.main.loader.rescan()
            folder = f"；文件夹中新增 {added} 个、移除 {gone} 个项目" if added or gone else ""
            if self.main.current is None:  # no project in the editor (an empty folder): the folder only
                self.main.say(folder[1:] or "文件夹中没有新增或移除的项目")
                return
        doc = self.main.doc
        if self.main.current is None or doc is None or doc.path is None or not doc.path.exists():
            why = ("这个项目还没有保存过" if doc is None or doc.path is None or doc.digest is None
                   else f"{doc.path.name} 已不在磁盘上")
            self.main.say(f"{why}，无法从磁盘重新载入{folder}", severity="warning")
            return
        self.main.edit.clear("field")
        self._reload(self.main.current, folder)

    def _reload(self, key: str, folder: str = "") -> None:
        doc = self.main.docs[key]
        try:
            doc.reload()
        except (RecordError, OSError) as exc:
            self.main.say(str(exc), severity="error")
            return
        assert doc.saved is not None and doc.path is not None and doc.digest is not None  # just read
        self.main.loaded[key] = Loaded(doc.saved, doc.path, doc.digest)
        if key == self.main.current:
            self.main.show_current()
        self.main.changed(key, force=True)
        self.main.say(f"已从磁盘重新载入 {doc.path.name}（Ctrl+Z 可撤销）{folder}")


    # -- quitting ----------------------------------------------------------------------------

    def confirm_quit(self) -> None:
        self.main.run_worker(self._confirm_quit(), exclusive=True, group="quit")

    async def _confirm_quit(self) -> None:
        """Quit, asking Save / Discard / Keep editing when anything is unsaved."""
        from tui.ui.screens.dialogs import quit_dialog

        unsaved = self.main.unsaved()
        if not unsaved:
            self.main.app.exit()
            return
        names = [self.main.docs[k].project.name or "（未命名）" for k in unsaved]
        answer = await self.main.app.push_screen_wait(quit_dialog(names))
        if answer == "save":
            if not self.main.editor.flush():
                self.main.editor.discard_unflushed()
            failed = [k for k in self.main.unsaved() if not self.save_key(k, ask=False)]
            if failed:
                return
            self.main.app.exit()
        elif answer == "discard":
            for key in unsaved:
                doc = self.main.docs[key]
                if doc.path is None:
                    continue
                try:
                    self.main.workspace.remove_draft(doc.path)
                except OSError:  # a draft that can't be removed is offered back at the next start
                    pass
            self._draft_keys.clear()
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            self.main.app.exit()

    # -- drafts ------------------------------------------------------------------------------

    def schedule_draft(self, key: str | None) -> None:
        """Write the project's unsaved state to a draft DRAFT_DELAY after the last change.
        One timer, re-armed when it fires early: no timer is made or reset per keystroke."""
        if key is None:
            return
        self._draft_keys.add(key)
        self._last_change = time.monotonic()
        if self._draft_timer is None:
            self._draft_timer = self.main.set_timer(DRAFT_DELAY, self._draft_due, name="drafts")

    def _draft_due(self) -> None:
        remaining = self._last_change + DRAFT_DELAY - time.monotonic()
        if remaining > 0.01:
            self._draft_timer = self.main.set_timer(remaining, self._draft_due, name="drafts")
        else:
            self.write_drafts()

    def write_drafts(self) -> None:
        self._draft_timer = None
        keys, self._draft_keys = self._draft_keys, set()
        for key in keys:
            doc = self.main.docs.get(key)
            if doc is None:
                continue
            project = self.main.edit.shown(doc.project) if key == self.main.current else doc.project
            try:
                doc.write_draft(self.main.workspace, project)  # (removes the draft when nothing is unsaved)
            except OSError as exc:
                self.main.say(f"无法写入草稿：{os_error(exc)}", severity="error")
