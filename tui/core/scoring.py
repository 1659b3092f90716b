"""Pure scoring: (project, rules) -> a score sheet. No I/O, no Textual.

The rules, with the seed's figures that fix them, are docs/rules.md (R1 … R8, cited below).

Every figure passes through `Rules.q` once, at the point the printed form shows it: the rate is
quantized before the funding score is taken from it, as a person checking the form by hand would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tui.core.format import fixed
from tui.core.model import (NEGATIVE, ZERO, Actual, Amounts, Indicator, ParseError,
                    Project, Target, parse_actual, parse_target)
from tui.core.rules import Rules, Tier
from tui.core.wording import qualified

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RowScore:
    """A funding row's amounts and execution rate."""
    key: str  # "total" or one of the funding row set's keys
    amounts: Amounts
    rate: Decimal | None  # None when the budget or the execution is blank


@dataclass(frozen=True)
class IndicatorScore:
    """An indicator's score: computed, recorded, the one that counts, and why not computed."""
    computed: Decimal | None  # what the rules give; None when the inputs can't be scored
    recorded: Decimal | None  # the evaluator's score, when it differs
    score: Decimal  # the one that counts: recorded, else computed, else 0
    problem: str = ""  # why `computed` is None (a Chinese message)
    target: Target | None = None
    actual: Actual | None = None
    applicable: bool = True  # False: marked 不适用, not scored (docs/rules.md R9)

    @property
    def overridden(self) -> bool:
        return self.recorded is not None and self.recorded != self.computed


@dataclass(frozen=True)
class ScoreSheet:
    """Every score of a project: funding rows, indicators, total and grade."""
    rows: tuple[RowScore, ...]  # total first, then the sub-rows in printed order
    funding_score: Decimal  # the one that counts: given by hand, else computed
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str
    weight_total: Decimal
    funding_weight: Decimal = Decimal("10.00")  # the record's, else the profile's
    funding_computed: Decimal = ZERO  # what the formula gives
    # The total before it was rescaled to the full mark, when indicators not applicable left
    # their weights out under `not_applicable.weights = "rescale"` (docs/rules.md R9); else None.
    unscaled: Decimal | None = None
    rules: Rules | None = field(default=None, compare=False, repr=False)

    @property
    def rate(self) -> Decimal | None:
        return self.rows[0].rate

    def show(self, value: Decimal | None, figure: str) -> str:
        """A figure with the places its profile prints it with."""
        return self.rules.show(value, figure) if self.rules else fixed(value)


def execution_rate(amounts: Amounts, rules: Rules) -> Decimal | None:
    """全年执行数 / 全年预算数 × 100; a row with no budget has rate 0 (the seed's 0.00 rows), a row
    whose budget or execution is blank has none (docs/rules.md R1, R2)."""
    if amounts.adjusted is None or amounts.executed is None:
        return None
    if amounts.adjusted == 0:
        return rules.q(ZERO, "rate")
    return rules.q(amounts.executed / amounts.adjusted * HUNDRED, "rate")


def funding_score(weight: Decimal, rate: Decimal, rules: Rules) -> Decimal:
    """weight × rate / 100 within 0 … weight, from the rate as printed (docs/rules.md R1)."""
    return rules.q(max(ZERO, min(weight, weight * rate / HUNDRED)), "funding_score")


def quantitative_score(target: Target, actual: Decimal, weight: Decimal, rules: Rules) -> Decimal:
    """Score a number against a numeric target (docs/rules.md R3)."""
    goal = target.value
    assert goal is not None
    if target.op in NEGATIVE:
        met = actual <= goal if target.op == "≤" else actual < goal
        if met:
            return rules.q(weight)
        if goal <= 0:
            return rules.q(ZERO)
        if rules.negative_formula == "linear":
            share = (2 * goal - actual) / goal
        else:
            share = goal / actual
        return rules.q(weight * max(ZERO, min(Decimal(1), share)))
    met = {"=": actual == goal, ">": actual > goal}.get(target.op, actual >= goal)
    if met:
        return rules.q(weight)
    if goal == 0:  # `=0` complaints or accidents: anything but 0 scores nothing
        return rules.q(ZERO)
    # Positive or `=` target missed (or `=` overshot): proportional, never above the weight.
    return rules.q(weight * max(ZERO, min(Decimal(1), actual / goal)))


def tier_of(actual: Actual, target: Target, rules: Rules) -> tuple[Tier | None, str]:
    """The tier a qualitative actual stands for: a tier label, a word the profile knows, or one
    of those words qualified (基本健全, 未按时完成); else (None, why) with why "" or a message that
    says what of the word was not understood (docs/rules.md R4)."""
    if actual.tier:
        return rules.tier(actual.tier), ""
    tier = rules.word_tier(actual.word, target.word)
    if tier is not None:
        return tier, ""
    met = rules.met.label
    label, why = qualified(actual.word, target.word if rules.repeat_is_met else "", rules.qualifiers, met,
                           {w for w, t in rules.words if t == met},
                           (*rules.na_marks, *(w for w, _op in rules.comparatives)))
    return (rules.tier(label) if label else None), why


def _quantitative(target: Target, actual: Actual, weight: Decimal, rules: Rules) -> tuple[Decimal | None, str]:
    """(score, "") or (None, why): units must agree, an operator must point the target's way."""
    value = actual.value
    assert value is not None
    if actual.unit and target.unit and actual.unit != target.unit:
        value = rules.convert(value, actual.unit, target.unit)
        if value is None:
            return None, f"单位不一致：年度指标值为“{target.unit}”，实际完成值为“{actual.unit}”"
    if actual.op and (actual.op in NEGATIVE) != (target.op in NEGATIVE):
        return None, f"实际完成值的“{actual.op}”与年度指标值的“{target.op or '≥'}”方向相反，无法判断是否达成"
    # "≥266米" against ≥266米: the actual claims at least 266, which meets the target.
    return quantitative_score(target, value, weight, rules), ""


def indicator_score(item: Indicator, rules: Rules) -> IndicatorScore:
    """One indicator: numeric (R3) or by tier (R4); a score given by hand counts (R5); one marked
    not applicable is not scored (R9)."""
    if rules.not_applicable(item.actual) or rules.not_applicable(item.target):
        return IndicatorScore(None, None, ZERO, applicable=False)
    target = actual = None
    computed: Decimal | None = None
    problem = ""
    try:
        target = parse_target(item.target, rules.comparatives)
        actual = parse_actual(item.actual, rules.comparatives)
    except ParseError as exc:
        problem = str(exc)
    if actual is not None and target is not None:
        if actual.empty:
            problem = "未填写实际完成值"
        elif actual.tier or actual.word:
            tier, why = tier_of(actual, target, rules)
            if tier is None and actual.tier:
                problem = f"评分规则“{rules.name}”没有等级“{actual.tier}”"
            elif tier is None and why:
                problem = why
            elif tier is None:
                problem = (f"实际完成值“{actual.word}”既不是数值，也不是评分规则“{rules.name}”认得的"
                           "等级用语（如 达成指标、完成、部分达成…），亦未重复年度指标值")
            else:
                computed = rules.q(item.weight * tier.points / HUNDRED)
        elif not target.numeric:
            problem = f"定性指标（{target.word}）的实际完成值应为等级用语（达成指标、完成…）或重复年度指标值"
        else:
            computed, problem = _quantitative(target, actual, item.weight, rules)
    recorded = item.score
    score = recorded if recorded is not None else (computed if computed is not None else ZERO)
    return IndicatorScore(computed, recorded, score, problem, target, actual)


def score(project: Project, rules: Rules) -> ScoreSheet:
    """The whole form: funding (R1), indicators, total and grade (R6, R7 of docs/rules.md)."""
    funding = project.funding
    rows = [RowScore("total", funding.total, execution_rate(funding.total, rules))]
    for key, amounts in funding.rows:
        rows.append(RowScore(key, amounts, execution_rate(amounts, rules)))
    weight = funding.weight if funding.weight is not None else rules.funding_weight
    computed = funding_score(weight, rows[0].rate or ZERO, rules)
    fund = funding.score if funding.score is not None else computed
    items = tuple(indicator_score(item, rules) for item in project.indicators)
    raw = fund + sum((i.score for i in items), ZERO)
    weights = weight + sum((i.weight for i in project.indicators), ZERO)
    applicable = weight + sum((item.weight for item, s in zip(project.indicators, items) if s.applicable),
                              ZERO)
    unscaled = None
    if applicable != weights and rules.na_weights == "rescale" and applicable > 0:
        # 按百分制折算: the applicable ones' total over their weights, on the full mark (R9).
        unscaled = rules.q(raw, "total")
        total = rules.q(raw * rules.total_weight / applicable, "total")
    else:
        total = rules.q(raw, "total")
        if rules.na_weights == "omit":
            weights = applicable  # a weight not applicable is no weight (R9)
    return ScoreSheet(tuple(rows), fund, items, total, rules.grade_of(total), weights, weight,
                      computed, unscaled, rules)
