"""`zipin import-xlsx FILE.xlsx FOLDER [--dry-run] [--year N]`: bring forms in from a workbook.

Each sheet laid out as the form (one written by `zipin render --format xlsx`, or a clerk's sheet in
the central template) becomes a record (tui.exchange.xlsxin); every sheet's printed figures are checked
against the rules as `import-text` checks a text's, and the records are written all at once, or
none if any sheet can't be read (the same plan and write as import-text: tui.exchange.textplan).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.rules import RulesError, load_rules
from tui.exchange.textplan import plan_text_import, year_from_name
from tui.exchange.xlsxin import XlsxFileError, fresh_ids, read_workbook
from tui.store.workspace import Workspace
from tui.commands.import_text import BAD, USAGE, paths_refused, problems_said, report_plan, say

NAME = "import-xlsx"
HELP = "导入按自评表样式排列的 Excel 工作簿（xlsx），逐表核对表上数字，每张工作表写成一个记录文件"


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="工作簿", help="xlsx 文件（zipin render --format xlsx 输出，或按中央模板填写的表）")
    parser.add_argument("folder", metavar="文件夹", help="记录写入的文件夹（不存在则新建）")
    parser.add_argument("--dry-run", action="store_true", help="只读取和核对，不写任何文件")
    parser.add_argument("--rules", metavar="规则", default="default",
                        help="核对表上数字所用的评分规则（文件夹的 profiles/ 或内置，默认 default）")
    parser.add_argument("--year", type=int, metavar="年度",
                        help="表上未印年度时使用的年度（默认取文件名中的年份）")


def run(args) -> int:
    source, folder = Path(args.file), Path(args.folder)
    prog = f"zipin {NAME}"
    if paths_refused(prog, source, "工作簿", folder):
        return USAGE
    try:
        rules = load_rules(args.rules, folder if folder.is_dir() else None)
    except RulesError as exc:
        say(f"{prog}：{exc}", file=sys.stderr)
        return BAD
    try:
        result, titles = read_workbook(source, args.year if args.year is not None else year_from_name(source))
    except XlsxFileError as exc:
        say(f"{source}：{exc}；未写入任何文件")
        return BAD
    if problems_said(source, result):
        return BAD
    workspace = Workspace(folder)
    existing = workspace.load_all().records
    fresh_ids(result, {r.project.id for r in existing})
    plan = plan_text_import(result, rules, folder, existing, str(source))
    return report_plan(plan, workspace, args.dry_run, lambda form: f"工作表“{titles[form.index]}”")
