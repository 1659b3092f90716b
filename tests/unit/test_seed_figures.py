"""The seed's printed figures, typed by hand, against what `zipin check` computes.

The table below was typed from /work/shared/seed/2023-shanghai-cdpf-selfeval.txt
(the twelve printed 2023 forms of 上海市残疾人联合会), NOT produced by any code of the
project: it is the independent ground truth the program must reproduce.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from conftest import ROOT
from seed_figures import FIGURES, SUB_ROW_RATES

SAMPLES = ROOT / "samples" / "2023"



def test_table_is_complete():
    assert len(FIGURES) == 12
    assert len(SUB_ROW_RATES) == 12
    assert sum(len(row[6]) for row in FIGURES) == 130
    assert [row[0][:2] for row in FIGURES] == [f"{i:02d}" for i in range(1, 13)]
    for file, *_ in FIGURES:
        assert (SAMPLES / file).is_file(), file


def test_check_reproduces_printed_figures(tmp_path):
    # On a copy: check keeps an index in the folder it checks (.zipin/), and tests never write
    # into the repository.
    shutil.copytree(SAMPLES, tmp_path / "2023", ignore=shutil.ignore_patterns(".*"))
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(tmp_path / "2023"), "--json"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.stdout.strip(), f"no output (exit {proc.returncode}): {proc.stderr}"
    data = json.loads(proc.stdout)
    projects = data["projects"]
    mismatches: list[str] = []
    if len(projects) != len(FIGURES):
        mismatches.append(f"{len(projects)} projects, expected {len(FIGURES)}")
    for (file, name, rate, fscore, total, grade, scores), got in zip(FIGURES, projects):
        where = file
        if Path(got.get("file", "")).name != file:
            mismatches.append(f"{where}: file is {got.get('file')!r}")
        for key, want in (("name", name), ("rate", rate), ("funding_score", fscore),
                          ("total", total), ("grade", grade)):
            if got.get(key) != want:
                mismatches.append(f"{where}: {key} {got.get(key)!r} != printed {want!r}")
        indicators = got.get("indicators", [])
        if len(indicators) != len(scores):
            mismatches.append(f"{where}: {len(indicators)} indicators, printed {len(scores)}")
        for i, (ind, want) in enumerate(zip(indicators, scores), 1):
            if ind.get("score") != want:
                mismatches.append(
                    f"{where} #{i} {ind.get('name')}: score {ind.get('score')!r} "
                    f"!= printed {want!r} (computed {ind.get('computed')!r})"
                )
    assert not mismatches, "\n".join(mismatches)


def test_sub_row_rates_match_print():
    from tui.core.format import fixed
    from tui.core.rules import load_rules
    from tui.core.scoring import score
    from tui.store.recordfile import load

    rules = load_rules("default")
    mismatches = []
    for (file, *_), printed in zip(FIGURES, SUB_ROW_RATES):
        sheet = score(load(SAMPLES / file).project, rules)
        got = tuple(fixed(row.rate) for row in sheet.rows[1:])
        if got != printed:
            mismatches.append(f"{file}: sub-row rates {got} != printed {printed}")
    assert not mismatches, "\n".join(mismatches)
