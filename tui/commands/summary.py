"""`zipin summary FOLDER [--format text|html|xlsx|csv|json] [-o OUT]`: the year's summary.

项目支出绩效自评结果汇总表: one row per project of the folder (in file-name order), totals, counts
by grade, budget-weighted averages and two small charts (tui.printed.summary). A record that can't be read
is named on standard error and left out (exit 1).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tui.core.messages import os_error, visible
from tui.progress import Steps, shown
from tui.core.rules import RulesError, load_rules
from tui.store.workspace import Workspace
from tui.printed.summary import as_csv, as_html, as_json, as_text, of_rows, row_of

NAME = "summary"
HELP = "汇总文件夹中各项目的自评结果（项目支出绩效自评结果汇总表）：文本、HTML、xlsx、CSV 或 JSON"
FORMATS = ("text", "html", "xlsx", "csv", "json")


def add_arguments(parser) -> None:
    parser.add_argument("folder", metavar="文件夹", help="项目记录所在的文件夹")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="输出格式：text 文本表（默认）、html 网页（A4 横向可打印）、xlsx 工作簿、"
                             "csv 表格（UTF-8，带 BOM，Excel/WPS 可直接打开）、json")
    parser.add_argument("-o", "--output", metavar="OUT", help="写入此文件（默认标准输出；xlsx 必须指定）")


def _fail(message: str) -> None:
    print(visible(f"zipin summary：{message}"), file=sys.stderr)


def run(args) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        _fail(f"{folder} 不是文件夹")
        return 2
    to_stdout = not args.output or args.output == "-"
    if args.format == "xlsx" and to_stdout:
        _fail("xlsx 是二进制文件：请用 -o 指定输出文件（如 -o 汇总.xlsx）")
        return 2
    try:
        folder_rules = load_rules("default", folder)
    except RulesError as exc:
        _fail(str(exc))
        return 1
    # Through the folder's index (tui.store.index): only the files changed since are read again.
    with Steps(shown(args.format == "json")) as steps:
        found, bad = Workspace(folder).summaries(progress=steps.phase("汇总记录"))
    for _path, problem in bad:
        _fail(f"无法读取 {problem}，未计入汇总")
    failed = len(bad)
    if not found and not failed:
        _fail(f"{folder} 中没有记录文件（.toml）")
        return 1
    summary = of_rows([row_of(path.name, s) for path, s in found], folder_rules)
    try:
        if args.format == "xlsx":
            from tui.printed.xlsx import save_workbook, summary_sheet
            from openpyxl import Workbook

            wb = Workbook()
            ws = wb.active
            ws.title = "汇总"
            summary_sheet(ws, summary)
            save_workbook(wb, Path(args.output))
        else:
            render = {"text": as_text, "html": as_html, "csv": as_csv, "json": as_json}
            text = render[args.format](summary)
            if args.format == "text" and to_stdout and sys.stdout.isatty():
                text = as_text(summary, shutil.get_terminal_size().columns)
            if args.format == "csv" and not to_stdout:
                text = "\ufeff" + text  # Excel takes a CSV without a BOM for the local code page
            if to_stdout:
                sys.stdout.write(text)
            else:
                Path(args.output).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        _fail(f"无法写入 {args.output}（{os_error(exc)}）")
        return 1
    return 1 if failed else 0
