"""A rule profile: how a form is scored, as data (rounding, bands, formulas, grades, warnings).

Profiles are TOML files. The built-in ones ship in ``tui/profiles/``; a folder of records may hold
its own in ``profiles/NAME.toml`` (a bundle brings them along), which wins over a built-in of the
same name. No Textual here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import (MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_DOWN, ROUND_HALF_UP, Context, Decimal,
                     InvalidOperation)
from functools import lru_cache
from pathlib import Path

BUILTIN_DIR = Path(__file__).parent / "profiles"
ROUNDINGS = {"down": ROUND_DOWN, "half_up": ROUND_HALF_UP}
NEGATIVE_FORMULAS = ("ratio", "linear")
# Quantizing keeps every digit of the figure: in Decimal's default context (28 digits) an amount
# such as 10^40 raised InvalidOperation; the result is the same for every figure that fits.
WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class RulesError(ValueError):
    """A profile that cannot be used; str() is a one-line Chinese message naming file and field."""


@dataclass(frozen=True)
class Tier:
    label: str
    low: Decimal  # percent of the weight, inclusive
    high: Decimal
    points: Decimal  # the default pick, percent of the weight


@dataclass(frozen=True)
class Grade:
    grade: str
    min: Decimal


@dataclass(frozen=True)
class Rules:
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

    def q(self, value: Decimal) -> Decimal:
        """Quantize a figure to the profile's places with its rounding mode: the one place we round."""
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUNDINGS[self.rounding],
                              context=WIDE)

    def tier(self, label: str) -> Tier | None:
        return next((t for t in self.tiers if t.label == label), None)

    def grade_of(self, total: Decimal) -> str:
        for g in self.grades:
            if total >= g.min:
                return g.grade
        return self.grades[-1].grade


def _dec(data: dict, key: str, source: str, where: str = "") -> Decimal:
    value = data.get(key)
    try:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InvalidOperation
        return Decimal(str(value))
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
    for i, t in enumerate(data.get("tiers") or []):
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
    for i, g in enumerate(data.get("grades") or []):
        if not isinstance(g, dict) or not isinstance(g.get("grade"), str):
            raise RulesError(f"{source}：字段 grades[{i}].grade 应为文字")
        grades.append(Grade(g["grade"], _dec(g, "min", source, f"grades[{i}].")))
    if not grades:
        raise RulesError(f"{source}：缺少 grades（评分等级）")
    warnings = data.get("warnings") or {}
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
    )


def rules_to_dict(rules: Rules) -> dict:
    """The profile as TOML-ready data (decimals as strings), for bundles."""
    return {
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


def load_rules_file(path: Path) -> Rules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"{path}：无法读取评分规则（{exc}）") from None
    return rules_from_dict(data, str(path))


@lru_cache(maxsize=None)
def _builtin(name: str) -> Rules:
    return load_rules_file(BUILTIN_DIR / f"{name}.toml")


def builtin_names() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))


def load_rules(name: str = "default", folder: Path | None = None) -> Rules:
    """The profile a record names: the folder's own ``profiles/NAME.toml`` first, then a built-in."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise RulesError(f"评分规则名称“{name}”无效")
    if folder is not None:
        local = Path(folder) / "profiles" / f"{name}.toml"
        if local.is_file():
            return load_rules_file(local)
    if name in builtin_names():
        return _builtin(name)
    raise RulesError(f"找不到评分规则“{name}”（内置：{'、'.join(builtin_names())}）")
