"""The main screen's exchange with colleagues: export records to a bundle, import a bundle after
a review, import the text of printed forms after a preview.

The work is the CLI's (tui.exchange.bundle.export_to_file, bundleplan.plan_import,
bundleapply.apply_import, tui.exchange.textplan): this module asks the questions, runs the slow
steps off the UI thread and shows what was written.

Decisions:
- An export takes the marked projects (Space in the list), else all, **as saved**: unsaved edits
  are not exported (the dialog names those projects), a project never saved is left out. What is
  exported is then exactly what is on disk, which is what the ledger (note_exported) remembers.
- An import plans against the folder as it is on disk now (not the app's copies), and writes all
  or none. A record open with unsaved edits is never overwritten in the editor: the file takes the
  import, the edits stay, and saving them later asks (the file changed on disk).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from rich.text import Text

from tui.core.messages import os_error
from tui.core.rules import RulesError
from tui.core.scoring import score
from tui.store.workspace import ChangedOnDisk, Loaded, RecordError, safe_stem
from tui.core.messages import visible
from tui.ui.screens.documents import entry_for
from tui.ui.screens.host import Host

# tui.exchange.bundle, tui.exchange.textimport, tui.exchange.textplan and the review and preview screens are imported by the
# flows that use them: the app starts without them (measured: about a twentieth of its start-up).


def _names(names: list[str], limit: int = 8) -> str:
    shown = "、".join(visible(n) or "（未命名）" for n in names[:limit])
    return shown + (f" 等 {len(names)} 个" if len(names) > limit else "")


def _writable_file(path: Path) -> str | None:
    if path.is_dir():
        return "这是一个文件夹：请写上包文件的名字（如 2023-自评.toml）"
    if not path.parent.is_dir():
        return f"文件夹 {path.parent} 不存在"
    return None


def _readable_file(path: Path) -> str | None:
    if not path.exists():
        return "文件不存在"
    if not path.is_file():
        return "这不是一个文件"
    return None


class Exchange:
    """Export, import, import printed forms' text, for the main screen (`main`)."""

    def __init__(self, main: Host) -> None:
        self.main = main
        self._last_bundle: Path | None = None  # the bundle last exported or imported: the next default

    def busy(self) -> bool:
        """Whether a flow can't start now: still loading, or another screen is up (from the
        palette over a review, say: the new flow would cancel the one waiting on that screen)."""
        if self.main.reading:
            self.main.say("仍在载入项目，请稍候再试", severity="warning", timeout=3)
            return True
        if self.main.app.screen is not self.main:
            self.main.say("请先完成或取消当前的操作", severity="warning", timeout=3)
            return True
        return False

    # -- export --------------------------------------------------------------------------------

    def action_export(self) -> None:
        if not self.busy():
            self.export_flow()

    def selected_keys(self) -> list[str]:
        """The marked projects (else all), in file order."""
        marked = self.main.list.marked & set(self.main.list.entries)
        return [k for k in self.main.list.entries if k in marked] if marked else list(self.main.list.entries)

    def export_selection(self) -> tuple[list[Loaded], list[str], list[str]]:
        """What an export takes: the marked projects (else all) as saved, in file order; with the
        names of those that have unsaved edits (exported as saved) and never saved (left out)."""
        records, unsaved, never = [], [], []
        for key in self.selected_keys():
            doc = self.main.docs.get(key)
            if doc is not None:
                if doc.saved is None or doc.path is None or doc.digest is None:
                    never.append(doc.project.name)
                    continue
                records.append(Loaded(doc.saved, doc.path, doc.digest))
                if self.main.is_dirty(key):
                    unsaved.append(doc.project.name)
            elif key in self.main.loaded:
                records.append(self.main.loaded[key])
        return records, unsaved, never

    def default_bundle_path(self, records: list[Loaded]) -> Path:
        """Beside the folder: <year>-<department>-自评.toml, from the most common of each."""
        years = Counter(r.project.year for r in records if r.project.year)
        departments = Counter(r.project.department for r in records if r.project.department)
        parts = [str(years.most_common(1)[0][0])] if years else []
        if departments:
            parts.append(safe_stem(departments.most_common(1)[0][0], 30))
        name = "-".join([*parts, "自评"]) + ".toml"
        return Path(self.main.folder).resolve().parent / name

    def export_flow(self) -> None:
        self.main.run_worker(self._export_flow(), exclusive=True, group="exchange")

    async def _export_flow(self) -> None:
        from tui.ui.screens.dialogs import PathDialog, message_dialog

        from tui.exchange.bundle import BundleError, export_to_file

        await self.main.loader.read_all(self.selected_keys())
        records, unsaved, never = self.export_selection()
        if not records:
            self.main.say("没有可导出的已保存项目", severity="warning")
            return
        marked = bool(self.main.list.marked & set(self.main.list.entries))
        message = Text()
        message.append(f"导出{'已标记的' if marked else '全部'} {len(records)} 个项目", style="bold")
        message.append("（磁盘上已保存的版本）及其评分规则，\n"
                       "写成一个包文件，供同事用“交换：导入”或 zipin import 导入：\n")
        message.append(_names([r.project.name for r in records], 12))
        if not marked:
            message.append("\n只导出其中几个：在项目列表中按空格标记。")
        if unsaved:
            message.append(f"\n\n以下项目有未保存的修改，导出的是上次保存的版本\n（先按 Ctrl+S 保存可一并导出）：\n"
                           f"{_names(unsaved)}", style="yellow")
        if never:
            message.append(f"\n\n从未保存的新项目不导出：{_names(never)}", style="yellow")
        if self.main.failures:
            message.append(f"\n\n{len(self.main.failures)} 个无法读取的文件不在其中。", style="yellow")
        default = self._last_bundle or self.default_bundle_path(records)
        path = await self.main.app.push_screen_wait(PathDialog(
            "交换：导出", message, str(default), _writable_file, overwrite=True,
            hint="包文件的路径（可修改）。Enter 导出，Esc 取消"))
        if path is None:
            return
        try:
            profiles = await asyncio.to_thread(export_to_file, self.main.folder, records, path)
        except (RulesError, BundleError) as exc:
            await self.main.app.push_screen_wait(message_dialog(
                "未导出", Text.assemble(str(exc), "\n\n请先改正该项目（F8 可跳到问题），再导出。")))
            return
        except OSError as exc:
            await self.main.app.push_screen_wait(message_dialog(
                "未导出", Text(f"无法写入 {path}（{os_error(exc)}）")))
            return
        self._last_bundle = path
        self.main.say(f"已导出 {len(records)} 个项目到 {path}（评分规则：{'、'.join(profiles)}）")

    # -- import a bundle -----------------------------------------------------------------------

    def action_import_bundle(self) -> None:
        if not self.busy():
            self.import_flow()

    def _unsaved_ids(self) -> set[str]:
        """Ids of the records open with unsaved edits (typing not yet committed counts)."""
        return {self.main.loaded[k].project.id for k in self.main.docs if k in self.main.loaded and self.main.is_dirty(k)}

    def import_flow(self) -> None:
        self.main.run_worker(self._import_flow(), exclusive=True, group="exchange")

    async def _import_flow(self) -> None:
        from tui.ui.screens.dialogs import PathDialog, message_dialog

        from tui.exchange.bundle import BundleError, load_bundle
        from tui.ui.screens.review import ImportReviewScreen

        default = self._last_bundle or Path(self.main.folder).resolve().parent
        message = Text("核对整个包（校验值、校验），再逐个列出与本文件夹相比的结果，确认后才写入。")
        path = await self.main.app.push_screen_wait(PathDialog(
            "交换：导入", message, str(default), _readable_file,
            hint="zipin export 或“交换：导出”生成的包文件。Enter 核对，Esc 取消"))
        if path is None:
            return
        try:
            bundle = await asyncio.to_thread(load_bundle, path)
        except BundleError as exc:
            await self.main.app.push_screen_wait(message_dialog("记录包有问题，未导入", Text.assemble(
                str(exc), "\n\n整个包未导入，未写入任何文件。")))
            return
        self._last_bundle = path

        async def plan_now():
            return await asyncio.to_thread(self.main.workspace.plan_import, bundle)

        done = await self.review_and_write(plan_now, ImportReviewScreen, remember=True, verb="导入",
                                           cancelled="已取消导入：未写入任何文件")
        if done is None:
            return
        plan, choices, written = done
        records = [p for p in written if p.parent == Path(self.main.folder)]
        kept = self.took_in(records)
        unresolved = len(plan.unresolved(choices))
        note = f"；{unresolved} 个冲突未选择，未导入" if unresolved else ""
        self.main.say(f"已导入：写入 {len(records)} 个记录{note}",
                 severity="warning" if unresolved else "information")
        if kept:
            await self.main.app.push_screen_wait(message_dialog("编辑中的修改未被覆盖", Text(
                f"以下项目有未保存的修改，编辑中的内容保持不变：\n{_names(kept)}\n\n"
                "磁盘上已是导入的版本。保存时会提示文件已被修改：\n"
                "选“重新载入”采用导入的版本（修改可用 Ctrl+Z 找回），\n选“继续编辑”则暂不保存。")))

    async def review_and_write(self, plan_now, screen, *, remember: bool, verb: str, cancelled: str):
        """Plan (`await plan_now()`: a plan, or None for nothing to review), review on `screen`,
        write all or none; a file changed during the review plans again. Returns (plan, choices,
        paths written), or None if cancelled (`cancelled` is said), nothing to review, or failed
        (a dialog titled “{verb}失败” said why)."""
        from tui.ui.screens.dialogs import message_dialog

        from tui.exchange.bundle import BundleError

        choices: dict[str, str] = {}
        while True:
            plan = await plan_now()
            if plan is None:
                return None
            answer = await self.main.app.push_screen_wait(screen(plan, choices, self._unsaved_ids()))
            if answer is None:
                self.main.say(cancelled, timeout=3)
                return None
            choices = answer
            try:
                written = await asyncio.to_thread(self.main.workspace.apply_import, plan, choices,
                                                  remember=remember)
            except ChangedOnDisk as exc:
                self.main.say(f"{exc.path.name} 在核对期间被修改：未写入任何文件。已重新读取文件夹，请再核对一次",
                         severity="warning", timeout=8)
                continue
            except (BundleError, RecordError, OSError) as exc:
                await self.main.app.push_screen_wait(message_dialog(f"{verb}失败", Text.assemble(
                    str(exc), "\n\n未写入任何文件。")))
                return None
            return plan, choices, written

    # -- conflicts a git merge left (tui.exchange.conflicts) -------------------------------------------

    def offer_merge_review(self) -> None:
        """After loading: review the conflicts a git merge left in the folder, if any."""
        from tui.exchange.conflicts import CONFLICTS

        home = Path(self.main.folder) / CONFLICTS
        if home.is_dir() and any(home.glob("*.toml")):
            self.merge_flow()

    def action_resolve_merge(self) -> None:
        if not self.busy():
            self.merge_flow()

    def merge_flow(self) -> None:
        self.main.run_worker(self._merge_flow(), exclusive=True, group="exchange")

    async def _merge_flow(self) -> None:
        from tui.ui.screens.dialogs import message_dialog

        from tui.exchange.bundleplan import SAME
        from tui.exchange.conflicts import forget, merge_plan
        from tui.ui.screens.review import MergeReviewScreen

        kept: dict[str, Path] = {}

        async def plan_now():
            folder_load = await asyncio.to_thread(self.main.workspace.load_all)
            try:
                found = merge_plan(self.main.folder, folder_load)
            except RulesError as exc:
                await self.main.app.push_screen_wait(message_dialog("无法核对合并冲突", Text(str(exc))))
                return None
            if found is None:
                self.main.say("没有待处理的 git 合并冲突", timeout=3)
                return None
            kept.update(found[1])
            return found[0]

        done = await self.review_and_write(
            plan_now, MergeReviewScreen, remember=False, verb="写入",
            cancelled="合并冲突留待以后：下次打开本文件夹（或 Ctrl+P“交换：解决合并冲突”）时再选")
        if done is None:
            return
        plan, choices, written = done
        settled = [item for item in plan.items if item.id in choices or item.status == SAME]
        for item in settled:
            forget(kept[item.id])
        self.took_in([p for p in written if p.parent == Path(self.main.folder)])
        files = "、".join(item.path.name for item in settled)
        left = len(plan.items) - len(settled)
        note = f"；{left} 个未选择，留待以后" if left else ""
        if settled:
            self.main.say(f"已解决 {len(settled)} 个合并冲突{note}。请在 git 中 git add {files} 后提交",
                     severity="warning" if left else "information", timeout=10)

    def took_in(self, paths: list[Path]) -> list[str]:
        """Show records an import just wrote: new ones join the list, changed ones are read again
        (an open one is reloaded, undoably). One open with unsaved edits is left as it is; its
        name is returned."""
        kept, added = [], []
        for path in paths:
            key = str(path)
            doc = self.main.docs.get(key)
            if doc is not None and self.main.is_dirty(key):
                kept.append(doc.project.name)
                continue
            try:
                loaded = self.main.workspace.load(path)
                rules = self.main.rules_for(loaded.project.rules)
            except (RecordError, RulesError, OSError) as exc:
                self.main.say(f"导入后无法读取 {path.name}：{exc}", severity="error")
                continue
            self.main.loaded[key] = loaded
            if doc is not None:
                doc.reload()
                if key == self.main.current:
                    self.main.show_current()
                self.main.changed(key, force=True)
                continue
            entry = entry_for(key, loaded.project, score(loaded.project, rules), path.name, False)
            if key in self.main.list.entries:
                self.main.list.update_entry(entry)
            else:
                added.append(entry)
        if added:
            self.main.list.add(added)
            if self.main.current is None and self.main.list.current_key is not None:
                self.main.open(self.main.list.current_key)  # the folder was empty
        self.main.update_year_line()
        return kept

    # -- import printed forms' text ------------------------------------------------------------

    def action_import_text(self) -> None:
        if not self.busy():
            self.import_text_flow()

    def import_text_flow(self) -> None:
        self.main.run_worker(self._import_text_flow(), exclusive=True, group="exchange")

    async def _import_text_flow(self) -> None:
        from tui.ui.screens.dialogs import PathDialog, message_dialog

        from tui.exchange.textimport import import_text
        from tui.exchange.textplan import TextFileError, plan_text_import, read_text_file, year_from_name

        message = Text("读取纸质表（PDF）经 pdftotext 转出的文本，逐张核对表上的数字，\n"
                       "确认后每张表写成本文件夹中的一个新记录（全部写入或全不写入）。")
        path = await self.main.app.push_screen_wait(PathDialog(
            "交换：导入纸质表文本", message, str(Path(self.main.folder).resolve().parent) + "/",
            _readable_file, hint=".txt 文件（UTF-8 或 GB18030）。Enter 读取，Esc 取消"))
        if path is None:
            return
        try:
            text = await asyncio.to_thread(read_text_file, path)
            rules = self.main.rules_for("default")
        except (TextFileError, RulesError) as exc:
            await self.main.app.push_screen_wait(message_dialog("无法导入", Text(f"{path.name}：{exc}")))
            return
        result = await asyncio.to_thread(import_text, text, year=year_from_name(path))
        await self.main.loader.read_all()
        existing = list(self.main.loaded.values())
        plan = await asyncio.to_thread(plan_text_import, result, rules, self.main.folder, existing,
                                       path.name)
        await self.write_previewed(plan, path)

    async def write_previewed(self, plan, path: Path) -> None:
        """Preview the forms of a text or a workbook (`plan`, tui.exchange.textplan); on yes, write them
        all or none and show them in the list."""
        from tui.ui.screens.dialogs import message_dialog

        from tui.ui.screens.textpreview import TextPreviewScreen

        if not await self.main.app.push_screen_wait(TextPreviewScreen(plan, path)):
            self.main.say("已取消导入：未写入任何文件", timeout=3)
            return
        try:
            written = await asyncio.to_thread(self.main.workspace.write_text_import, plan)
        except (OSError, ChangedOnDisk, RecordError) as exc:
            await self.main.app.push_screen_wait(message_dialog("导入失败", Text.assemble(
                str(exc), "\n\n未写入任何文件。")))
            return
        self.took_in(written)
        if written:
            self.main.list.select_key(str(written[0]))
        note = f"；{len(plan.disagreeing)} 张表的印刷数字与计算不一致，请核对" if plan.disagreeing else ""
        self.main.say(f"已导入 {len(written)} 张表{note}", severity="warning" if note else "information")
