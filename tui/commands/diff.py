"""`zipin diff A B`: what changed between two versions of a record, field by field, with the
change in scores (“总分 71.67 → 69.67”). `zipin diff FILE`: the record as lines of fields and
scores, for git's textconv (set up by `zipin git-setup`). Also git's difftool:
``git difftool -t zipin``."""

from __future__ import annotations

import sys
from pathlib import Path

from tui.exchange.changes import as_text, describe
from tui.core.model import Project
from tui.core.rules import Rules, RulesError, load_rules
from tui.core.messages import visible
from tui.store.codec import RecordError
from tui.store.recordfile import load

NAME = "diff"
HELP = "比较一个项目记录的两个版本：改动的字段（两边的值）及得分变化；只给一个文件时按行列出（供 git textconv）"


def add_arguments(parser) -> None:
    parser.add_argument("old", metavar="旧版本", help="记录文件（git difftool 的 $LOCAL）")
    parser.add_argument("new", nargs="?", metavar="新版本", help="记录文件（$REMOTE）；省略则按行列出旧版本")


def _say(message: str) -> None:
    print(visible(f"zipin diff：{message}"), file=sys.stderr)


def _rules(project: Project, path: Path) -> Rules | None:
    """The record's profile from its folder, else built in; None if neither has it (git gives
    textconv a temporary copy, away from the folder's profiles/)."""
    for folder in (path.parent, Path.cwd()):
        try:
            return load_rules(project.rules, folder)
        except RulesError:
            continue
    return None


def _read(raw: str) -> Project | None:
    """The record; None for a side that doesn't exist (git's /dev/null for an added file)."""
    path = Path(raw)
    if raw == "/dev/null" or (path.exists() and path.stat().st_size == 0) or not path.exists():
        return None
    return load(path).project


def run(args) -> int:
    if args.new is None:
        path = Path(args.old)
        try:
            project = load(path).project
        except RecordError:  # not a record (a profile, a damaged file): git shows its lines
            try:
                sys.stdout.write(path.read_text(encoding="utf-8", errors="replace"))
            except OSError as exc:
                _say(f"{path}：无法读取（{exc.strerror or exc}）")
                return 2
            return 0
        sys.stdout.write(as_text(project, _rules(project, path)))
        return 0
    try:
        old, new = _read(args.old), _read(args.new)
    except RecordError as exc:
        _say(str(exc))
        return 2
    if old is None and new is None:
        _say(f"{args.old} 与 {args.new} 都不存在")
        return 2
    say = lambda line: print(visible(line))  # noqa: E731
    if old is None or new is None:
        which = new or old
        if which is not None:
            say(f"{'新增' if old is None else '删除'}记录：{which.name}（编号 {which.id}）")
        return 1
    name = new.name if new.name == old.name else f"{old.name} → {new.name}"
    lines = describe(old, new, _rules(old, Path(args.old)), _rules(new, Path(args.new)))
    if not lines:
        say(f"{name}：两个版本相同")
        return 0
    say(f"{name}（编号 {new.id}）：")
    for line in lines:
        say(f"  {line}")
    return 1
