"""Modal questions (quit guard, changed on disk, draft recovery, a file path, a message), the key
help and the printed form.

Every message may hold user text (a project's name, a file name): it is passed as `rich.text.Text`,
never as markup.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, Static
from textual.widgets.button import ButtonVariant

from tui.ui.widgets.keybar import KeyBar
from tui.ui.widgets.ownkeys import OwnKeysFirst


class PathInput(OwnKeysFirst, Input):
    """The path box: Enter (and Backspace, arrows) taken in the order typed. With a plain Input a
    key typed right behind Enter went into the path first (Enter b: “….tomlb”, 文件不存在)."""


class ChoiceDialog(ModalScreen[str]):
    """A question with a few answers; each answer has a button and a key. Esc picks `cancel`."""

    BINDINGS = [
        Binding("escape", "cancel", "取消", id="dialog.cancel"),
        Binding("left", "app.focus_previous", "上一个按钮", show=False, id="dialog.previous"),
        Binding("right", "app.focus_next", "下一个按钮", show=False, id="dialog.next"),
    ]
    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 80%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    ChoiceDialog .title { text-style: bold; margin-bottom: 1; }
    ChoiceDialog .message { height: auto; max-height: 20; }
    ChoiceDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ChoiceDialog Button { margin-left: 1; min-width: 14; }
    """

    def __init__(self, title: str, message: Text | str, choices: list[tuple[str, str, str, ButtonVariant]],
                 cancel: str, *, name: str | None = None) -> None:
        """`choices`: (answer, button label, key, variant); the first one has focus."""
        super().__init__(name=name)
        self.title_text = title
        self.message = message if isinstance(message, Text) else Text(message)
        self.choices = choices
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="title")
            yield Static(self.message, classes="message")
            with Horizontal():
                for answer, label, key, variant in self.choices:
                    yield Button(Text(f"{label}（{key.upper()}）"), id=f"choice-{answer}",
                                 variant=variant)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event) -> None:
        for answer, _label, key, _variant in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(answer)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(self.cancel)

    def dismiss(self, result: str | None = None):
        """Answer once: a key queued behind the answer ("k" "k") must not answer again and pop the
        screen below (see PickScreen.dismiss)."""
        if not self.is_active:
            return None
        return super().dismiss(result)


def quit_dialog(unsaved: list[str]) -> ChoiceDialog:
    """Save / Discard / Keep editing, naming the projects with unsaved changes."""
    message = Text("以下项目有未保存的修改：\n")
    for name in unsaved[:12]:
        message.append(f"  ＊{name}\n")
    if len(unsaved) > 12:
        message.append(f"  ⋯另有 {len(unsaved) - 12} 个\n")
    return ChoiceDialog("退出前保存修改？", message, [
        ("save", "全部保存并退出", "s", "primary"),
        ("discard", "放弃修改并退出", "d", "error"),
        ("keep", "继续编辑", "k", "default"),
    ], cancel="keep")


def changed_on_disk_dialog(file: str) -> ChoiceDialog:
    message = Text.assemble(
        "文件 ", (file, "bold"), " 在载入后已被其他程序修改。\n为免覆盖他人的修改，本次未保存。\n\n",
        "重新载入：放弃本项目未保存的修改，读入磁盘上的版本（可撤销）。\n",
        "继续编辑：保留修改，暂不保存。")
    return ChoiceDialog("文件在磁盘上已被修改", message, [
        ("reload", "重新载入", "r", "warning"),
        ("keep", "继续编辑", "k", "primary"),
    ], cancel="keep")


def recovery_dialog(name: str, file: str, new: bool) -> ChoiceDialog:
    what = "一个从未保存的新项目" if new else "项目"
    message = Text.assemble(
        f"上次退出时，{what} ", (name or "（未命名）", "bold"), "（", file, "）\n",
        "有未保存的修改留在草稿中。\n\n",
        "恢复：载入草稿中的修改（尚未保存，可撤销）。\n丢弃：删除草稿。")
    return ChoiceDialog("恢复未保存的修改？", message, [
        ("recover", "恢复", "r", "primary"),
        ("discard", "丢弃", "d", "error"),
    ], cancel="recover")


def message_dialog(title: str, message: Text | str) -> ChoiceDialog:
    """A message to read and close (Enter, O or Esc)."""
    return ChoiceDialog(title, message, [("ok", "知道了", "o", "primary")], cancel="ok")


class PathDialog(ModalScreen[Path | None]):
    """Asks for a file path, with a message above and the reason below when it can't be used.
    `check(path)` returns why a path can't be used, or None. With `overwrite`, an existing file
    takes a second Enter."""

    BINDINGS = [Binding("escape", "cancel", "取消", id="path.cancel")]
    DEFAULT_CSS = """
    PathDialog { align: center middle; }
    PathDialog > Vertical {
        width: 96; max-width: 100%; height: auto; max-height: 90%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    PathDialog .title { text-style: bold; margin-bottom: 1; }
    /* The message gives way (scrolling) so the path, its error and the hint stay in sight:
       at 80×24 a long list of projects hid 文件已存在：再按 Enter 覆盖它. */
    PathDialog .message { height: auto; max-height: 40vh; overflow-y: auto; margin-bottom: 1; }
    PathDialog #path-error { height: auto; color: $text-error; }
    PathDialog #path-error.-warn { color: $text-warning; }
    PathDialog .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, message: Text, default: str,
                 check: Callable[[Path], str | None], *, overwrite: bool = False,
                 hint: str = "Enter 确认，Esc 取消") -> None:
        super().__init__()
        self.title_text, self.message, self.default = title, message, default
        self.check, self.overwrite, self.hint = check, overwrite, hint
        self._confirmed: str | None = None  # the existing file a first Enter warned about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="title")
            yield Static(self.message, classes="message")
            yield PathInput(self.default, id="path", select_on_focus=False)
            yield Static("", id="path-error")
            yield Static(Text(self.hint), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Changed, "#path")
    def _typed(self) -> None:
        self._confirmed = None
        self.query_one("#path-error", Static).update("")

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        error = self.query_one("#path-error", Static)
        if not raw:
            error.update(Text("请输入文件路径"))
            return
        path = Path(raw).expanduser()
        problem = self.check(path)
        if problem:
            error.set_class(False, "-warn")
            error.update(Text(problem))
            return
        if self.overwrite and path.exists() and self._confirmed != raw:
            self._confirmed = raw
            error.set_class(True, "-warn")
            error.update(Text("文件已存在：再按 Enter 覆盖它，或改个文件名"))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the app, grouped by area."""

    BINDINGS = [
        Binding("escape,f1,q", "close", "关闭", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 100%; height: 90%; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=16)
        table.add_column()
        for area, keys in self.groups:
            table.add_row(Text(area, style="bold underline"), "")
            for key, description in keys:
                table.add_row(Text(key), Text(description))
            table.add_row("", "")
        scroll = VerticalScroll(Static(table))
        scroll.border_title = "按键（Esc 关闭）"
        yield scroll

    def action_close(self) -> None:
        self.dismiss(None)


class PrintedScreen(Screen[None]):
    """The printed form of the project on screen (with its unsaved edits), or the year's summary
    (F9), scrolling."""

    BINDINGS = [
        Binding("escape,q,f5,f9", "close", "返回编辑", id="printed.close"),
    ]
    DEFAULT_CSS = """
    PrintedScreen VerticalScroll { padding: 0 2; overflow-x: auto; }
    """

    def __init__(self, renderable: RenderableType, title: str, what: str = "打印预览",
                 width: int | None = None) -> None:
        """`width`: the page is never drawn narrower (it scrolls sideways instead): squeezed to a
        narrower view, Rich would fold its figures (1,231.96 over two lines in the summary)."""
        super().__init__()
        self.renderable = renderable
        self.title_text, self.what, self.width = title, what, width

    def compose(self) -> ComposeResult:
        yield Header()
        page = Static(self.renderable)
        if self.width:
            page.styles.min_width = self.width
        yield VerticalScroll(page, id="printed")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.title_text
        self.sub_title = self.what
        self.query_one("#printed").focus()

    def action_close(self) -> None:
        self.dismiss(None)
