"""`zipin import BUNDLE.toml FOLDER [--dry-run] [--take-bundle ID[:FIELD]...] [--keep-mine ID[:FIELD]...]`.

ID:FIELD chooses one field of a record (its name as the report prints it, spaces optional, or its
path): --take-bundle ID:FIELD takes those fields from the bundle and keeps the rest of mine;
--keep-mine ID:FIELD keeps those and takes the rest from the bundle.

The module is `import_` because `import` is a Python keyword; tui.cli maps the word to it.
"""

from __future__ import annotations

import shlex
import sys
from datetime import datetime
from pathlib import Path

from tui.exchange.bundle import BundleError, load_bundle
from tui.exchange.bundleplan import (CONFLICT, KEEP_MINE, LOCAL_NEWER, NEW, SAME, STATUS_LABELS, TAKE_BUNDLE,
                                     UPDATE, FieldChoice, ImportItem, ImportPlan, unit_label)
from tui.core.editing import blank_text, label
from tui.core.messages import os_error, visible
from tui.progress import Steps, shown
from tui.store.workspace import ChangedOnDisk, Workspace

NAME = "import"
CONFLICT_LINES = 12  # fields of a conflict listed with both values
HELP = "导入同事的记录包：逐一核对校验值与校验结果，按编号匹配，新增/更新/报告冲突，全部写入或全不写入"


def add_arguments(parser) -> None:
    parser.add_argument("bundle", metavar="包.toml", help="zipin export 生成的包文件")
    parser.add_argument("folder", metavar="文件夹", help="导入到这个记录文件夹（不存在则新建）")
    parser.add_argument("--dry-run", action="store_true", help="只列出将会发生什么，不写入任何文件")
    parser.add_argument("--take-bundle", nargs="+", action="extend", default=[], metavar="编号[:字段]",
                        help="这些记录采用包内版本（用于冲突；编号可只写开头几位）；"
                             "编号:字段 只采用包内的这些字段，其余保留本机（字段名如报告所列，如 编号:实施单位）")
    parser.add_argument("--keep-mine", nargs="+", action="extend", default=[], metavar="编号[:字段]",
                        help="这些记录保留本机版本，不导入（用于冲突或不想要的更新）；"
                             "编号:字段 只保留本机的这些字段，其余采用包内")


def say(line: str) -> None:
    """A line of the report: names, ids and paths from the bundle shown, never acted on."""
    print(visible(line))


def _say(message: str) -> None:
    print(visible(f"zipin import：{message}"), file=sys.stderr)


def _choices(plan: ImportPlan, args) -> dict[str, str | FieldChoice] | None:
    choices: dict[str, str | FieldChoice] = {}
    fields: dict[str, tuple[str, set[str]]] = {}  # id -> (the choice for the fields named, paths)
    items = {}
    for keys, choice in ((args.take_bundle, TAKE_BUNDLE), (args.keep_mine, KEEP_MINE)):
        for key in keys:
            key, _, field = key.partition(":")
            found = plan.find(key)
            if not found:
                _say(f"包中没有编号为 {key} 的记录")
                return None
            if len(found) > 1:
                _say(f"编号开头 {key} 对应多个记录，请多写几位")
                return None
            item = items[found[0].id] = found[0]
            rid = item.id
            if field:
                path = _field(item, field)
                if path is None:
                    return None
                if fields.setdefault(rid, (choice, set()))[0] != choice:
                    _say(f"记录 {rid} 的字段不能既 --take-bundle 又 --keep-mine：只用其一，未列出的字段取另一方")
                    return None
                fields[rid][1].add(path)
                continue
            if choices.get(rid, choice) != choice:
                _say(f"记录 {rid} 不能既 --take-bundle 又 --keep-mine")
                return None
            choices[rid] = choice
    for rid, (choice, paths) in fields.items():
        if rid in choices:
            _say(f"记录 {rid} 已整个选择，不能再逐项选择")
            return None
        every = {path for path, _a, _b in items[rid].units()}
        choices[rid] = items[rid].choose_fields(paths if choice == TAKE_BUNDLE else every - paths)
    return choices


def _field(item: ImportItem, name: str) -> str | None:
    """The path of a field of `item` that differs, named by its label (spaces optional) or path."""
    units = [path for path, _a, _b in item.units()]
    wanted = "".join(name.split())
    for path in units:
        if wanted in (path, "".join(unit_label(path).split())):
            return path
    shown = "、".join(unit_label(p) for p in units) or "（无）"
    _say(f"记录 {item.id}：没有不同的字段“{name}”；可选的字段：{shown}")
    return None


def _fields(item: ImportItem) -> str:
    fields = [label(path) for path in item.changed_fields()]
    shown = "、".join(fields[:3])
    return shown + (f" 等 {len(fields)} 处" if len(fields) > 3 else "")


def _value(value: object, path: str, project) -> str:
    return blank_text(project, path, value) or str(value)  # say(): one visible line


def _both(item: ImportItem, choice=None) -> list[str]:
    """A conflict's fields with both values, one line each (the first CONFLICT_LINES); with a
    field choice, the side each field takes."""
    found = item.differences()
    side = (lambda path: "  → 采用包内" if choice.covers(path) else "  → 保留本机") \
        if isinstance(choice, FieldChoice) else (lambda path: "")
    here = item.local.project if item.local is not None else None
    lines = [f"      {label(path)}：本机 {_value(mine, path, here)} ／ "
             f"包内 {_value(theirs, path, item.record.project)}{side(path)}"
             for path, mine, theirs in found[:CONFLICT_LINES]]
    if len(found) > CONFLICT_LINES:
        lines.append(f"      ⋯另有 {len(found) - CONFLICT_LINES} 处")
    return lines


def _action(item: ImportItem, choice: str | FieldChoice | None) -> str:
    name = item.path.name
    take = item.takes_bundle(choice)
    if isinstance(choice, FieldChoice) and item.status != CONFLICT:
        return f"按选择逐项合并（包内 {len(choice.taken)} 处，其余保留本机），覆盖 {name}"
    if item.status == NEW:
        return f"写入新文件 {name}" if take else "按选择不导入"
    if item.status == SAME:
        return f"与本机 {name} 相同，无需改动"
    if item.status == UPDATE:
        why = f"只有包内改过（{_fields(item)}）"
        return f"{why}：覆盖 {name}" if take else f"{why}：按选择保留本机 {name}"
    if item.status == LOCAL_NEWER:
        why = "本机版本已包含包内版本（本机改过，或以前已处理）"
        return f"{why}：按选择采用包内版本，覆盖 {name}" if take else f"{why}：保留本机 {name}"
    why = f"双方都改过（{_fields(item)}），或此前没有交换过"  # bundleplan: no shared history
    if isinstance(choice, FieldChoice):
        return f"{why}：按选择逐项合并（包内 {len(choice.taken)} 处，其余保留本机），覆盖 {name}"
    if choice == TAKE_BUNDLE:
        return f"{why}：按选择采用包内版本，覆盖 {name}"
    if choice == KEEP_MINE:
        return f"{why}：按选择保留本机 {name}"
    return f"{why}：未选择，不导入"


def _report(plan: ImportPlan, choices: dict[str, str | FieldChoice]) -> None:
    b = plan.bundle
    made_at = b.made_at.isoformat(sep=" ") if isinstance(b.made_at, datetime) else str(b.made_at)
    say(f"包 {b.source}：{len(b.records)} 个项目，{b.made_by or '（未署名）'} 制作于 {made_at}"
        f"（{b.generator or '未知程序'}，格式 {b.format}）；全部记录的校验值与校验均已通过")
    for item in plan.items:
        status = STATUS_LABELS[item.status]
        say(f"  {status:\u3000<4} {item.name}  [{item.id}]  {_action(item, choices.get(item.id))}")
        if item.status == CONFLICT:
            for line in _both(item, choices.get(item.id)):
                say(line)
    for profile in plan.profiles_to_write(choices):
        say(f"  评分规则 {profile.name}：本机没有，写入 profiles/{profile.path.name}")
    for layout in plan.layouts_to_write(choices):
        say(f"  版式 {layout.name}：本机没有，写入 layouts/{layout.path.name}")
    counts = [f"{STATUS_LABELS[s]} {n}" for s in (NEW, UPDATE, SAME, LOCAL_NEWER, CONFLICT)
              if (n := len(plan.by_status(s)))]
    print("合计：" + "，".join(counts))


def run(args) -> int:
    source, folder = Path(args.bundle), Path(args.folder)
    if not source.is_file():
        _say(f"{source}：文件不存在")
        return 2
    if folder.exists() and not folder.is_dir():
        _say(f"{folder} 不是文件夹")
        return 2
    try:
        with Steps(shown()) as steps:
            bundle = load_bundle(source, steps.phase("核对记录包"))
    except BundleError as exc:
        _say(str(exc))
        _say("整个包未导入，未写入任何文件")
        return 1
    workspace = Workspace(folder)
    with Steps(shown()) as steps:
        plan = workspace.plan_import(bundle, steps.phase("读取本机记录"))
    choices = _choices(plan, args)
    if choices is None:
        return 2
    _report(plan, choices)
    if plan.problems:
        for problem in plan.problems:
            _say(problem)
        _say("未写入任何文件")
        return 1
    unresolved = plan.unresolved(choices)
    writes = (len(plan.to_write(choices)) + len(plan.profiles_to_write(choices))
              + len(plan.layouts_to_write(choices)))
    if args.dry_run:
        print(f"试运行：将写入 {writes} 个文件；现在未写入任何文件")
    else:
        try:
            with Steps(shown()) as steps:
                steps.phase("写入")
                written = workspace.apply_import(plan, choices)
        except ChangedOnDisk as exc:  # another import or a save wrote while this one checked
            _say(str(exc))
            _say("文件夹在核对后已被修改（另一次导入或保存），未写入任何文件；请重新运行本命令，按现在的内容再核对")
            return 1
        except BundleError as exc:
            _say(str(exc))
            _say("未写入任何文件")
            return 1
        except OSError as exc:
            _say(f"写入失败（{os_error(exc)}），未写入任何文件")
            return 1
        say(f"已写入 {len(written)} 个文件到 {folder}")
    if unresolved:
        again = f"zipin import {shlex.quote(str(source))} {shlex.quote(str(folder))}"
        _say(f"有 {len(unresolved)} 个冲突未导入（同一项目两边不同，无法判断是哪一方改的）。请先比较后选择：")
        for item in unresolved:
            _say(f"  {item.name}：{again} --take-bundle {item.id}  （采用包内版本）")
            _say(f"  或：{again} --keep-mine {item.id}  （保留本机版本）")
            _say(f"  或逐项：{again} --take-bundle {item.id}:字段名  （这些字段采用包内，其余保留本机；字段名如上所列）")
        return 1
    return 0

