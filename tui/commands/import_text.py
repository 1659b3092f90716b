"""`zipin import-text FILE.txt FOLDER [--dry-run] [--year N]`: bring printed forms in.

Reads the text of printed forms (``pdftotext`` output), builds one record per form, checks every
form against itself (the rates, scores, total and grade it prints against what the rules compute),
and writes all the records at once, or none if any form could not be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.printed.layout import LayoutError, load_layout
from tui.core.messages import os_error, visible
from tui.progress import Steps, shown
from tui.core.rules import RulesError, load_rules
from tui.exchange.textimport import import_text
from tui.exchange.textplan import TextFileError, plan_text_import, read_text_file, year_from_name
from tui.store.workspace import ChangedOnDisk, RecordError, Workspace

NAME = "import-text"
HELP = ("导入已发布的自评表文本（pdftotext 输出、网页复制的“|”表格、每行一格或连写、zipin render 的文本），"
        "逐张核对表上数字，每张表写成一个记录文件")

OK, BAD, USAGE = 0, 1, 2


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="文本文件", help="pdftotext 输出的 .txt 文件（UTF-8）")
    parser.add_argument("folder", metavar="文件夹", help="记录写入的文件夹（不存在则新建）")
    parser.add_argument("--dry-run", action="store_true", help="只解析和核对，不写任何文件")
    parser.add_argument("--year", type=int, metavar="年度",
                        help="表上未印年度时使用的年度（默认取文件名中的年份）")
    parser.add_argument("--rules", metavar="规则", default="default",
                        help="核对表上数字所用的评分规则（文件夹的 profiles/ 或内置，默认 default）")
    parser.add_argument("--layout", metavar="版式", default="",
                        help="表格版式（文件夹的 layouts/ 或内置：shanghai、central、sichuan、split；默认自动识别）")
    parser.add_argument("--partial", action="store_true",
                        help="表格不完整（中途截断）时仍导入已有部分，记录标为不完整")


def say(line: str, **kwargs) -> None:
    """A line of output: text read from the file (names, figures, problems) shown, never acted on."""
    print(visible(line), **kwargs)


def paths_refused(prog: str, source: Path, what: str, folder: Path) -> bool:
    """Say why the file to import or the folder can't be used (both import commands ask this)."""
    if not source.is_file():
        say(f"{prog}：找不到{what} {source}", file=sys.stderr)
        return True
    if folder.exists() and not folder.is_dir():
        say(f"{prog}：{folder} 不是文件夹", file=sys.stderr)
        return True
    return False


def problems_said(source: Path, result) -> bool:
    """Say what the forms read from `source` lack (then nothing is written), else how many."""
    for problem in result.problems:
        say(f"{source}：{problem}")
    if result.problems:
        say("未写入任何文件。")
        return True
    say(f"{source}：找到 {len(result.forms)} 张表")
    return False


def run(args) -> int:
    source = Path(args.file)
    folder = Path(args.folder)
    prog = f"zipin {NAME}"
    if paths_refused(prog, source, "文本文件", folder):
        return USAGE
    try:
        text = read_text_file(source)
    except TextFileError as exc:
        say(f"{source}：{exc}；未写入任何文件")
        return BAD
    try:
        rules = load_rules(args.rules, folder if folder.is_dir() else None)
        if args.layout:
            load_layout(args.layout, folder if folder.is_dir() else None)
    except (RulesError, LayoutError) as exc:
        say(f"{prog}：{exc}", file=sys.stderr)
        return BAD

    year = args.year if args.year is not None else year_from_name(source)
    with Steps(shown()) as steps:
        steps.phase("读取表格")  # a spinner: the reader finds the forms' shape as it goes
        result = import_text(text, year=year, layout=args.layout, partial=args.partial)
    if problems_said(source, result):
        return BAD

    workspace = Workspace(folder)
    with Steps(shown()) as steps:
        existing = workspace.load_all(steps.phase("读取本机记录")).records
        plan = plan_text_import(result, rules, folder, existing, str(source),
                                progress=steps.phase("核对表格"))
    return report_plan(plan, workspace, args.dry_run)


def report_plan(plan, workspace: Workspace, dry_run: bool, where=lambda form: f"第 {form.line} 行起") -> int:
    """Print each form's figures and problems, then write all or none (unless `dry_run`): what
    import-text and import-xlsx print and do once their forms are read. `where(form)` names the
    form's place in its file."""
    for item in plan.forms:
        form, sheet = item.form, item.sheet
        head = f"[{form.index}] {form.name}（{where(form)}）"
        if item.project is None:
            say(f"{head}：无法导入")
            for problem in form.problems:
                say(f"    × {problem}")
            continue
        figures = (f"执行率 {sheet.show(sheet.rate, 'rate') or '—'}%  "
                   f"资金得分 {sheet.show(sheet.funding_score, 'funding_score')}  "
                   f"总分 {sheet.show(sheet.total, 'total')}  等级 {sheet.grade}")
        if form.disagreements:
            say(f"{head}：{figures}；表上数字与计算不一致：")
            for line in form.disagreements:
                say(f"    ≠ {line}")
        else:
            say(f"{head}：{figures}，与表上一致")
        for note in form.notes:
            say(f"    注：{note}")
        if item.existing is not None:
            say(f"    注：文件夹中已有同名同年度的记录 {item.existing.name}，仍另存为新记录")

    failed, disagreeing = plan.failed, plan.disagreeing
    if failed:
        names = "、".join(f"[{f.index}] {f.name}" for f in failed)
        say(f"{len(failed)} 张表无法导入（{names}），未写入任何文件。")
        return BAD
    if dry_run:
        for item in plan.forms:
            say(f"  将写入 {item.path}")
        say(f"试运行：{len(plan.forms)} 张表可以导入，未写入任何文件。")
    else:
        try:
            with Steps(shown()) as steps:
                steps.phase("写入")
                written = workspace.write_text_import(plan)
        except OSError as exc:
            say(f"写入失败，未写入任何文件：{os_error(exc)}")
            return BAD
        except (ChangedOnDisk, RecordError) as exc:
            say(f"写入失败，未写入任何文件：{exc}")
            return BAD
        for path in written:
            say(f"  已写入 {path}")
        say(f"已导入 {len(written)} 张表到 {workspace.folder}。")
    if disagreeing:
        names = "、".join(f"[{f.index}] {f.name}" for f in disagreeing)
        say(f"其中 {len(disagreeing)} 张表的印刷数字与计算不一致，请核对：{names}")
        return BAD
    return OK
