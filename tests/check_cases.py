"""Records that take every turn of the record reader and the checker: each sample of 2023 and of
samples/other changed one way (a field of each type wrong, numbers at and over their bounds, deep
nesting, CR LF, a BOM, a bundle, bytes that are no UTF-8). For tests that compare two ways of
reading or checking the same files (tests/unit/test_check_same.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import OTHER, SAMPLES


def _sub(pattern: str, new: str, count: int = 1):
    return lambda t: re.sub(pattern, new, t, count=count, flags=re.M)


def _add(line: str):
    """A line added to the top table (before the first table header)."""
    return lambda t: re.sub(r"^(\[)", line + "\n\n\\1", t, count=1, flags=re.M)


_NEST = "[" * 70 + "]" * 70
CHANGES = {
    "unknown-top": _add('colour = "red"'),
    "indicator-extra": _sub(r"^(\[\[indicators\]\]\n)", r'\1colour = "red"\n'),
    "indicator-no-name": _sub(r'^name = "[^"]*"\n(?=(?:(?!\[\[).*\n)*)', "", 1),
    "weight-float": _sub(r'^(\s*)weight = "([0-9.]+)"(?=\n(?:.*\n)*?)', r"\1weight = 5.0", 0),
    "weight-int": _sub(r'^weight = "([0-9]+)\.00"', r"weight = \1", 0),
    "weight-fullwidth": _sub(r'^weight = "[0-9.]+"', 'weight = "１０.00"'),
    "weight-comma": _sub(r'^weight = "[0-9.]+"', 'weight = "1,000.00"'),
    "weight-word": _sub(r'^weight = "[0-9.]+"', 'weight = "十"'),
    "weight-negative-zero": _sub(r'^weight = "[0-9.]+"', 'weight = "-0.00"', 0),
    "weight-long": _sub(r'^weight = "[0-9.]+"', 'weight = "10.0000000000"', 0),
    "weight-11-places": _sub(r'^weight = "[0-9.]+"', 'weight = "10.00000000000"'),
    "weight-16-digits": _sub(r'^weight = "[0-9.]+"', 'weight = "1234567890123456.0"'),
    "weight-13-chars": _sub(r'^weight = "[0-9.]+"', 'weight = "123456789012.5"'),
    "weight-table": _sub(r'^weight = "[0-9.]+"', "weight = {a = 1}"),
    "score-given": _sub(r"^(\[\[indicators\]\]\n)", r'\1score = "0.50"\n', 0),
    "score-bad": _sub(r"^(\[\[indicators\]\]\n)", r'\1score = "x"\n'),
    "score-over": _sub(r"^(\[\[indicators\]\]\n)", r'\1score = "99.00"\n'),
    "reason-crlf": _sub(r"^(\[\[indicators\]\]\n)", r'\1reason = "甲\\r\\n乙\\r丙"\n', 0),
    "name-crlf": _sub(r'^name = "([^"]*)"', r'name = "\1\\r\\n下"'),
    "name-int": _sub(r'^name = "[^"]*"', "name = 7"),
    "year-text": _sub(r"^year = \d+", 'year = "2023"'),
    "year-bool": _sub(r"^year = \d+", "year = true"),
    "year-odd": _sub(r"^year = \d+", "year = 1800"),
    "format-3": _sub(r"^format = \d", "format = 3"),
    "format-0": _sub(r"^format = \d", "format = 0"),
    "id-blank": _sub(r'^id = "[^"]*"', 'id = "  "'),
    "no-id": _sub(r'^id = "[^"]*"\n', ""),
    "target-exponent": _sub(r'^target = "[^"]*"', 'target = "≥1E+5"'),
    "target-long": _sub(r'^target = "[^"]*"', 'target = "≥1234567890123456(次)"'),
    "target-13": _sub(r'^target = "[^"]*"', 'target = "≥100.0000(次)(次)"'),
    "target-nan": _sub(r'^target = "[^"]*"', 'target = "NaN"'),
    "target-int": _sub(r'^target = "[^"]*"', "target = 5"),
    "target-na": _sub(r'^target = "[^"]*"', 'target = "不适用"', 2),
    "target-operator-only": _sub(r'^target = "[^"]*"', 'target = "≥"'),
    "actual-operator-only": _sub(r'^actual = "[^"]*"', 'actual = "≥"', 2),
    "actual-not-a-figure": _sub(r'^actual = "[^"]*"', 'actual = "≥1.2.3次"', 0),
    "actual-blank": _sub(r'^actual = "[^"]*"', 'actual = ""', 0),
    "actual-missing": _sub(r'^actual = "[^"]*"\n', "", 1),
    "actual-word": _sub(r'^actual = "[^"]*"', 'actual = "部分达成"', 0),
    "level2-missing": _sub(r'^level2 = "[^"]*"\n', "", 0),
    "level1-blank": _sub(r'^level1 = "[^"]*"', 'level1 = " "'),
    "amount-int": _sub(r'^budget = "([0-9]+)\.[0-9]+"', r"budget = \1", 0),
    "amount-float": _sub(r'^executed = "([0-9.]+)"', r"executed = \1"),
    "amount-blank": _sub(r'^executed = "[0-9.]+"', 'executed = ""'),
    "amount-missing": _sub(r'^executed = "[0-9.]+"\n', ""),
    "amount-extra": _sub(r'^(executed = "[0-9.]+"\n)', r'\1spent = "1"\n'),
    "amount-negative": _sub(r'^budget = "([0-9.]+)"', r'budget = "-\1"'),
    "amount-huge": _sub(r'^budget = "([0-9.]+)"', r'budget = "99999999999999.99"'),
    "amount-word": _sub(r'^budget = "([0-9.]+)"', 'budget = "—"'),
    "funding-row-text": _sub(r"^\[funding\.other\]\n(?:\w+ = .*\n)*", "", 1),
    "indicators-text": lambda t: re.sub(r"\[\[indicators\]\](?:\n(?!\[\[).*)*", "", t) + 'indicators = "x"\n',
    "indicators-array-of-text": lambda t: re.sub(r"\[\[indicators\]\](?:\n(?!\[\[).*)*", "", t) + 'indicators = ["x"]\n',
    "texts-int": _add("texts = {a = 1}"),
    "goals-extra": _sub(r"^(\[goals\]\n)", r'\1why = "x"\n'),
    "big-int": _sub(r"^year = \d+", "year = 1" + "0" * 15),
    "big-int-elsewhere": _add("extra = {a = 10000000000000000}"),
    "float-nan": _add("extra = nan"),
    "deep": _add("deep = " + _NEST),
    "deep-and-out-of-bounds": lambda t: _add("deep = " + _NEST)(
        re.sub(r'^weight = "[0-9.]+"', 'weight = "1E+5"', t, count=1, flags=re.M)),
    "out-of-bounds-and-deep-later": lambda t: re.sub(r'^weight = "[0-9.]+"', 'weight = "1E+5"', t, count=1,
                                                     flags=re.M) + "[zzz]\ndeep = " + _NEST + "\n",
    "quoted-key": _add('"a b" = {c = "1E+5"}'),
    "crlf-file": lambda t: t.replace("\n", "\r\n"),
    "bom": lambda t: "\ufeff" + t,
    "invalid-toml": lambda t: t + "= broken\n",
    "mentions-bundle": lambda t: t.replace("#:schema", "# bundle.schema.json\n#:schema", 1),
}


def write_cases(folder: Path) -> list[Path]:
    """Folders `2023` and `other` (with its profiles): each sample as it is and changed each way,
    plus a bundle and a file that is no UTF-8 in each."""
    out = []
    for name, samples in (("2023", SAMPLES), ("other", OTHER)):
        here = folder / name
        shutil.copytree(samples / "profiles", here / "profiles", dirs_exist_ok=True) \
            if (samples / "profiles").is_dir() else here.mkdir(parents=True, exist_ok=True)
        for n, source in enumerate(sorted(samples.glob("*.toml"))):
            text = source.read_text(encoding="utf-8")
            (here / f"{n:02d}-as-is.toml").write_text(text, encoding="utf-8", newline="")
            for change, make in CHANGES.items():
                (here / f"{n:02d}-{change}.toml").write_text(make(text), encoding="utf-8", newline="")
        (here / "zz-bundle.toml").write_text("#:schema ../schemas/bundle.schema.json\nformat = 1\n",
                                             encoding="utf-8")
        (here / "zz-latin1.toml").write_bytes('name = "é"\n'.encode("latin-1"))
        out.append(here)
    return out
