"""A rule profile: how a form is scored, as data (rounding, bands, formulas, grades, warnings).

Profiles are TOML files. The built-in ones ship in ``tui/core/profiles/``; a folder of records may hold
its own in ``profiles/NAME.toml`` (a bundle brings them along), which wins over a built-in of the
same name. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR,
                     ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Context, Decimal, InvalidOperation)
from functools import cache, cached_property
from pathlib import Path

from tui.core.bounds import number_problem, parse_toml
from tui.core.messages import os_error
from tui.core.format import fixed
from tui.core.model import COMPARATIVES, OPERATORS, Comparatives, normalize
from tui.core.wording import Qualifiers, by_label, default_qualifiers, qualifiers_from

BUILTIN_DIR = Path(__file__).parent / "profiles"
# down truncates (the seed), up and ceiling round away (86.183% printed 86.19%), half_even is
# banker's rounding; for the non-negative figures of a form up = ceiling and down = floor.
ROUNDINGS = {"down": ROUND_DOWN, "half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN,
             "up": ROUND_UP, "ceiling": ROUND_CEILING, "floor": ROUND_FLOOR}
# The printed figures a profile may round each its own way ([figures.NAME] rounding, places).
FIGURES = {"rate": "执行率", "funding_score": "资金得分", "indicator_score": "指标得分", "total": "总分"}
HAND_SCORE = ("error", "warning")  # what a hand-given score without a reason is
NEGATIVE_FORMULAS = ("ratio", "linear")
# An indicator marked not applicable (不适用) is not scored; its weight is either left out of the
# weights (omit) or kept, the total of the applicable ones rescaled to the full mark (rescale,
# 按百分制折算). docs/rules.md R9.
NOT_APPLICABLE_WEIGHTS = ("omit", "rescale")
NOT_APPLICABLE_MARKS = ("不适用", "/")
# Quantizing keeps every digit of the figure: in Decimal's default context (28 digits) an amount
# such as 10^40 raised InvalidOperation; the result is the same for every figure that fits.
WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class RulesError(ValueError):
    """A profile that cannot be used; str() is a one-line Chinese message naming file and field."""


@dataclass(frozen=True)
class Tier:
    """A qualitative tier of a rule profile: its range and default pick, in percent of the weight."""
    label: str
    low: Decimal  # percent of the weight, inclusive
    high: Decimal
    points: Decimal  # the default pick, percent of the weight


@dataclass(frozen=True)
class Grade:
    """A grade (优, 良…) and the lowest total that earns it."""
    grade: str
    min: Decimal


@dataclass(frozen=True)
class Figure:
    """How a kind of figure is rounded: the rounding mode and the decimal places."""
    rounding: str
    places: int


@dataclass(frozen=True)
class Rules:
    """A rule profile (profiles/*.toml): weights, rounding, tiers, grades and wordings."""
    name: str
    title: str
    rounding: str
    places: int
    total_weight: Decimal
    funding_weight: Decimal
    negative_formula: str
    tiers: tuple[Tier, ...]
    grades: tuple[Grade, ...]  # best first
    over_achievement: Decimal
    low_execution: Decimal
    # Each printed figure's rounding and places (FIGURES); one not given takes rounding/places.
    figures: tuple[tuple[str, Figure], ...] = ()
    # Qualitative words of actuals and the tier each means (完成 -> 达成指标).
    words: tuple[tuple[str, str], ...] = ()
    # An actual repeating its target's own word (及时 / 及时) is the best tier.
    repeat_is_met: bool = True
    comparatives: tuple[tuple[str, str], ...] = COMPARATIVES
    # Units that convert: unit -> (base unit, how many of the base one is): 万元 -> (元, 10000).
    units: tuple[tuple[str, str, Decimal], ...] = ()
    hand_score_reason: str = "error"
    # What marks an indicator not applicable (its actual or target reads exactly one, after
    # normalize: full-width ／ is /), and what becomes of its weight (NOT_APPLICABLE_WEIGHTS).
    na_marks: tuple[str, ...] = NOT_APPLICABLE_MARKS
    na_weights: str = "omit"
    # The words around a qualitative word (基本健全, 未按时完成, 健全完善): tui/core/wording.py.
    qualifiers: Qualifiers = Qualifiers()

    def figure(self, name: str) -> Figure:
        return self._figures[name][0] if name in self._figures else Figure(self.rounding, self.places)

    @cached_property
    def _figures(self) -> dict[str, tuple[Figure, Decimal, str]]:
        """Each figure with its quantum and rounding, worked out once (scoring a folder asks
        tens of times per record). Kept in the instance's __dict__, beside the frozen fields."""
        named = dict(self.figures)
        out = {}
        for name in {*FIGURES, *named}:
            f = named.get(name) or Figure(self.rounding, self.places)
            out[name] = (f, Decimal(1).scaleb(-f.places), ROUNDINGS[f.rounding])
        return out

    def q(self, value: Decimal, figure: str = "indicator_score") -> Decimal:
        """Quantize a printed figure with its places and rounding mode: the one place we round."""
        if figure in self._figures:
            _f, step, rounding = self._figures[figure]
        else:
            step, rounding = Decimal(1).scaleb(-self.places), ROUNDINGS[self.rounding]
        return value.quantize(step, rounding=rounding, context=WIDE)

    def show(self, value: Decimal | None, figure: str) -> str:
        """A figure as printed, with the places its profile gives it (86 with places 0)."""
        return fixed(value, self.figure(figure).places)

    def not_applicable(self, text: str) -> bool:
        """Whether a target or actual as typed marks its indicator not applicable."""
        return normalize(text) in self.na_marks

    def tier(self, label: str) -> Tier | None:
        return self._tiers.get(label)

    @cached_property
    def _tiers(self) -> dict[str, Tier]:
        """Each tier by its label (the first of a label): asked for each indicator scored by tier."""
        return {t.label: t for t in reversed(self.tiers)}

    @property
    def met(self) -> Tier:
        """The tier of an actual that meets its target: the one with the most points."""
        return max(self.tiers, key=lambda t: t.points)

    def word_tier(self, word: str, target_word: str = "") -> Tier | None:
        """The tier a qualitative actual means, or None if this profile does not know the word."""
        if self.repeat_is_met and target_word and word == target_word:
            return self.met
        label = dict(self.words).get(word)
        return self.tier(label) if label else None

    def convert(self, value: Decimal, unit: str, into: str) -> Decimal | None:
        """`value` in `unit` expressed in `into` (万元 -> 元), or None if the units do not agree."""
        if unit == into:
            return value
        table = {u: (base, factor) for u, base, factor in self.units}
        a, b = table.get(unit, (unit, Decimal(1))), table.get(into, (into, Decimal(1)))
        if a[0] != b[0]:
            return None
        return value * a[1] / b[1]

    def grade_of(self, total: Decimal) -> str:
        """The grade a total earns (docs/rules.md R7): the best whose minimum it reaches."""
        return next((g.grade for g in self.grades if total >= g.min), self.grades[-1].grade)


def _dec(data: dict, key: str, source: str, where: str = "") -> Decimal:
    value = data.get(key)
    try:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InvalidOperation
        number = Decimal(str(value))
        problem = number_problem(number)
        if problem:
            raise RulesError(f"{source}：字段 {where}{key}：{problem}")
        return number
    except InvalidOperation:
        raise RulesError(f"{source}：字段 {where}{key} 应为数字字符串，实为 {value!r}") from None


def rules_from_dict(data: dict, source: str) -> Rules:
    """Build and check a profile; every problem names the file and the field."""
    def text(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise RulesError(f"{source}：字段 {key} 应为非空文字")
        return value

    rounding = text("rounding")
    if rounding not in ROUNDINGS:
        raise RulesError(f"{source}：字段 rounding 应为 {'/'.join(ROUNDINGS)}，实为 {rounding!r}")
    formula = text("negative_formula")
    if formula not in NEGATIVE_FORMULAS:
        raise RulesError(f"{source}：字段 negative_formula 应为 ratio/linear，实为 {formula!r}")
    places = data.get("places")
    if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 6:
        raise RulesError(f"{source}：字段 places 应为 0 到 6 的整数")
    tiers = []
    for i, t in enumerate(_array(data.get("tiers"), source, "tiers")):
        where = f"tiers[{i}]."
        if not isinstance(t, dict) or not isinstance(t.get("label"), str):
            raise RulesError(f"{source}：字段 {where}label 应为文字")
        tier = Tier(t["label"], _dec(t, "low", source, where), _dec(t, "high", source, where),
                    _dec(t, "points", source, where))
        if not tier.low <= tier.points <= tier.high:
            raise RulesError(f"{source}：字段 {where}points 应在 low 与 high 之间")
        tiers.append(tier)
    if not tiers:
        raise RulesError(f"{source}：缺少 tiers（等级分档）")
    grades = []
    for i, g in enumerate(_array(data.get("grades"), source, "grades")):
        if not isinstance(g, dict) or not isinstance(g.get("grade"), str):
            raise RulesError(f"{source}：字段 grades[{i}].grade 应为文字")
        grades.append(Grade(g["grade"], _dec(g, "min", source, f"grades[{i}].")))
    if not grades:
        raise RulesError(f"{source}：缺少 grades（评分等级）")
    warnings = _table(data.get("warnings"), source, "warnings")
    hand = data.get("hand_score_reason", "error")
    if hand not in HAND_SCORE:
        raise RulesError(f"{source}：字段 hand_score_reason 应为 error/warning，实为 {hand!r}")
    repeat = data.get("repeat_is_met", True)
    if not isinstance(repeat, bool):
        raise RulesError(f"{source}：字段 repeat_is_met 应为 true 或 false")
    labels = {t.label for t in tiers}
    na_marks, na_weights = _not_applicable(data.get("not_applicable"), source)
    return Rules(
        name=text("name"),
        title=data.get("title", "") if isinstance(data.get("title", ""), str) else "",
        rounding=rounding,
        places=places,
        total_weight=_dec(data, "total_weight", source),
        funding_weight=_dec(data, "funding_weight", source),
        negative_formula=formula,
        tiers=tuple(tiers),
        grades=tuple(sorted(grades, key=lambda g: g.min, reverse=True)),
        over_achievement=_dec(warnings, "over_achievement", source, "warnings."),
        low_execution=_dec(warnings, "low_execution", source, "warnings."),
        figures=_figures(data.get("figures"), source),
        words=_words(data.get("words"), labels, source),
        repeat_is_met=repeat,
        comparatives=_comparatives(data.get("comparatives"), source),
        units=_units(data.get("units"), source),
        hand_score_reason=hand,
        na_marks=na_marks,
        na_weights=na_weights,
        qualifiers=qualifiers_from(data.get("qualifiers"), labels, source, RulesError),
    )


def _not_applicable(value, source: str) -> tuple[tuple[str, ...], str]:
    """[not_applicable]: marks = ["不适用", "/"], weights = "omit" | "rescale"."""
    table = _table(value, source, "not_applicable")
    marks = table.get("marks", list(NOT_APPLICABLE_MARKS))
    if not isinstance(marks, list) or not all(isinstance(m, str) and normalize(m) for m in marks):
        raise RulesError(f"{source}：字段 not_applicable.marks 应为非空文字的数组")
    weights = table.get("weights", "omit")
    if weights not in NOT_APPLICABLE_WEIGHTS:
        raise RulesError(f"{source}：字段 not_applicable.weights 应为 omit/rescale，实为 {weights!r}")
    return tuple(dict.fromkeys(normalize(m) for m in marks)), weights


def _array(value, source: str, key: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RulesError(f"{source}：字段 {key} 应为数组")
    return value


def _table(value, source: str, key: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RulesError(f"{source}：字段 {key} 应为表")
    return value


def _figures(value, source: str) -> tuple[tuple[str, Figure], ...]:
    out = []
    for name, spec in _table(value, source, "figures").items():
        where = f"figures.{name}"
        if name not in FIGURES:
            raise RulesError(f"{source}：字段 {where} 未知（可用：{'/'.join(FIGURES)}）")
        spec = _table(spec, source, where)
        rounding, places = spec.get("rounding"), spec.get("places")
        if rounding not in ROUNDINGS:
            raise RulesError(f"{source}：字段 {where}.rounding 应为 {'/'.join(ROUNDINGS)}，实为 {rounding!r}")
        if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 6:
            raise RulesError(f"{source}：字段 {where}.places 应为 0 到 6 的整数")
        out.append((name, Figure(rounding, places)))
    return tuple(out)


def _words(value, labels: set[str], source: str) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for label, words in _table(value, source, "words").items():
        if label not in labels:
            raise RulesError(f"{source}：字段 words.{label} 不是 tiers 中的等级")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise RulesError(f"{source}：字段 words.{label} 应为文字的数组")
        for word in words:
            key = normalize(word)
            if out.get(key, label) != label:
                raise RulesError(f"{source}：字段 words.{label}：“{word}”已属于“{out[key]}”")
            out[key] = label
    return tuple(out.items())


def _comparatives(value, source: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return COMPARATIVES
    out = []
    for word, op in _table(value, source, "comparatives").items():
        if op not in OPERATORS or not word.strip():
            raise RulesError(f"{source}：字段 comparatives.{word} 应为 {' '.join(OPERATORS)} 之一")
        out.append((normalize(word), op))
    return Comparatives(out)


def _units(value, source: str) -> tuple[tuple[str, str, Decimal], ...]:
    out = []
    for unit, spec in _table(value, source, "units").items():
        spec = _table(spec, source, f"units.{unit}")
        base = spec.get("base")
        if not isinstance(base, str) or not base:
            raise RulesError(f"{source}：字段 units.{unit}.base 应为非空文字")
        factor = _dec(spec, "factor", source, f"units.{unit}.")
        if factor <= 0:
            raise RulesError(f"{source}：字段 units.{unit}.factor 应大于 0")
        out.append((normalize(unit), normalize(base), factor))
    return tuple(out)


def rules_to_dict(rules: Rules) -> dict:
    """The profile as TOML-ready data (decimals as strings), for bundles."""
    data = {
        "name": rules.name,
        "title": rules.title,
        "rounding": rules.rounding,
        "places": rules.places,
        "total_weight": str(rules.total_weight),
        "funding_weight": str(rules.funding_weight),
        "negative_formula": rules.negative_formula,
        "tiers": [{"label": t.label, "low": str(t.low), "high": str(t.high), "points": str(t.points)}
                  for t in rules.tiers],
        "grades": [{"grade": g.grade, "min": str(g.min)} for g in rules.grades],
        "warnings": {"over_achievement": str(rules.over_achievement),
                     "low_execution": str(rules.low_execution)},
    }
    # The newer settings only when they differ from what a profile without them means, so a
    # bundle made before they existed keeps its profiles' digests.
    extra = {
        "figures": {name: {"rounding": f.rounding, "places": f.places} for name, f in rules.figures},
        "words": by_label(rules.words),
        "repeat_is_met": rules.repeat_is_met,
        "comparatives": dict(rules.comparatives),
        "units": {u: {"base": base, "factor": str(factor)} for u, base, factor in rules.units},
        "hand_score_reason": rules.hand_score_reason,
        "not_applicable": {"marks": list(rules.na_marks), "weights": rules.na_weights},
        "qualifiers": rules.qualifiers.to_dict(),
    }
    absent = {"figures": {}, "words": {}, "repeat_is_met": True, "comparatives": dict(COMPARATIVES),
              "units": {}, "hand_score_reason": "error",
              "not_applicable": {"marks": list(NOT_APPLICABLE_MARKS), "weights": "omit"},
              "qualifiers": default_qualifiers().to_dict()}
    data.update({k: v for k, v in extra.items() if v != absent[k]})
    return data


def load_rules_file(path: Path) -> Rules:
    try:
        data = parse_toml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}：无法读取评分规则（{os_error(exc)}）") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise RulesError(f"{path}：无法读取评分规则（{exc}）") from None
    return rules_from_dict(data, str(path))


@cache
def _builtin(name: str) -> Rules:
    return load_rules_file(BUILTIN_DIR / f"{name}.toml")


@cache
def builtin_names() -> tuple[str, ...]:
    """The profiles shipped with the program (read once: they change with the program only)."""
    return tuple(sorted(p.stem for p in BUILTIN_DIR.glob("*.toml")))


def load_rules(name: str = "default", folder: Path | None = None) -> Rules:
    """The profile a record names: the folder's own ``profiles/NAME.toml`` first, then a built-in."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise RulesError(f"评分规则名称“{name}”无效")
    if folder is not None:
        local = Path(folder) / "profiles" / f"{name}.toml"
        if len(local.name.encode()) <= 255 and local.is_file():  # longer: no file (ENAMETOOLONG)
            return load_rules_file(local)
    if name in builtin_names():
        return _builtin(name)
    raise RulesError(f"找不到评分规则“{name}”（内置：{'、'.join(builtin_names())}）")
