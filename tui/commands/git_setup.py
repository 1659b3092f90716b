"""`zipin git-setup [FOLDER]`: let git merge and compare record files by their fields.

Writes, for the records folder FOLDER (default: the current folder) inside a git repository:
- FOLDER/.gitattributes: record files (``*.toml``) use the ``zipin`` merge and diff drivers;
  rule profiles (``profiles/*.toml``) keep git's own. Committed: the whole team shares it.
- the repository's own config (``git config --local``, not shared: each clerk runs this once in
  each clone): ``merge.zipin.driver`` = ``zipin merge-driver %O %A %B %P``, ``diff.zipin.textconv``
  = ``zipin diff`` (git diff shows fields and scores), ``difftool.zipin.cmd`` = ``zipin diff
  "$LOCAL" "$REMOTE"`` (``git difftool -t zipin``);
- ``.zipin/`` in the repository's info/exclude: the folder's local state (exchange ledger,
  conflicts kept for review) stays out of commits.
Running it again changes nothing more.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from tui.core.messages import visible
from tui.store.atomic import atomic_write

NAME = "git-setup"
HELP = "在 git 仓库中配置按字段合并与比较项目记录（写 .gitattributes 和本仓库的 git 配置）"

BEGIN = "# zipin git-setup：项目记录按字段合并与比较（此段由 zipin git-setup 维护）"
END = "# zipin git-setup 结束"
ATTRIBUTES = ["*.toml merge=zipin diff=zipin", "profiles/*.toml !merge !diff"]


def add_arguments(parser) -> None:
    parser.add_argument("folder", nargs="?", default=".", metavar="文件夹",
                        help="git 仓库中的记录文件夹（默认当前文件夹）")


def _say(message: str) -> None:
    print(visible(f"zipin git-setup：{message}"), file=sys.stderr)


def command() -> str:
    """How git should run this zipin: the installed script beside this Python, else `python -m tui`."""
    script = Path(sys.executable).parent / "zipin"
    if script.is_file():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m tui"


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip() or f"git {' '.join(args)} 失败")
    return done.stdout.strip()


def attributes_text(old: str) -> str:
    """`old` .gitattributes with zipin's block put in (or replaced), other lines kept."""
    lines = old.splitlines()
    if BEGIN in lines and END in lines[lines.index(BEGIN):]:
        start = lines.index(BEGIN)
        end = lines.index(END, start)
        lines[start:end + 1] = [BEGIN, *ATTRIBUTES, END]
    else:
        lines += ([""] if lines and lines[-1].strip() else []) + [BEGIN, *ATTRIBUTES, END]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        _say(f"{folder} 不是文件夹")
        return 2
    try:
        _git(folder, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        _say("找不到 git 命令，请先安装 git")
        return 2
    except RuntimeError:
        _say(f"{folder} 不在 git 仓库中（请先 git init 或 git clone）")
        return 2
    zipin = command()
    settings = {
        "merge.zipin.name": "zipin：项目记录按字段三方合并",
        "merge.zipin.driver": f"{zipin} merge-driver %O %A %B %P",
        "diff.zipin.textconv": f"{zipin} diff",
        "difftool.zipin.cmd": f'{zipin} diff "$LOCAL" "$REMOTE"',
    }
    attributes = folder / ".gitattributes"
    try:
        old = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
        new = attributes_text(old)
        if new != old:
            atomic_write(attributes, new)
        for key, value in settings.items():
            _git(folder, "config", "--local", key, value)
        exclude = Path(folder, _git(folder, "rev-parse", "--git-path", "info/exclude"))
        kept = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
        if ".zipin/" not in kept.splitlines():
            exclude.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(exclude, kept + ("" if not kept or kept.endswith("\n") else "\n") + ".zipin/\n")
    except (OSError, UnicodeDecodeError, RuntimeError) as exc:
        _say(f"未完成：{exc}")
        return 1
    print(f"已写入 {attributes}：{'；'.join(ATTRIBUTES)}")
    for key, value in settings.items():
        print(f"git config {key} = {value}")
    print("请提交 .gitattributes（git add .gitattributes && git commit），"
          "每位同事在自己的仓库副本中也运行一次 zipin git-setup。")
    return 0
