"""Merging records that two branches both changed (issue 16): the zipin merge driver against
git's own merge of lines, on the same records, in the same run.

    /work/venv/bin/python tests/perf/bench_merge.py [--count 1000] [--git-count 1000]

- merge in process: `conflicts.merge_file` (read three versions as records, merge field by field,
  write the result) of each record vs the bare work: `tomllib` of the three texts and `tomli_w`
  of one written back (CPU).
- git merge: a real `git merge` of two branches that changed different indicators of the same
  `--git-count` records, with the zipin driver (git starts it once per file) vs git's built-in
  merge of lines (which also succeeds here: the edits are on lines far apart). Wall clock.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import best_of, report  # noqa: E402
from generate import workspace  # noqa: E402

from tui.store import recordfile  # noqa: E402
from tui.exchange.conflicts import merge_file  # noqa: E402

ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
       "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x.invalid",
       "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x.invalid"}


def versions(records: list[recordfile.Loaded]) -> list[tuple[str, str, str]]:
    """(base, ours, theirs) texts: ours changes the first indicator's actual, theirs the second's."""
    out = []
    for loaded in records:
        p = loaded.project
        ours = p.with_indicator(0, actual="1.00(次)")
        theirs = p.with_indicator(1, actual="1.00(次)")
        out.append(tuple(recordfile.dumps(x, loaded.path) for x in (p, ours, theirs)))
    return out


def in_process(texts, tmp: Path) -> tuple[float, float]:
    paths = []
    for i, (o, a, b) in enumerate(texts):
        files = [tmp / f"{i}.{side}.toml" for side in "oab"]
        for path, text in zip(files, (o, a, b)):
            path.write_text(text, encoding="utf-8")
        paths.append(files)

    def subject():
        for (o, a, b), (_o, text, _b) in zip(paths, texts):
            a.write_text(text, encoding="utf-8")  # the merge writes over ours
            merge_file(o, a, b, a.name)

    def baseline():
        for (o, a, b), (_o, text, _b) in zip(paths, texts):
            a.write_text(text, encoding="utf-8")
            data = [tomllib.loads(p.read_text(encoding="utf-8")) for p in (o, a, b)]
            a.write_text(tomli_w.dumps(data[1], multiline_strings=True), encoding="utf-8")

    return best_of(subject, baseline, 3)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=ENV, capture_output=True)


def git_merge(texts, tmp: Path, driver: bool) -> float:
    """Wall-clock seconds of `git merge` of the two branches, with or without the zipin driver."""
    repo = tmp / ("zipin" if driver else "lines")
    recs = repo / "recs"
    recs.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    if driver:
        root = Path(__file__).resolve().parents[2]
        done = subprocess.run([sys.executable, "-m", "tui", "git-setup", str(recs)], cwd=root,
                              env=ENV, capture_output=True)
        assert done.returncode == 0, done.stderr
    for side, branch in ((0, "main"), (1, "ours"), (2, "theirs")):
        if side:
            git(repo, "checkout", "-q", "-b", branch, "main")
        for i, three in enumerate(texts):
            (recs / f"{i:05d}.toml").write_text(three[side], encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", branch)
    git(repo, "checkout", "-q", "ours")
    start = time.perf_counter()
    git(repo, "merge", "-q", "-m", "merge", "theirs")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--git-count", type=int, default=1000)
    args = parser.parse_args()
    texts = versions(recordfile.load_folder(workspace(max(args.count, args.git_count))).records)
    with tempfile.TemporaryDirectory() as tmp:
        subject, baseline = in_process(texts[:args.count], Path(tmp))
        report(f"merge {args.count:,} records (in process)", subject, baseline,
               what="merge_file of each vs tomllib of the three texts + tomli_w of one (CPU)")
        if shutil.which("git") is None:
            print("git is not installed: no git merge benchmark")
            return
        few = texts[:args.git_count]
        baseline = git_merge(few, Path(tmp) / "b", driver=False)
        subject = git_merge(few, Path(tmp) / "s", driver=True)
        report(f"git merge of {args.git_count:,} records both changed", subject, baseline,
               what="git merge with the zipin driver (a process per file) vs git's merge of lines (wall)")


if __name__ == "__main__":
    main()
