"""`zipin next-year FILE|FOLDER [-o FOLDER] [--dry-run]`: start next year's forms from this year's.

Each record becomes next year's (tui.core.nextyear: same indicators, targets and weights; amounts,
actuals, scores and reasons cleared; a new id; this year's id kept as its predecessor). They are
written all at once, or none: into the folder named for next year beside a folder named for this
year (samples/2023 -> samples/2024), else into the same folder, unless -o says where. A record
that already has its next year's record there (the same predecessor) is skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.nextyear import default_folder, plan_next_year
from tui.core.messages import os_error, visible
from tui.store.workspace import ChangedOnDisk, RecordError, Workspace

NAME = "next-year"
HELP = "由本年度的记录生成下一年度的记录（指标、目标值、分值不变，金额、实际完成值、得分、偏差原因清空）"


def add_arguments(parser) -> None:
    parser.add_argument("path", metavar="路径", help="记录文件（.toml）或文件夹")
    parser.add_argument("-o", "--output", metavar="文件夹",
                        help="写入此文件夹（默认：文件夹名为年度时写入下一年度的同级文件夹，否则写入原文件夹）")
    parser.add_argument("--dry-run", action="store_true", help="只列出将写入的文件，不写入")


def run(args) -> int:
    source = Path(args.path)
    prog = f"zipin {NAME}"
    if source.is_dir():
        files = Workspace(source).files()
    elif source.is_file():
        files = [source]
    else:
        print(f"{prog}：{source}：文件或文件夹不存在", file=sys.stderr)
        return 2
    try:
        projects = [Workspace(path.parent).load(path).project for path in files]
    except RecordError as exc:
        print(visible(f"{prog}：无法读取 {exc}；未写入任何文件"), file=sys.stderr)
        return 1
    if not projects:
        print(f"{prog}：{source} 中没有记录文件（.toml）", file=sys.stderr)
        return 1
    home = source if source.is_dir() else source.parent
    folder = Path(args.output) if args.output else default_folder(home, projects[0].year)
    if folder.exists() and not folder.is_dir():
        print(f"{prog}：{folder} 不是文件夹", file=sys.stderr)
        return 2
    workspace = Workspace(folder)
    there = workspace.load_all().records
    items, skipped = plan_next_year(projects, folder, there, files)
    for project in skipped:
        print(visible(f"  跳过 {project.name}（{project.year}）：{folder} 中已有它的下一年度记录"))
    if args.dry_run:
        for new, path, _ in items:
            print(visible(f"  将写入 {path}（{new.name}，{new.year} 年度）"))
        print(f"试运行：{len(items)} 个记录，未写入任何文件。")
        return 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
        saved = workspace.save_all(items)
    except OSError as exc:
        print(f"写入失败，未写入任何文件：{os_error(exc)}")
        return 1
    except (ChangedOnDisk, RecordError) as exc:
        print(visible(f"写入失败，未写入任何文件：{exc}"))
        return 1
    for loaded in saved:
        print(visible(f"  已写入 {loaded.path}"))
    print(f"已生成 {len(saved)} 个下一年度记录到 {folder}。")
    return 0
