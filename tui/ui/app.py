"""The Textual app: `ZipinApp(folder)`. Small on purpose: the app holds the app-wide keys, the command
palette and the key help; the work happens in `screens.main.MainScreen`."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from tui.collector import collector_paused

# Importing the app (Textual with it, at a start) makes some 66,000 objects the collector tracks,
# nearly all living as long as the process: it would walk them a dozen times meanwhile and once
# more after, finding nothing. Paused, and what the imports made frozen out of its sight: ~9 ms CPU
# of the 12-sample first frame (tests/perf/bench_app.py).
with collector_paused(freeze=True):
    from textual import events
    from textual.app import App, SystemCommand
    from textual.binding import Binding
    from textual.screen import Screen

    from tui.ui import csscache
    from tui.ui.screens.main import MainScreen
    from tui.store.settings import Settings, load_settings, save_theme
    from tui.ui.widgets.funding import FundingTable
    from tui.ui.widgets.grid import IndicatorGrid
    from tui.ui.widgets.keynames import key_name, keys_name
    from tui.ui.widgets.list_pane import ListPane
    from tui.ui.widgets.project_list import ProjectList
    from tui.ui.widgets.themes import THEMES

# The area of a binding, from its id ("file.save" -> 文件): palette entries read "区域：动作".
AREAS = {"app": "应用", "file": "文件", "edit": "编辑", "list": "项目列表", "view": "查看",
         "check": "检查", "funding": "项目资金", "grid": "指标表", "exchange": "交换"}
# Keys that only move a cursor: shown in the help, not worth a palette entry.
_MOVES = {"up", "down", "left", "right", "pageup", "pagedown", "home", "end", "ctrl+home",
          "ctrl+end", "enter", "escape", "backspace", "tab", "shift+tab"}
# What typing does, for the help: keys no Binding describes.
TYPING = [
    ("项目列表", [("输入文字", "筛选项目（Esc 清除）")]),  # Enter: its binding (list.open)
    ("输入框", [("Enter", "确认输入"), ("Tab / Shift+Tab", "下一个 / 上一个输入框（离开即确认）"),
               ("Shift+Tab", "项目名称：回到项目列表"),
               ("→ / ←", "表头：在文字末尾 / 开头时到下一个 / 上一个输入框"),
               ("↓", "表头：到项目资金表（资金表第一行按 ↑ 回到表头）"),
               ("↑", "资金得分的原因：回到项目资金表"),
               ("Esc", "取消本次输入")]),
    ("项目资金", [("输入数字", "改写光标所在金额"), ("Enter", "确认"),
                 ("↑ ↓", "确认并上下移动"), ("Esc", "取消本次输入")]),
    ("指标表", [("输入文字", "改写光标所在格"),
               ("Enter", "确认并下移一行（Tab 之后：回到开始 Tab 的那一列）"), ("Esc", "取消本次输入")]),
]


class ZipinApp(App[None]):
    """财政项目支出绩效自评价: `ZipinApp(folder)` opens every project record of a folder."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses elsewhere keep it
    TITLE = "自评"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", id="app.quit", priority=True),
        Binding("f1", "help", "按键", id="app.help"),
        Binding("ctrl+p", "command_palette", "命令", id="app.palette", priority=True, show=False),
    ]
    COMMAND_PALETTE_BINDING = "ctrl+p"
    _collecting = False  # collection was on when the app started (on_load)
    _css_given: frozenset = frozenset()  # keys of the parsed CSS handed over by csscache.fill
    # Keys read before the first widget has the focus, replayed once it has (on_descendant_focus).
    _typed_ahead: list[events.Key] | None = None
    _replaying = False

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the key bar, the help and the palette name them: "Ctrl+S", "F2", "Ctrl+↑"."""
        return binding.key_display or key_name(binding.key)

    def action_command_palette(self) -> None:
        from tui.ui.widgets.palette import Palette  # when first asked for, not at start

        if self.use_command_palette and not Palette.is_open(cast(App, self)):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from tui.ui.widgets.palette import SEARCH_THEMES, Palette

        self.push_screen(Palette([ThemeProvider], placeholder=SEARCH_THEMES))

    def __init__(self, folder: Path | str = ".", settings: Settings | None = None) -> None:
        super().__init__()
        self._typed_ahead = []
        self.folder = Path(folder)
        self.settings = load_settings() if settings is None else settings
        for theme in THEMES:
            self.register_theme(theme)
        self._apply_settings()
        self._css_given = csscache.fill(self.stylesheet)  # the rules parsed by the last start

    def _apply_settings(self) -> None:
        """The settings file's theme and keymap (docs/settings.md); what can't be used is said
        once the screen is up."""
        settings = self.settings
        self._theme_saved = settings.theme  # applying it is not a pick to write back
        if settings.theme:
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            else:
                settings.problems.append(f"设置中的配色“{settings.theme}”不存在，使用默认配色")
        ids = {binding.id for _owner, binding in self._all_bindings(every=True)}
        unknown = sorted(set(settings.keys) - ids)
        if unknown:
            settings.problems.append(f"设置中的按键编号不存在：{'、'.join(unknown)}（F1 列出所有按键）")
        self.set_keymap({k: v for k, v in settings.keys.items() if k in ids})
        self._theme_saved = self.theme

    def on_load(self) -> None:
        # No garbage collection until the first frame: a start makes objects that live as long
        # as the app (widgets, styles, the list's lines), and collections that found nothing to
        # free took 4 ms of 12 projects' start and 33 ms of 10,000's (measured, Python 3.11).
        self._collecting = gc.isenabled()
        gc.disable()

    async def on_event(self, event: events.Event) -> None:
        # A key typed as the app starts is read before the main screen has given the list the
        # focus: Textual hands it to the screen, where typing (the list's filter) was lost ("abc"
        # typed 0.1 s after the command left the filter empty). Kept until the focus is there,
        # then replayed in the order typed, ahead of any key read since.
        if self._typed_ahead is not None and isinstance(event, events.Key) and not event.is_forwarded:
            self._typed_ahead.append(event)
            return
        await super().on_event(event)

    def on_descendant_focus(self) -> None:
        if self._typed_ahead is not None and not self._replaying:
            self._replaying = True
            self.call_later(self._replay_typed)

    async def _replay_typed(self) -> None:
        # One key per refresh, as typed by hand: what a key set going (a filter typed, a pane
        # opened) is done before the next one comes, so Down after 信息 moves within the match.
        typed = self._typed_ahead or []
        if typed:
            await super().on_event(typed.pop(0))
        if typed:
            self.call_after_refresh(self._replay_typed)
        else:
            self._typed_ahead = None

    def _collect_again(self) -> None:
        if self._collecting:
            gc.enable()

    def _keep_css(self) -> None:
        self._css_given = csscache.keep(self.stylesheet, self._css_given)

    def on_unmount(self) -> None:
        self._collect_again()  # an app closed before its first frame
        self._keep_css()  # CSS of widgets first shown later (dialogs, the goal texts)

    def on_mount(self) -> None:
        self.call_after_refresh(self._collect_again)
        self.call_after_refresh(self._keep_css)
        for problem in self.settings.problems:
            self.notify(problem, severity="warning", timeout=8, markup=False)

    def watch_theme(self, theme: str) -> None:
        """A theme picked in the app is kept for the next start (the settings file's `theme`)."""
        if theme == self._theme_saved or not self.settings.readable:
            return
        self._theme_saved = theme
        try:
            save_theme(theme)
        except OSError as exc:
            self.notify(f"无法保存配色设置：{exc}", severity="warning", markup=False)

    def get_default_screen(self) -> Screen:
        return MainScreen(self.folder)

    @property
    def main(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def action_help_quit(self) -> None:
        """Ctrl+C where nothing is copied: Textual's reminder, in Chinese."""
        self.notify("退出请按 Ctrl+Q（Ctrl+C 在指标表和输入框中是复制）", timeout=3)

    async def action_quit(self) -> None:
        """Ctrl+Q: asks Save / Discard / Keep editing when any project has unsaved changes."""
        main = self.main
        if main is None:
            self.exit()
        elif self.screen is main:
            main.files.confirm_quit()
        else:
            self.pop_screen()
            main.files.confirm_quit()

    def action_help(self) -> None:
        from tui.ui.screens.dialogs import HelpScreen

        screen = self.screen
        if self.main is None or isinstance(screen, HelpScreen):
            return
        # Another screen (an import's review, the printed form) has keys of its own: those, not
        # the editor's (its Ctrl+S is 确认导入 there, not 保存).
        groups = self.key_groups() if screen is self.main else self.screen_key_groups(screen)
        self.push_screen(HelpScreen(groups))

    def screen_key_groups(self, screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys of a screen other than the editor's, then the app's, as the help shows them."""
        return [(area, [(keys_name(self._keys_of(b)), b.description) for b in bindings
                        if isinstance(b, Binding) and b.description])
                for area, bindings in (("本页", screen.BINDINGS), ("应用", ZipinApp.BINDINGS))]

    # -- keys for the help and the palette -----------------------------------------------------

    def key_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every key of the app by area, as the help shows them (with the keymap applied)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for owner, binding in self._all_bindings():
            area = AREAS.get((binding.id or "").split(".")[0], owner)
            keys = keys_name(self._keys_of(binding))
            groups.setdefault(area, []).append((keys, binding.description))
        for area, typing in TYPING:  # what typing does, with the keys of its area
            groups.setdefault(area, []).extend(typing)
        return list(groups.items())

    def _keys_of(self, binding: Binding) -> str:
        return self._keymap.get(binding.id, binding.key) if binding.id else binding.key

    def _all_bindings(self, every: bool = False) -> Iterable[tuple[str, Binding]]:
        """The app's bindings by owner: those with a description (the help's), or `every` one
        with an id (what a keymap may name)."""
        for owner, cls in (("应用", ZipinApp), ("编辑", MainScreen), ("项目列表", ProjectList),
                           ("项目列表", ListPane), ("项目资金", FundingTable), ("指标表", IndicatorGrid)):
            for binding in cls.BINDINGS:
                if isinstance(binding, Binding) and (binding.id if every else binding.description):
                    yield owner, binding

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the app, as "区域：动作"."""
        main = self.main
        if main is None:
            return
        commands = [
            ("文件", "保存", "保存当前项目 (Ctrl+S)", main.action_save),
            ("文件", "全部保存", "保存所有有修改的项目", main.action_save_all),
            ("文件", "新建项目", "按标准模板新建一个项目 (Ctrl+N)", main.action_new_project),
            ("文件", "删除项目…", "文件移到 .zipin/trash/，先询问；列表中 Ctrl+Z 恢复 (列表中 Delete)",
             main.action_delete_project),
            ("文件", "从磁盘重新载入", "放弃当前项目未保存的修改；文件夹中新增、删除的文件随之列出、移除 "
                                        "(Ctrl+R，可撤销)", main.action_reload),
            ("编辑", "撤销", "撤销上一次修改 (Ctrl+Z)", main.action_undo),
            ("编辑", "重做", "重做撤销的修改 (Ctrl+Y)", main.action_redo),
            ("编辑", "表上其他文字…", "按表样填写项目负责人及电话、评价结论、存在问题、改进措施等 (F3)",
             main.action_texts),
            ("项目列表", "筛选", "输入文字筛选项目 (Ctrl+F)", main.action_filter),
            ("项目列表", "按文件排序", "按文件名排序；再选一次倒序", lambda: main.action_sort("file")),
            ("项目列表", "按名称排序", "按项目名称排序；再选一次倒序", lambda: main.action_sort("name")),
            ("项目列表", "按总分排序", "总分高的在前；再选一次倒序", lambda: main.action_sort("total")),
            ("项目列表", "按执行率排序", "执行率高的在前；再选一次倒序", lambda: main.action_sort("rate")),
            ("项目列表", "清除标记", "取消所有项目的导出标记（空格标记）", main.list.clear_marks),
            ("交换", "导出…", "把标记的（或全部）项目打包成一个文件，供同事导入 (Ctrl+E)",
             main.action_export),
            ("交换", "导入…", "核对同事的记录包，逐个确认后写入 (Ctrl+O)", main.action_import_bundle),
            ("交换", "导入纸质表文本…", "读取纸质表的 pdftotext 文本，预览核对后写入",
             main.action_import_text),
            ("交换", "导出 Excel（xlsx）…", "每个项目一张按纸质表样的工作表，另有“汇总”表（标记的或全部）",
             main.action_export_xlsx),
            ("交换", "导入 Excel（xlsx）…", "读取按表样排列的工作簿，预览核对后写入",
             main.action_import_xlsx),
            ("文件", "生成下一年度…", "由标记的（或全部）项目生成下一年度的记录 (F7)",
             main.action_next_year),
            ("查看", "年度汇总", "本年度各项目的自评结果汇总表和图 (F9)", main.action_summary),
            ("交换", "解决合并冲突…", "核对 git 合并留下的冲突，逐个选择采用哪一方",
             main.action_resolve_merge),
            ("检查", "下一个问题", "跳到下一个错误或提醒所在的格 (F8)", main.action_next_problem),
            ("查看", "打印预览", "按纸质表样显示当前项目 (F5)", main.action_printed),
            ("查看", "对照上年", "指标表中显示上年的实际完成值和得分；再选一次收起 (F4)",
             main.action_last_year),
            ("查看", "下一窗格", "焦点移到下一个窗格 (F6)", lambda: main.action_pane(1)),
            ("查看", "切换主题", "更换配色", self.action_change_theme),
            ("应用", "按键帮助", "列出所有按键 (F1)", self.action_help),
            ("应用", "退出", "退出；有未保存的修改时先询问 (Ctrl+Q)", self.action_quit),
        ]
        for area, verb, help, callback in commands:
            yield SystemCommand(f"{area}：{verb}", help, callback)
        for area, widget, cls in (("项目资金", main.funding, FundingTable),
                                  ("指标表", main.grid, IndicatorGrid)):
            for binding in cls.BINDINGS:
                if not isinstance(binding, Binding) or binding.key in _MOVES:
                    continue

                def run(action: str = binding.action, widget=widget) -> None:
                    widget.focus()
                    self.call_later(widget.run_action, action)

                yield SystemCommand(f"{area}：{binding.description}",
                                    f"{area}中的按键 {keys_name(self._keys_of(binding))}", run)
