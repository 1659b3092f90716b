"""`zipin import-text FILE.txt FOLDER [--dry-run] [--year N]`: bring printed forms in.

Reads the text of printed forms (``pdftotext`` output), builds one record per form, checks every
form against itself (the rates, scores, total and grade it prints against what the rules compute),
and writes all the records at once, or none if any form could not be read.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..format import fixed
from ..rules import RulesError, load_rules
from ..scoring import score
from ..storage import ChangedOnDisk, RecordError, load_folder, new_path, record_from_dict, save_all
from ..textimport import check_form, import_text

NAME = "import-text"
HELP = "导入印刷表格的文本（pdftotext 输出），逐张核对表上数字，每张表写成一个记录文件"

OK, BAD, USAGE = 0, 1, 2


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="文本文件", help="pdftotext 输出的 .txt 文件（UTF-8）")
    parser.add_argument("folder", metavar="文件夹", help="记录写入的文件夹（不存在则新建）")
    parser.add_argument("--dry-run", action="store_true", help="只解析和核对，不写任何文件")
    parser.add_argument("--year", type=int, metavar="年度",
                        help="表上未印年度时使用的年度（默认取文件名中的年份）")


def _year_from_name(path: Path) -> int | None:
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path.stem)
    return int(m.group(1)) if m else None


def _read(path: Path) -> tuple[str | None, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"无法读取（{exc.strerror or exc}）"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), ""
        except UnicodeDecodeError:
            continue
    return None, "不是 UTF-8 或 GB18030 编码的文本"


def run(args) -> int:
    source = Path(args.file)
    folder = Path(args.folder)
    prog = f"zipin {NAME}"
    if not source.is_file():
        print(f"{prog}：找不到文本文件 {source}", file=sys.stderr)
        return USAGE
    if folder.exists() and not folder.is_dir():
        print(f"{prog}：{folder} 不是文件夹", file=sys.stderr)
        return USAGE
    text, error = _read(source)
    if text is None:
        print(f"{source}：{error}；未写入任何文件")
        return BAD
    try:
        rules = load_rules("default", folder if folder.is_dir() else None)
    except RulesError as exc:
        print(f"{prog}：{exc}", file=sys.stderr)
        return BAD

    result = import_text(text, year=args.year if args.year is not None else _year_from_name(source))
    for problem in result.problems:
        print(f"{source}：{problem}")
    if result.problems:
        print("未写入任何文件。")
        return BAD
    print(f"{source}：找到 {len(result.forms)} 张表")

    existing = {}
    if folder.is_dir():
        for loaded in load_folder(folder).records:
            existing[(loaded.project.year, loaded.project.name)] = loaded.path
    taken: set[Path] = set()
    planned = []
    for form in result.forms:
        check_form(form, rules)
        head = f"[{form.index}] {form.name}（第 {form.line} 行起）"
        if not form.ok:
            print(f"{head}：无法导入")
            for problem in form.problems:
                print(f"    × {problem}")
            continue
        project = record_from_dict(form.record, f"{source}#{form.index}")
        sheet = score(project, rules)
        figures = (f"执行率 {fixed(sheet.rate)}%  资金得分 {fixed(sheet.funding_score)}  "
                   f"总分 {fixed(sheet.total)}  等级 {sheet.grade}")
        if form.disagreements:
            print(f"{head}：{figures}；表上数字与计算不一致：")
            for line in form.disagreements:
                print(f"    ≠ {line}")
        else:
            print(f"{head}：{figures}，与表上一致")
        for note in form.notes:
            print(f"    注：{note}")
        same = existing.get((project.year, project.name))
        if same is not None:
            print(f"    注：文件夹中已有同名同年度的记录 {same.name}，仍另存为新记录")
        path = new_path(folder, project, taken)
        taken.add(path)
        planned.append((project, path))

    failed = [f for f in result.forms if not f.ok]
    disagreeing = [f for f in result.forms if f.disagreements]
    if failed:
        names = "、".join(f"[{f.index}] {f.name}" for f in failed)
        print(f"{len(failed)} 张表无法导入（{names}），未写入任何文件。")
        return BAD
    if args.dry_run:
        for _project, path in planned:
            print(f"  将写入 {path}")
        print(f"试运行：{len(planned)} 张表可以导入，未写入任何文件。")
    else:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            save_all([(project, path, None) for project, path in planned])
        except (OSError, ChangedOnDisk, RecordError) as exc:
            print(f"写入失败，未写入任何文件：{exc}")
            return BAD
        for _project, path in planned:
            print(f"  已写入 {path}")
        print(f"已导入 {len(planned)} 张表到 {folder}。")
    if disagreeing:
        names = "、".join(f"[{f.index}] {f.name}" for f in disagreeing)
        print(f"其中 {len(disagreeing)} 张表的印刷数字与计算不一致，请核对：{names}")
        return BAD
    return OK
