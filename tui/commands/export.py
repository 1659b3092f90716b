"""`zipin export FOLDER [FILE...] -o BUNDLE.toml`: put records and their rule profiles in one bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.messages import os_error, visible
from tui.exchange.bundle import BundleError, export_to_file
from tui.progress import Steps, shown
from tui.core.rules import RulesError
from tui.store.workspace import RecordError, Workspace

NAME = "export"
HELP = "把文件夹中的全部（或指定的）项目记录及其评分规则打包成一个 TOML 文件，供同事导入"


def add_arguments(parser) -> None:
    parser.add_argument("folder", metavar="文件夹", help="记录所在的文件夹（评分规则也从这里找）")
    parser.add_argument("files", nargs="*", metavar="记录文件",
                        help="只导出这些记录（路径，或文件夹中的文件名）；默认导出全部")
    parser.add_argument("-o", "--output", required=True, metavar="包.toml", help="写出的包文件")
    parser.add_argument("--made-by", metavar="姓名", help="制作人（默认为系统用户名）")
    parser.add_argument("--force", action="store_true", help="包文件已存在时覆盖它")


def _say(message: str) -> None:
    print(visible(f"zipin export：{message}"), file=sys.stderr)


def _chosen(folder: Path, names: list[str]) -> list[Path] | None:
    paths = []
    for raw in names:
        path = Path(raw)
        if not path.is_file() and (folder / raw).is_file():
            path = folder / raw
        if not path.is_file():
            _say(f"{raw}：文件不存在")
            return None
        paths.append(path)
    return paths


def run(args) -> int:
    folder, out = Path(args.folder), Path(args.output)
    if not folder.is_dir():
        _say(f"{folder} 不是文件夹")
        return 2
    if out.exists() and not args.force:
        _say(f"{out} 已存在；如要覆盖，请加 --force")
        return 1
    if not out.parent.is_dir():
        _say(f"{out.parent} 不是文件夹")
        return 2
    if args.files:
        paths = _chosen(folder, args.files)
        if paths is None:
            return 2
        try:
            records = [Workspace(folder).load(p) for p in paths]
        except RecordError as exc:
            _say(f"无法读取 {exc}")
            return 1
    else:
        with Steps(shown()) as steps:
            loaded = Workspace(folder).load_all(steps.phase("读取记录"))
        for failure in loaded.failures:
            _say(f"无法读取 {failure}")
        if loaded.failures:
            _say("未导出：请先改正上面的文件，或在命令中只列出要导出的记录文件")
            return 1
        records = loaded.records
    if not records:
        _say(f"{folder} 中没有项目记录")
        return 1
    try:
        with Steps(shown()) as steps:
            checking = steps.phase("核对记录")

            def report(done: int, total: int) -> None:
                checking(done, total)
                if done == total:  # then the text of the bundle is made and written: uncounted
                    steps.phase("写出包文件")

            rules = export_to_file(folder, records, out, made_by=args.made_by, progress=report)
    except (RulesError, BundleError) as exc:
        _say(f"{exc}")
        _say("未导出")
        return 1
    except OSError as exc:
        _say(f"无法写入 {out}（{os_error(exc)}）")
        return 1
    print(visible(f"已导出 {len(records)} 个项目到 {out}（评分规则：{'、'.join(rules)}）"))
    return 0
