"""The command palette in Chinese: Textual's own, with its placeholder, its "no matches" line and
its key descriptions in the app's language. Used for every palette the app opens (commands and
themes)."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

SEARCH_COMMANDS = "输入以搜索命令…"
SEARCH_THEMES = "输入以搜索配色…"
NO_MATCHES = "没有符合的命令"


class Palette(CommandPalette):
    """Textual's CommandPalette with Chinese words (same keys, same behaviour)."""

    BINDINGS = [
        Binding("ctrl+end, shift+end", "command_list('last')", "最后一条", show=False),
        Binding("ctrl+home, shift+home", "command_list('first')", "第一条", show=False),
        Binding("down", "cursor_down", "下一条", show=False),
        Binding("escape", "escape", "关闭命令面板"),
        Binding("pagedown", "command_list('page_down')", "下一页", show=False),
        Binding("pageup", "command_list('page_up')", "上一页", show=False),
        Binding("up", "command_list('cursor_up')", "上一条", show=False),
    ]

    def __init__(self, providers=None, *, placeholder: str = SEARCH_COMMANDS,
                 id: str | None = None) -> None:
        super().__init__(providers, placeholder=placeholder, id=id)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual 8.2.8 (pinned) writes "No matches found" in this method, with nothing to set
        # it by: the same steps, in Chinese.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(NO_MATCHES, style="not bold")), disabled=True,
                    id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
