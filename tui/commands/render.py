"""`zipin render PATH [--format text|svg|html|xlsx] [--width N] [-o OUT] [--ascii]`: the printed form.

A file renders one form; a folder renders every record in it, in the order of the file names:
text one form after another (a blank line between), HTML one document with each form on its own
printed page, SVG one image per form (a folder needs `-o DIR`, the images are named after the
record files), xlsx one workbook with a sheet per form laid out as the paper one (a folder adds a
first sheet 汇总, the year's summary; `-o` is required). Text goes to standard output unless `-o` names a file; it carries no ANSI codes unless
standard output is a terminal.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tui.core.messages import os_error, visible
from tui.core.model import Project
from tui.printed.form import MIN_WIDTH, printed_form, render_svg, render_text
from tui.printed.html import render_html
from tui.printed.layout import Layout, LayoutError, load_layout
from tui.core.rules import Rules, RulesError, load_rules
from tui.store.workspace import RecordError, Workspace

NAME = "render"
HELP = "按纸质表样输出自评表：文本（默认）、SVG、HTML 或 Excel（xlsx），可供打印或附在报告中"

FORMATS = ("text", "svg", "html", "xlsx")
DEFAULT_WIDTH = 100  # when the output is not a terminal: fits A4 portrait at 9pt


def _width(raw: str) -> int:
    import argparse

    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"宽度“{raw}”不是整数") from None
    if not MIN_WIDTH <= value <= 1000:
        raise argparse.ArgumentTypeError(f"宽度应在 {MIN_WIDTH} 到 1000 之间，实为 {value}")
    return value


def add_arguments(parser) -> None:
    parser.add_argument("path", metavar="路径", help="记录文件（.toml）或文件夹（按文件名顺序输出全部项目）")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="输出格式：text 文本（默认）、svg 图像、html 网页（每个项目一页，可打印）、"
                             "xlsx 工作簿（每个项目一张表，文件夹另有“汇总”表）")
    parser.add_argument("--width", type=_width, metavar="N",
                        help=f"宽度（列数）；默认为终端宽度，输出到文件或管道时为 {DEFAULT_WIDTH}")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="写入此文件（默认标准输出）；文件夹输出 SVG 时为目录，每个项目一个文件")
    parser.add_argument("--ascii", action="store_true",
                        help="用 >= <= 代替 ≥ ≤，边框用 + - |：适合把这些字符画成两列宽的终端")


def _fail(message: str) -> None:
    print(visible(f"zipin render：{message}"), file=sys.stderr)


# Each record's layout (a folder's own layouts/NAME.toml, else a built-in), by file.
layouts: dict[Path, Layout] = {}


def _load_all(files: list[Path]) -> tuple[list[tuple[Path, Project, Rules]], list[str]]:
    forms, failures = [], []
    for path in files:
        try:
            project = Workspace(path.parent).load(path).project
            rules = load_rules(project.rules, path.parent)
            layouts[path] = load_layout(project.layout, path.parent)
        except (RecordError, RulesError, LayoutError) as exc:
            failures.append(f"无法读取 {exc}" if str(path) in str(exc) else f"无法读取 {path}：{exc}")
            continue
        forms.append((path, project, rules))
    return forms, failures


def _write(out: str | None, text: str) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        Path(out).write_text(text, encoding="utf-8")


def _write_xlsx(out: Path, forms, folder: Path | None) -> None:
    """The workbook: a sheet per form, and 汇总 first for a folder (its totals rounded by the
    folder's default profile, as the year line under the app's list is)."""
    from tui.printed.summary import summarize
    from tui.core.validation import assess
    from tui.printed.xlsx import save_workbook, workbook

    assessed = [(path, project, assess(project, rules)) for path, project, rules in forms]
    summary = None
    if folder is not None:
        summary = summarize([(path.name, p, a) for path, p, a in assessed],
                            load_rules("default", folder))
    save_workbook(workbook([(p, a.sheet) for _path, p, a in assessed], summary), out)


def run(args) -> int:
    source = Path(args.path)
    if source.is_dir():
        files = Workspace(source).files()
        if not files:
            _fail(f"{source} 中没有记录文件（.toml）")
            return 1
    elif source.is_file():
        files = [source]
    else:
        _fail(f"{args.path}：文件或文件夹不存在")
        return 2
    if args.format == "xlsx" and (not args.output or args.output == "-"):
        _fail("xlsx 是二进制文件：请用 -o 指定输出文件（如 -o 自评表.xlsx）")
        return 2
    folder_svg = source.is_dir() and args.format == "svg"
    if folder_svg and (not args.output or args.output == "-"):
        _fail("文件夹输出 SVG 时每个项目一个文件：请用 -o 指定目录")
        return 2
    if args.output and not folder_svg and Path(args.output).is_dir():
        _fail(f"{args.output} 是文件夹：请指定输出文件名")
        return 2

    tty = args.output in (None, "-") and sys.stdout.isatty()
    width = args.width or (shutil.get_terminal_size().columns if tty else DEFAULT_WIDTH)
    width = max(width, MIN_WIDTH)
    forms, failures = _load_all(files)
    for message in failures:
        _fail(message)

    try:
        if args.format == "text" and tty:
            from rich.console import Console

            console = Console(width=width, highlight=False, markup=False, emoji=False)
            for n, (path, project, rules) in enumerate(forms):
                if n:
                    console.print()
                console.print(printed_form(project, rules, width, args.ascii, layouts[path]))
        elif args.format == "text":
            _write(args.output, "\n".join(render_text(project, rules, width, args.ascii, layouts[path])
                                          for path, project, rules in forms))
        elif args.format == "html":
            if forms:
                # unless a width is asked for, each form is fitted to its A4 page
                _write(args.output, render_html([(p, r) for _path, p, r in forms], args.width,
                                                args.ascii))
        elif args.format == "xlsx":
            if forms:
                _write_xlsx(Path(args.output), forms, source if source.is_dir() else None)
        elif folder_svg:
            folder = Path(args.output)
            folder.mkdir(parents=True, exist_ok=True)
            for path, project, rules in forms:
                (folder / f"{path.stem}.svg").write_text(
                    render_svg(project, rules, width, args.ascii, layouts[path]), encoding="utf-8")
        elif forms:
            path, project, rules = forms[0]
            _write(args.output, render_svg(project, rules, width, args.ascii, layouts[path]))
    except OSError as exc:
        _fail(f"无法写入 {args.output or '标准输出'}（{os_error(exc)}）")
        return 1
    return 1 if failures else 0
