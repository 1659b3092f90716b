"""`zipin [FOLDER]` opens the app; `zipin COMMAND ...` runs a subcommand from tui/commands/."""

from __future__ import annotations

import argparse
import importlib
import keyword
import os
import pkgutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tui import __version__, commands

USAGE_ERROR = 2

# argparse's own words, by the message ids it passes to gettext (Python 3.11-3.13): the usage
# line, the section titles, -h and the errors a person meets. Others stay as argparse has them.
ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ignored explicit argument %r": "多余的值 %r",
}


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its section titles ended by a full-width colon (参数：), as Chinese
    text is: argparse writes the ASCII one itself, not through gettext."""

    def format_help(self) -> str:
        return "\n".join(line[:-1] + "：" if line in ("参数:", "选项:") else line
                         for line in super().format_help().split("\n"))


@contextmanager
def chinese_argparse() -> Iterator[None]:
    """argparse speaks Chinese while a parser is made and used: its messages go through the
    module's `_` / `ngettext` (gettext), swapped here for the table above and put back after."""
    names = vars(argparse)  # `_` and `ngettext` are not in argparse's declared interface
    saved = names["_"], names["ngettext"]
    names["_"] = lambda message: ARGPARSE_WORDS.get(message, message)
    names["ngettext"] = lambda one, many, n: ARGPARSE_WORDS.get(one if n == 1 else many,
                                                                one if n == 1 else many)
    try:
        yield
    finally:
        names["_"], names["ngettext"] = saved


def _module_name(word: str) -> str:
    """The module of a typed word: `-` becomes `_`; a Python keyword gains a trailing `_`
    (`import` → `import_`)."""
    name = word.replace("-", "_")
    return name + "_" if keyword.iskeyword(name) else name


def _command_words() -> list[str]:
    return sorted(m.name.removesuffix("_").replace("_", "-")
                  for m in pkgutil.iter_modules(commands.__path__))


def _load(word: str):
    return importlib.import_module(f"{commands.__name__}.{_module_name(word)}")


def _overview() -> str:
    lines = ["用法：zipin [文件夹]            打开应用（默认当前文件夹）",
             "      zipin 命令 [参数…]       运行命令：", ""]
    for word in _command_words():
        lines.append(f"  {word:<14}{_load(word).HELP}")
    lines += ["", "每个命令的参数：zipin 命令 --help"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`zipin check DIR | head -3`): end quietly, as `cat` does, with
        # the shell's status for a pipe closed under us; stdout goes to /dev/null so that the
        # interpreter's last flush finds nowhere to fail.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 128 + 13  # SIGPIPE


def _main(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _command_words():
        module = _load(argv[0])
        with chinese_argparse():
            parser = argparse.ArgumentParser(prog=f"zipin {module.NAME}", description=module.HELP,
                                             formatter_class=ChineseHelpFormatter)
            module.add_arguments(parser)
            try:
                args = parser.parse_args(argv[1:])
            except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
                return int(exc.code or 0)
        return module.run(args)
    if argv and argv[0] in ("-h", "--help"):
        print(_overview())
        return 0
    if argv and argv[0] in ("-V", "--version"):
        print(f"zipin {__version__}")
        return 0
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(f"zipin：无法识别的参数 {' '.join(argv)}\n\n{_overview()}", file=sys.stderr)
        return USAGE_ERROR
    folder = Path(argv[0]) if argv else Path.cwd()
    if not folder.is_dir():
        print(f"zipin：{folder} 不是文件夹", file=sys.stderr)
        return USAGE_ERROR
    from tui.ui.app import ZipinApp  # imported here: subcommands never pay for Textual

    app = ZipinApp(folder)
    app.run()
    return app.return_code or 0  # 1 when the app died of an exception (Textual printed it)
