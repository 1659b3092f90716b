"""`zipin merge-driver %O %A %B %P`: git's merge driver for record files (set up by `zipin git-setup`).

Merges the record field by field (tui.exchange.merge): exit 0 with the merged record in %A when the two
sides changed different fields; exit 1 on a real conflict, with a valid record in %A (our values
where both changed one field) and the other side kept for the app's review (tui.exchange.conflicts). A file
that is not a record (a rule profile, a bundle, a damaged file) gets git's own merge of lines.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui.exchange.conflicts import merge_file
from tui.core.messages import visible
from tui.store.codec import RecordError

NAME = "merge-driver"
HELP = "（由 git 调用）按字段三方合并一个项目记录；用 zipin git-setup 配置"


def add_arguments(parser) -> None:
    parser.add_argument("base", metavar="%O", help="共同祖先版本（git 给出的临时文件）")
    parser.add_argument("ours", metavar="%A", help="本方版本；合并结果写回这里")
    parser.add_argument("theirs", metavar="%B", help="对方版本")
    parser.add_argument("path", metavar="%P", help="记录在仓库中的路径")


def _say(message: str) -> None:
    print(visible(f"zipin merge-driver：{message}"), file=sys.stderr)


def _lines(args) -> int:
    """git's own three-way merge of lines (conflict markers), for files that aren't records."""
    try:
        done = subprocess.run(["git", "merge-file", "-L", f"{args.path}（本方）", "-L", "共同祖先",
                               "-L", f"{args.path}（对方）", args.ours, args.base, args.theirs])
    except OSError as exc:
        _say(f"{args.path}：无法运行 git merge-file（{exc.strerror or exc}）")
        return 2
    return 0 if done.returncode == 0 else 1


def run(args) -> int:
    try:
        result = merge_file(Path(args.base), Path(args.ours), Path(args.theirs), args.path)
    except RecordError as exc:
        _say(f"{exc}；按文本行合并")
        return _lines(args)
    except OSError as exc:
        _say(f"{args.path}：{exc.strerror or exc}")
        return 2
    if not result.conflicts:
        return 0
    from tui.exchange.changes import value_text  # only now: git runs us once per file
    from tui.core.editing import label

    _say(f"{args.path}：两个分支改了同一字段，共 {len(result.conflicts)} 处：")
    for c in result.conflicts[:20]:
        _say(f"  {label(c.path)}：本方 {value_text(c.ours)}，对方 {value_text(c.theirs)}")
    if result.kept is not None:
        _say(f"文件中暂为本方的值（仍是有效的记录）；在 zipin 中打开 {Path(args.path).parent} 文件夹，"
             "在冲突核对中按 B（采用对方）或 M（保留本方）选择，再 git add 该文件")
    else:
        _say(f"文件中暂为本方的值；{result.note}")
    return 1
