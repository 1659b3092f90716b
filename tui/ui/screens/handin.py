"""What the clerk hands in, from the app: the year's summary (F9), the workbook (xlsx), next
year's forms from this year's (F7), and a workbook's forms brought in after a preview.

The work is the CLI's (tui.printed.summary, tui.printed.xlsx, tui.core.nextyear, tui.exchange.xlsxin with tui.exchange.textplan):
this module asks the questions, runs the slow steps off the UI thread and says what was written.

Decisions:
- The summary shows the projects as they are in the app, unsaved edits included (it is a view,
  like the year line under the list), for the year of the project in the editor.
- The workbook and next year's forms take the marked projects (Space), else all (next year: all of
  the editor's year), as saved, as an export does (`export_selection`): what is handed in is what
  is on disk.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text

from tui.core.messages import os_error, visible
from tui.store.workspace import ChangedOnDisk, RecordError, Workspace
from tui.core.rules import RulesError
from tui.core.model import Project
from tui.core.scoring import score
from tui.core.validation import Assessment, assess
from tui.ui.screens.exchange import Exchange, _names, _readable_file, _writable_file
from tui.ui.screens.host import Host


class HandIn:
    """Summary, xlsx out and in, next year, for the main screen (`main`); the selection and the
    writing of previewed forms are the exchange's (`exchange`)."""

    def __init__(self, main: Host, exchange: Exchange) -> None:
        self.main = main
        self.exchange = exchange
        self.last_year_shown = False  # F4: the grid shows last year's actual and score beside this year's

    # -- the year's summary ----------------------------------------------------------------

    def _summary_keys(self) -> list[str]:
        """The listed projects of the editor's year (all, with none in the editor)."""
        current = self.main.doc.project.year if self.main.doc is not None else None
        return [k for k, e in self.main.list.entries.items() if current is None or e.year == current]

    def summary_items(self) -> list[tuple[str, Project, Assessment]]:
        """(file, project, assessment) of the editor's year, in the list's file order, as shown
        (a project being typed in counts with what it previews). Those not read yet are left
        out: `with_records` reads them first."""
        current = self.main.doc.project.year if self.main.doc is not None else None
        items: list[tuple[str, Project, Assessment]] = []
        for key in sorted(self.main.list.entries, key=lambda k: self.main.list.entries[k].file):
            doc = self.main.docs.get(key)
            if doc is not None:
                project = self.main.edit.shown(doc.project) if key == self.main.current else doc.project
                rules = doc.rules
            elif key in self.main.loaded:
                project = self.main.loaded[key].project
                rules = self.main.rules_for(project.rules)
            else:
                continue
            if current is None or project.year == current:
                items.append((self.main.list.entries[key].file, project, assess(project, rules)))
        return items

    def action_summary(self) -> None:
        if self.exchange.busy():  # still loading (says so: F9 did nothing, silently), or a dialog up
            return
        self.main.loader.with_records(self._summary_keys(), self._show_summary)

    def _show_summary(self) -> None:
        from tui.ui.screens.dialogs import PrintedScreen

        if self.main.app.screen is not self.main:
            return
        from tui.printed.summary import least_width, summarize, summary_renderable

        try:
            rules = self.main.rules_for("default")
        except RulesError as exc:
            self.main.say(str(exc), severity="error")
            return
        summary = summarize(self.summary_items(), rules)
        page = summary_renderable(summary, None)  # laid out for the view (it fits at 80 columns)
        self.main.app.push_screen(PrintedScreen(page, summary.title, "年度汇总", least_width(summary)))

    # -- the printed form (F5) -----------------------------------------------------------------

    def action_printed(self) -> None:
        from tui.ui.screens.dialogs import PrintedScreen

        doc = self.main.doc
        if doc is None:
            return
        from tui.printed.form import printed_form  # only when asked: the app starts without it

        project = self.main.edit.shown(doc.project)
        sheet = score(project, doc.rules)
        width = max(80, min(self.main.app.size.width - 6, 140))
        form: RenderableType = printed_form(project, sheet, width=width)
        beside = self.last_year_view(project, sheet)  # started from last year's: its figures
        if beside is not None:
            from rich.console import Group

            form = Group(form, "", beside)
        self.main.app.push_screen(PrintedScreen(form, visible(project.name) or "（未命名）"))

    # -- the workbook ------------------------------------------------------------------------

    def action_export_xlsx(self) -> None:
        if not self.exchange.busy():
            self.export_xlsx_flow()

    def export_xlsx_flow(self) -> None:
        self.main.run_worker(self._export_xlsx_flow(), exclusive=True, group="exchange")

    async def _export_xlsx_flow(self) -> None:
        from tui.ui.screens.dialogs import PathDialog, message_dialog

        from tui.printed.summary import summarize
        from tui.printed.xlsx import save_workbook, workbook

        await self.main.loader.read_all(self.exchange.selected_keys())
        records, unsaved, never = self.exchange.export_selection()
        if not records:
            self.main.say("没有可导出的已保存项目", severity="warning")
            return
        message = Text()
        message.append(f"把 {len(records)} 个项目（磁盘上已保存的版本）写成一个 Excel 工作簿：", style="bold")
        message.append("\n每个项目一张表（按纸质表样，A4 纵向，一页宽），第一张为“汇总”。")
        if unsaved:
            message.append(f"\n\n以下项目有未保存的修改，写入的是上次保存的版本：\n{_names(unsaved)}",
                           style="yellow")
        if never:
            message.append(f"\n\n从未保存的新项目不写入：{_names(never)}", style="yellow")
        folder = Path(self.main.folder).resolve()
        path = await self.main.app.push_screen_wait(PathDialog(
            "交换：导出 Excel", message, str(folder.parent / f"{folder.name}-自评.xlsx"),
            _writable_file, overwrite=True, hint="工作簿的路径（可修改）。Enter 写入，Esc 取消"))
        if path is None:
            return
        try:
            items = [(r.path.name, r.project, assess(r.project, self.main.rules_for(r.project.rules)))
                     for r in records]
            book = workbook([(p, a.sheet) for _f, p, a in items],
                            summarize(items, self.main.rules_for("default")))
            await asyncio.to_thread(save_workbook, book, path)
        except RulesError as exc:
            await self.main.app.push_screen_wait(message_dialog("未导出", Text(str(exc))))
            return
        except OSError as exc:
            await self.main.app.push_screen_wait(message_dialog(
                "未导出", Text(f"无法写入 {path}（{os_error(exc)}）")))
            return
        self.main.say(f"已写入 {path}（{len(records)} 个项目和汇总）")

    def action_import_xlsx(self) -> None:
        if not self.exchange.busy():
            self.import_xlsx_flow()

    def import_xlsx_flow(self) -> None:
        self.main.run_worker(self._import_xlsx_flow(), exclusive=True, group="exchange")

    async def _import_xlsx_flow(self) -> None:
        from tui.ui.screens.dialogs import PathDialog, message_dialog

        from tui.exchange.textplan import plan_text_import, year_from_name
        from tui.exchange.xlsxin import XlsxFileError, fresh_ids, read_workbook

        message = Text("读取按自评表样式排列的工作簿（zipin 导出的，或按中央模板填写的），\n"
                       "逐表核对表上的数字，确认后每张表写成本文件夹中的一个新记录（全部写入或全不写入）。")
        path = await self.main.app.push_screen_wait(PathDialog(
            "交换：导入 Excel", message, str(Path(self.main.folder).resolve().parent) + "/",
            _readable_file, hint=".xlsx 文件。Enter 读取，Esc 取消"))
        if path is None:
            return
        try:
            result, _titles = await asyncio.to_thread(read_workbook, path, year_from_name(path))
            rules = self.main.rules_for("default")
        except (XlsxFileError, RulesError) as exc:
            await self.main.app.push_screen_wait(message_dialog("无法导入", Text(f"{path.name}：{exc}")))
            return
        await self.main.loader.read_all()
        existing = list(self.main.loaded.values())
        fresh_ids(result, {r.project.id for r in existing})
        plan = await asyncio.to_thread(plan_text_import, result, rules, self.main.folder, existing,
                                       path.name)
        await self.exchange.write_previewed(plan, path)

    # -- next year -----------------------------------------------------------------------------

    def last_year_view(self, project, sheet):
        """Last year's actuals and scores beside this year's, as a table for the printed preview;
        None when `project` was not started from a record that can be found and scored."""
        from tui.core.nextyear import last_year_table

        last = self.last_year(project)
        if last is None:
            return None
        try:
            return last_year_table(project, sheet, last, score(last, self.main.rules_for(last.rules)))
        except RulesError:
            return None

    def action_last_year(self) -> None:
        if self.main.doc is None:
            return
        self.main.editor.flush()  # the grid's columns change: what is typed is committed first
        self.last_year_shown = not self.last_year_shown
        self.show_last_year(tell=True)

    def show_last_year(self, tell: bool = False) -> None:
        """Give the grid last year's record of the project in the editor (scored), while F4 is
        on; `tell`: say so when this record has none to show."""
        doc = self.main.doc
        found = None
        if self.last_year_shown and doc is not None:
            last = self.last_year(doc.project)
            try:
                found = (last, score(last, self.main.rules_for(last.rules))) if last is not None else None
            except RulesError:
                found = None
            if found is None and tell:
                self.main.say("这个项目不是由上年记录生成的，或找不到上年的记录：没有上年数可对照",
                         severity="warning")
        self.main.editor.grid.show_last_year(found)

    def last_year(self, project):
        """The record `project` was started from (its predecessor): in this folder, else in the
        folder named for last year beside it (2024 -> 2023, where next-year writes from)."""
        if not project.predecessor:
            return None
        for key, entry in list(self.main.list.entries.items()):
            if entry.record_id != project.predecessor:
                continue
            doc = self.main.docs.get(key)
            if doc is not None:
                return doc.project
            try:
                found = self.main.loader.record(key)[0].project  # listed from the index: read now
            except (RecordError, RulesError):
                continue
            if found.id == project.predecessor:  # a line not checked yet may hold an id gone since
                return found
        beside = Path(self.main.folder).resolve().parent / str(project.year - 1)
        if project.year and beside.is_dir():
            for record in Workspace(beside).load_all().records:
                if record.project.id == project.predecessor:
                    return record.project
        return None

    def action_next_year(self) -> None:
        if not self.exchange.busy():
            self.next_year_flow()

    def next_year_flow(self) -> None:
        self.main.run_worker(self._next_year_flow(), exclusive=True, group="exchange")

    async def _next_year_flow(self) -> None:
        from tui.ui.screens.dialogs import PathDialog, message_dialog

        from tui.core.nextyear import default_folder, plan_next_year

        await self.main.loader.read_all(self.exchange.selected_keys())
        records, unsaved, never = self.exchange.export_selection()
        marked = bool(self.main.list.marked & set(self.main.list.entries))
        if not marked and self.main.doc is not None:  # all of the editor's year, not every year's
            records = [r for r in records if r.project.year == self.main.doc.project.year]
        if not records:
            self.main.say("没有已保存的项目可生成下一年度", severity="warning")
            return
        year = records[0].project.year
        message = Text()
        which = "已标记的" if marked else f" {year} 年度全部"
        message.append(f"由{which} {len(records)} 个项目（已保存的版本）生成下一年度的记录：",
                       style="bold")
        message.append("\n指标、目标值、分值不变；金额、实际完成值、得分、偏差原因和实际完成情况清空。"
                       "\n只生成其中几个：在项目列表中按空格标记。")
        if unsaved:
            message.append(f"\n\n有未保存修改的项目按上次保存的版本生成：{_names(unsaved)}", style="yellow")
        target = default_folder(Path(self.main.folder), year)
        folder = await self.main.app.push_screen_wait(PathDialog(
            "生成下一年度", message, str(target), lambda p: "这是一个文件" if p.is_file() else None,
            hint="写入的文件夹（不存在则新建；写入本文件夹则出现在列表中）。Enter 生成，Esc 取消"))
        if folder is None:
            return
        target = Workspace(folder)
        there = (await asyncio.to_thread(target.load_all)).records
        items, _skipped = plan_next_year([r.project for r in records], folder, there,
                                         [r.path for r in records])
        if not items:
            self.main.say(f"{folder} 中已有这些项目的下一年度记录", severity="warning")
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = await asyncio.to_thread(target.save_all, items)
        except OSError as exc:
            await self.main.app.push_screen_wait(message_dialog("未生成", Text(
                f"{os_error(exc)}\n\n未写入任何文件。")))
            return
        except (ChangedOnDisk, RecordError) as exc:
            await self.main.app.push_screen_wait(message_dialog("未生成", Text.assemble(
                str(exc), "\n\n未写入任何文件。")))
            return
        if folder.resolve() == Path(self.main.folder).resolve():
            paths = [Path(self.main.folder) / s.path.name for s in saved]  # as the list names them
            self.exchange.took_in(paths)
            self.main.list.select_key(str(paths[0]))
        self.main.say(f"已生成 {len(saved)} 个下一年度记录到 {folder}")
