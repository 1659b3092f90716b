"""The quick ways of reading and checking records give what the plain ways give, on every sample
changed every way tests/check_cases.py knows (wrong types, numbers at and past their bounds, deep
nesting, CR LF, bundles): a record's plain fields read at once equal the same fields read one by
one; a folder checked through its index equals each of its files checked alone; the figures of
deep nesting is refused in the bounds walk as the parser's walk refuses it; the figures of
`fixed` equal quantize's."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from check_cases import write_cases
from tui.cli import main
from tui.core.bounds import parse_toml
from tui.core.format import _WIDE, fixed
from tui.core.model import COMPARATIVES, Comparatives, Target, parse_target
from tui.core.rules import load_rules
from tui.core.scoring import score
from tui.core.validation import validate
from tui.store import codec
from tui.store.recordfile import load


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> list[Path]:
    return write_cases(tmp_path_factory.mktemp("cases"))


def _parsed(folder: Path):
    for path in sorted(folder.glob("*.toml")):
        try:
            yield path, parse_toml(path.read_bytes().decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue


def test_plain_indicators_and_amounts_read_at_once_equal_them_read_field_by_field(cases):
    quick = slow = 0
    for folder in cases:
        for path, data in _parsed(folder):
            items = data.get("indicators")
            for i, raw in enumerate(items if isinstance(items, list) else []):
                item = codec._plain_indicator(raw)
                try:
                    read = codec._indicator(codec._Reader(raw, str(path), f"indicators[{i}]"))
                except codec.RecordError:
                    assert item is None, (path, i)  # never takes what the field reading refuses
                    slow += 1
                    continue
                assert item is None or item == read, (path, i)
                quick += item is not None
            funding = data.get("funding")
            version = data.get("format")
            for key, row in (funding.items() if isinstance(funding, dict) else ()):
                if not isinstance(row, dict) or key == "labels" or version not in (1, 2):
                    continue
                cells = codec._plain_amounts(row, version)
                try:
                    read = codec._read_amounts(codec._Reader(row, str(path), f"funding.{key}"), version)
                except codec.RecordError:
                    assert cells is None, (path, key)
                    continue
                assert cells is None or cells == read, (path, key)
    assert quick > 1000 and slow > 50  # both ways taken


def _read(text: str, source: str, nesting: bool):
    try:
        return codec.record_from_dict(parse_toml(text, nesting), source)
    except ValueError as exc:  # RecordError is one
        return str(exc) if isinstance(exc, codec.RecordError) else f"{source}：{exc}"


def test_nesting_refused_in_the_bounds_walk_as_the_parser_refuses_it(cases):
    """Records leave deep nesting to check_tree's one walk: the same record or the same message
    as when parse_toml walks for it first, whichever comes first in the file."""
    deep = 0
    for folder in cases:
        for path in sorted(folder.glob("*.toml")):
            text = path.read_bytes().decode("utf-8", "replace")
            read = _read(text, str(path), nesting=False)
            assert read == _read(text, str(path), nesting=True), path
            deep += "嵌套层数过多" in str(read)
    assert deep == 3 * 21


def _checked(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_a_folder_checked_cold_and_warm_equals_each_file_checked_alone(cases, capsys):
    for folder in cases:
        cold = _checked(capsys, str(folder))
        assert _checked(capsys, str(folder)) == cold  # warm: from the index
        alone: dict = {"projects": [], "failures": []}
        for path in sorted(folder.glob("*.toml")):
            if path.name == "zz-bundle.toml":  # a bundle is no record of a folder: skipped
                continue
            _code, one = _checked(capsys, str(path))
            alone["projects"] += one["projects"]
            alone["failures"] += one["failures"]
        assert cold[1] == alone
        assert cold[0] == (1 if alone["failures"] or any(p["errors"] for p in alone["projects"]) else 0)
        assert len(cold[1]["projects"]) > 200 and len(cold[1]["failures"]) > 200


def test_validation_with_the_targets_scoring_parsed_equals_parsing_them_again(cases):
    seen = 0
    for folder in cases:
        for path in sorted(folder.glob("*-as-is.toml")) + sorted(folder.glob("*-target-*.toml")) \
                + sorted(folder.glob("*-actual-*.toml")):
            try:
                project = load(path).project
            except codec.RecordError:
                continue
            rules = load_rules(project.rules, folder)
            sheet = score(project, rules)
            unparsed = replace(sheet, indicators=tuple(replace(s, target=None, actual=None)
                                                       for s in sheet.indicators))
            assert validate(project, rules, sheet) == validate(project, rules, unparsed), path
            seen += 1
    assert seen > 80


def test_fixed_gives_the_quantized_figure_whatever_the_decimals_given():
    rng = random.Random(16)
    values = [Decimal(t) for t in ("0", "-0", "-0.00", "0E-12", "1E+2", "-0.001", "0.005", "99.995",
                                   "5", "5.0", "5.00", "5.000", "123456789012345.1234567891")]
    values += [Decimal(rng.randint(-10**8, 10**8)).scaleb(-rng.randint(-3, 12)) for _ in range(3000)]
    for value in values:
        for places in range(12):
            step = Decimal(1).scaleb(-places)
            assert fixed(value, places) == f"{value.quantize(step, ROUND_HALF_UP, _WIDE):f}", (value, places)


def test_comparatives_hashed_once_are_the_same_key_as_the_plain_pairs_and_tiers_found_by_label():
    pairs = (("不低于", "≥"), ("以内", "≤"))
    words = Comparatives(pairs)
    assert words == pairs and hash(words) == hash(pairs) and {pairs: 1}[words] == 1
    assert parse_target("不低于90%", words) == parse_target("不低于90%", pairs)
    assert isinstance(COMPARATIVES, Comparatives) and parse_target("至少3次") == Target(op="≥", value=Decimal(3), unit="次")
    rules = load_rules("default", Path("."))
    for label in [t.label for t in rules.tiers] + ["没有的等级", ""]:
        assert rules.tier(label) == next((t for t in rules.tiers if t.label == label), None)
