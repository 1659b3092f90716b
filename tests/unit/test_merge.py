"""Three-way merge of records (tui.exchange.merge) and the diff of two versions (tui.exchange.changes), on the
samples: pure functions, no git (tests/test_git.py drives real git)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tui.exchange import bundleplan, canonical
from tui.exchange.changes import as_text, describe
from tui.cli import main
from tui.exchange.merge import merge_records
from tui.core.rules import load_rules
from tui.core.scoring import score
from tui.store.codec import record_from_dict, record_to_dict
from tui.store.recordfile import dumps, load
from conftest import OTHER, SAMPLES

FIRST = SAMPLES / "01-残疾人基本保障和帮扶经费.toml"


def base():
    return load(FIRST).project


def d(project) -> dict:
    return record_to_dict(project)


def test_different_indicators_merge_cleanly_with_both_edits():
    p = base()
    ours = p.with_indicator(0, actual="1.00(次)")
    theirs = p.with_indicator(1, actual="50.00(人次)")
    m = merge_records(d(p), d(ours), d(theirs))
    assert m.clean and m.ours == m.theirs
    merged = record_from_dict(m.ours, "合并")
    assert merged.indicators[0].actual == "1.00(次)"
    assert merged.indicators[1].actual == "50.00(人次)"
    assert merged == p.with_indicator(0, actual="1.00(次)").with_indicator(1, actual="50.00(人次)")


def test_different_fields_of_one_indicator_and_top_fields_merge():
    p = base()
    ours = replace(p.with_indicator(2, actual="1.00(次)"), name="新名称")
    theirs = replace(p.with_indicator(2, reason="因故减少"), department="另一部门")
    m = merge_records(d(p), d(ours), d(theirs))
    assert m.clean
    merged = record_from_dict(m.ours, "合并")
    assert (merged.name, merged.department) == ("新名称", "另一部门")
    assert (merged.indicators[2].actual, merged.indicators[2].reason) == ("1.00(次)", "因故减少")


def test_same_field_changed_alike_is_no_conflict():
    p = base()
    same = p.with_indicator(2, actual="1.00(次)")
    assert merge_records(d(p), d(same), d(same)).clean


def test_same_field_changed_differently_is_a_conflict_with_both_whole_versions():
    p = base()
    ours = p.with_indicator(2, actual="0.00(次)").with_indicator(4, reason="说明")
    theirs = p.with_indicator(2, actual="1.00(次)").with_indicator(0, actual="3.00(次)")
    m = merge_records(d(p), d(ours), d(theirs))
    assert [(c.path, c.base, c.ours, c.theirs) for c in m.conflicts] == [
        ("indicators[2].actual", "2.00(次)", "0.00(次)", "1.00(次)")]
    mine, other = record_from_dict(m.ours, "本方"), record_from_dict(m.theirs, "对方")
    # the two versions differ exactly in the conflicting field; the clean edits are in both
    assert canonical.differences(mine, other) == [("indicators[2].actual", "0.00(次)", "1.00(次)")]
    assert mine.indicators[0].actual == other.indicators[0].actual == "3.00(次)"


def test_added_and_deleted_indicators():
    p = base()
    extra = replace(p.indicators[0], name="新增指标甲")
    ours = replace(p, indicators=p.indicators + (extra,))            # ours adds at the end
    theirs = replace(p, indicators=p.indicators[:1] + p.indicators[2:])  # theirs deletes the 2nd
    theirs = theirs.with_indicator(3, actual="9.00(个)")             # and edits a later one
    m = merge_records(d(p), d(ours), d(theirs))
    assert m.clean
    names = [i.name for i in record_from_dict(m.ours, "合并").indicators]
    assert names == [i.name for i in p.indicators if i.name != p.indicators[1].name] + ["新增指标甲"]
    assert record_from_dict(m.ours, "合并").indicators[3].actual == "9.00(个)"


def test_both_add_different_indicators_keeps_both_ours_first():
    p = base()
    a = replace(p.indicators[0], name="甲")
    b = replace(p.indicators[0], name="乙")
    m = merge_records(d(p), d(replace(p, indicators=p.indicators + (a,))),
                      d(replace(p, indicators=p.indicators + (b,))))
    assert m.clean
    assert [i.name for i in record_from_dict(m.ours, "合并").indicators][-2:] == ["甲", "乙"]


def test_deleted_on_one_side_changed_on_the_other_is_a_conflict():
    p = base()
    ours = replace(p, indicators=p.indicators[1:])
    theirs = p.with_indicator(0, actual="1.00(次)")
    m = merge_records(d(p), d(ours), d(theirs))
    assert len(m.conflicts) == 1
    assert len(m.ours["indicators"]) == len(p.indicators) - 1
    assert len(m.theirs["indicators"]) == len(p.indicators)


def test_renamed_in_place_and_moved_indicators_match_their_base():
    p = base()
    renamed = p.with_indicator(3, name="改名后的指标")
    moved = list(p.indicators)
    moved[0], moved[5] = moved[5], moved[0]
    moved[5] = replace(moved[5], actual="7.00(次)")  # the base's first, now sixth, edited
    theirs = replace(p, indicators=tuple(moved))
    m = merge_records(d(p), d(renamed), d(theirs))
    assert m.clean
    merged = record_from_dict(m.ours, "合并")
    assert merged.indicators[3].name == "改名后的指标"
    assert merged.indicators[5].name == p.indicators[0].name  # their order: only they moved items
    assert merged.indicators[5].actual == "7.00(次)"


def test_generic_over_fields_a_later_format_adds():
    """The merge knows no field names: a table or key a newer record format has merges alike."""
    o = {"format": 2, "blank": {"budget": ""}, "stated": "1.00", "items": [{"name": "a", "x": "1"}]}
    a = {**o, "blank": {"budget": "5.00"}}
    b = {**o, "stated": "2.00", "items": [{"name": "a", "x": "2"}]}
    m = merge_records(o, a, b)
    assert m.clean
    assert m.ours == {"format": 2, "blank": {"budget": "5.00"}, "stated": "2.00",
                      "items": [{"name": "a", "x": "2"}]}


def test_no_common_base_keeps_what_both_agree_on():
    p = base()
    m = merge_records(None, d(p), d(p.with_indicator(1, actual="50.00(人次)")))
    assert [c.path for c in m.conflicts] == ["indicators[1].actual"]


# ---------------------------------------------------------------------------------------------
# the diff: fields with both values, then the scores that changed

def test_describe_names_fields_and_score_changes():
    p = base()
    rules = load_rules("default")
    new = p.with_indicator(1, actual="50.00(人次)", reason="因故减少")  # a reason: no error, final
    before, after = score(p, rules).total, score(new, rules).total
    lines = describe(p, new, rules, rules)
    assert lines[0] == "第 2 项指标的实际完成值：100.00(人次) → 50.00(人次)"
    assert f"总分 {before:.2f} → {after:.2f}（{after - before:+.2f}）" in lines
    assert "第 2 项指标得分 10.00 → 5.00" in lines


def test_zipin_diff_two_files_and_textconv(tmp_path: Path, capsys):
    p = base()
    new = p.with_indicator(1, actual="50.00(人次)", reason="因故减少")
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(dumps(p, a), encoding="utf-8")
    b.write_text(dumps(new, b), encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "第 2 项指标的实际完成值：100.00(人次) → 50.00(人次)" in out
    assert "总分 99.98 → 94.98（-5.00）" in out
    assert main(["diff", str(a), str(a)]) == 0
    assert "两个版本相同" in capsys.readouterr().out
    assert main(["diff", str(a)]) == 0
    text = capsys.readouterr().out
    assert text == as_text(p, load_rules("default"))
    assert "总分 99.98\n" in text and "第 2 项指标的实际完成值：100.00(人次)\n" in text


def test_random_value_edits_merge_as_a_person_would():
    """Random edits of field values on both sides (no items added or removed): a field changed on
    one side takes that side's value; changed alike on both, that value; changed differently on
    both, a conflict at exactly that path, each pick keeping its side's value."""
    import random

    rng = random.Random(16)
    for sample in sorted(SAMPLES.glob("*.toml")):
        base_dict = d(load(sample).project)
        flat = canonical.flat_fields(base_dict)
        paths = [p for p, v in flat.items() if isinstance(v, str) and p not in ("id", "rules")]
        for _round in range(20):
            edits_a = {p: f"甲{rng.randint(0, 3)}" for p in rng.sample(paths, rng.randint(0, 6))}
            edits_b = {p: f"甲{rng.randint(0, 3)}" for p in rng.sample(paths, rng.randint(0, 6))}
            m = merge_records(base_dict, _edited(base_dict, edits_a), _edited(base_dict, edits_b))
            want_conflicts = sorted(p for p in edits_a.keys() & edits_b.keys() if edits_a[p] != edits_b[p])
            assert sorted(c.path for c in m.conflicts) == want_conflicts
            ours, theirs = canonical.flat_fields(m.ours), canonical.flat_fields(m.theirs)
            for p in paths:
                a, b = edits_a.get(p), edits_b.get(p)
                assert ours[p] == (a if a is not None else b if b is not None else flat[p])
                assert theirs[p] == (b if b is not None else a if a is not None else flat[p])


def _edited(record: dict, edits: dict[str, str]) -> dict:
    """A deep copy of a record dict with the values at these field paths replaced."""
    import copy
    import re

    out = copy.deepcopy(record)
    for path, value in edits.items():
        node, keys = out, re.findall(r"[^.\[\]]+|\[\d+\]", path)
        for key in keys[:-1]:
            node = node[int(key[1:-1])] if key.startswith("[") else node[key]
        last = keys[-1]
        node[int(last[1:-1]) if last.startswith("[") else last] = value
    return out


def test_describe_marks_a_total_not_final_while_errors_remain():
    p = base()
    rules = load_rules("default")
    lines = describe(p, p.with_indicator(1, actual="50.00(人次)"), rules, rules)  # no reason given
    assert "总分 99.98 → 94.98（未定）（-5.00）" in lines
    assert "等级 优 → 优（未定：1 个错误）" in lines


def test_format_2_records_merge_with_their_blanks_and_row_sets():
    """Record format 2 (blank amounts, named funding rows, stated totals) merges alike: the
    merge works on the record dict, whatever fields it has."""
    other = OTHER
    for sample in sorted(other.glob("*.toml")):
        p = load(sample).project
        if not p.indicators or len(p.indicators) < 2:
            continue
        ours = p.with_indicator(0, reason="本方说明")
        theirs = replace(p.with_indicator(1, reason="对方说明"), department="对方部门")
        m = merge_records(d(p), d(ours), d(theirs))
        assert m.clean, sample.name
        merged = record_from_dict(m.ours, sample.name)
        assert merged == replace(p.with_indicator(0, reason="本方说明").with_indicator(
            1, reason="对方说明"), department="对方部门"), sample.name
        assert merged.funding == p.funding  # blanks stay blank, the row set stays


# ---------------------------------------------------------------------------------------------
# choosing field by field (a conflict's review): field_units / take_fields / bundleplan.mixed

from tui.exchange.merge import field_units, take_fields  # noqa: E402


def test_field_units_name_each_differing_field_with_both_values():
    p = base()
    mine = replace(p.with_indicator(2, actual="0.00(次)"), implementer="我的单位")
    theirs = replace(p.with_indicator(2, actual="1.00(次)"), achieved="对方写的")
    units = field_units(d(mine), d(theirs))
    assert units == [("implementer", "我的单位", p.implementer),
                     ("goals.achieved", p.achieved, "对方写的"),
                     ("indicators[2].actual", "0.00(次)", "1.00(次)")]
    assert field_units(d(p), d(p)) == []


def test_take_fields_takes_only_the_chosen_fields():
    p = base()
    mine = replace(p.with_indicator(2, actual="0.00(次)"), implementer="我的单位")
    theirs = replace(p.with_indicator(2, actual="1.00(次)"), achieved="对方写的")
    out = record_from_dict(take_fields(d(mine), d(theirs), {"indicators[2].actual"}), "x")
    assert out == mine.with_indicator(2, actual="1.00(次)")
    assert take_fields(d(mine), d(theirs), set()) == d(mine)
    everything = {path for path, _a, _b in field_units(d(mine), d(theirs))}
    assert take_fields(d(mine), d(theirs), everything) == d(theirs)


def test_an_indicator_only_one_side_has_is_one_unit():
    p = base()
    extra = replace(p, indicators=p.indicators + (replace(p.indicators[0], name="对方新增的指标"),))
    units = field_units(d(p), d(extra))
    n = len(p.indicators)
    assert [path for path, _a, _b in units] == [f"indicators[{n}]"]
    assert units[0][1] is None and units[0][2]["name"] == "对方新增的指标"
    assert record_from_dict(take_fields(d(p), d(extra), {f"indicators[{n}]"}), "x") == extra
    # the other way round: taking theirs (which lacks it) drops mine's item
    assert record_from_dict(take_fields(d(extra), d(p), {f"indicators[{n}]"}), "x") == p
    assert bundleplan.unit_label(f"indicators[{n}]") == f"第 {n + 1} 项指标（整项）"


def test_mixed_is_a_record_and_keeps_my_format():
    p = base()
    assert p.format == 1
    mine = replace(p, implementer="我的单位")
    theirs = replace(p, implementer="对方单位", achieved="对方写的")
    out = bundleplan.mixed(mine, theirs, {"goals.achieved"})
    assert (out.implementer, out.achieved, out.format) == ("我的单位", "对方写的", 1)
    assert dumps(out).splitlines()[1:] == dumps(replace(mine, achieved="对方写的")).splitlines()[1:]


def test_a_mix_that_is_no_record_is_refused_naming_the_field():
    import pytest
    from tui.store.codec import RecordError

    p = base()
    data = record_to_dict(replace(p, format=2))
    funding = data["funding"]
    data["funding"] = {"weight": funding["weight"], "rows": "subsidy", "total": funding["total"],
                       "subsidy": funding["appropriation"], "other": funding["other"]}
    theirs = record_from_dict(data, "对方")
    units = [path for path, _a, _b in field_units(record_to_dict(replace(p, format=2)), data)]
    assert sorted(units) == ["funding.appropriation", "funding.carried_over", "funding.rows", "funding.subsidy"]
    assert bundleplan.unit_label("funding.subsidy") == "上级补助资金（整行）"
    with pytest.raises(RecordError, match="funding"):
        bundleplan.mixed(p, theirs, {"funding.rows"})  # the row set without its rows
    whole = bundleplan.mixed(p, theirs, set(units))
    assert whole.funding == theirs.funding and record_to_dict(whole)["format"] == 2  # 1 cannot hold it
