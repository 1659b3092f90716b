"""`zipin check PATH... [--json]`: validate records and print their figures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..editing import label
from ..format import cell, fixed
from ..layout import LayoutError, load_layout
from ..progress import Steps, shown
from ..rules import RulesError, load_rules
from ..messages import visible
from ..validation import ERROR, assess
from ..workspace import RecordError, Workspace

NAME = "check"
HELP = "校验记录文件或文件夹，打印执行率、资金得分、总分、等级及错误和提醒"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="路径", help="记录文件（.toml）或文件夹")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")


def _files(paths: list[str]) -> tuple[list[Path], list[str]]:
    files, missing = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(Workspace(path).files())
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"{raw}：文件或文件夹不存在")
    return files, missing


def _report(path: Path) -> dict:
    loaded = Workspace(path.parent).load(path)
    project = loaded.project
    rules = load_rules(project.rules, path.parent)
    if project.layout:
        load_layout(project.layout, path.parent)  # a layout it names and no folder has: a failure
    result = assess(project, rules)
    sheet = result.sheet
    show = sheet.show
    return {
        "file": str(path), "name": project.name, "year": project.year,
        "rate": show(sheet.rate, "rate"), "funding_score": show(sheet.funding_score, "funding_score"),
        "total": show(sheet.total, "total"), "grade": sheet.grade,
        # Added in record format 2: whether errors leave the total and grade not final.
        "final": result.final, "total_text": result.total_text, "grade_text": result.grade_text,
        "funding_weight": fixed(sheet.funding_weight),
        "indicators": [{"name": item.name, "weight": fixed(item.weight),
                        "score": show(s.score, "indicator_score"),
                        "computed": show(s.computed, "indicator_score")}
                       for item, s in zip(project.indicators, sheet.indicators)],
        "errors": [{"path": p.path, "field": label(p.path), "message": p.message}
                   for p in result.problems if p.level == ERROR],
        "warnings": [{"path": p.path, "field": label(p.path), "message": p.message}
                     for p in result.problems if p.level != ERROR],
    }


def run(args) -> int:
    files, missing = _files(args.paths)
    if missing:
        for line in missing:
            print(visible(f"zipin check：{line}"), file=sys.stderr)
        return 2
    projects, failures = [], []
    with Steps(shown(args.json)) as steps:
        report = steps.phase("校验记录")
        for done, path in enumerate(files, 1):
            try:
                projects.append(_report(path))
            except (RecordError, RulesError, LayoutError) as exc:
                failures.append({"file": str(path), "message": str(exc)})
            report(done, len(files))
    bad = bool(failures) or any(p["errors"] for p in projects)
    if args.json:
        json.dump({"projects": projects, "failures": failures}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 1 if bad else 0
    # Data is shown, never interpreted: an ESC or a line break in a name prints as \x1b or \n.
    say = lambda line: print(visible(line))  # noqa: E731
    for p in projects:
        say(f"{p['file']}  {p['name']}（{p['year']}）")
        say(f"  执行率 {p['rate'] + '%' if p['rate'] else cell('')}  资金得分 {p['funding_score']}  总分 {p['total_text']}  "
            f"等级 {p['grade_text']}")
        for e in p["errors"]:
            say(f"  错误 {e['field']}：{e['message']}")
        for w in p["warnings"]:
            say(f"  提醒 {w['field']}：{w['message']}")
    for f in failures:
        say(f"无法读取 {f['message']}")
    n_err = sum(len(p["errors"]) for p in projects) + len(failures)
    n_warn = sum(len(p["warnings"]) for p in projects)
    print(f"共 {len(projects) + len(failures)} 个文件：{n_err} 个错误，{n_warn} 个提醒")
    return 1 if bad else 0
