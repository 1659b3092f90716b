"""Pure scoring: (project, rules) -> a score sheet. No I/O, no Textual.

Every figure passes through `Rules.q` once, at the point the printed form shows it: the rate is
quantized before the funding score is taken from it, as a person checking the form by hand would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import (FUNDING_ROWS, NEGATIVE, ZERO, Actual, Amounts, Indicator, ParseError,
                    Project, Target, parse_actual, parse_target)
from .rules import Rules

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RowScore:
    key: str  # "total" or one of FUNDING_ROWS' keys
    amounts: Amounts
    rate: Decimal


@dataclass(frozen=True)
class IndicatorScore:
    computed: Decimal | None  # what the rules give; None when the inputs can't be scored
    recorded: Decimal | None  # the evaluator's score, when it differs
    score: Decimal  # the one that counts: recorded, else computed, else 0
    problem: str = ""  # why `computed` is None (a Chinese message)
    target: Target | None = None
    actual: Actual | None = None

    @property
    def overridden(self) -> bool:
        return self.recorded is not None and self.recorded != self.computed


@dataclass(frozen=True)
class ScoreSheet:
    rows: tuple[RowScore, ...]  # total first, then the sub-rows in printed order
    funding_score: Decimal
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str
    weight_total: Decimal

    @property
    def rate(self) -> Decimal:
        return self.rows[0].rate


def execution_rate(amounts: Amounts, rules: Rules) -> Decimal:
    """全年执行数 / 全年预算数 × 100; a row with no budget has rate 0 (the seed's 0.00 rows)."""
    if amounts.adjusted == 0:
        return rules.q(ZERO)
    return rules.q(amounts.executed / amounts.adjusted * HUNDRED)


def funding_score(weight: Decimal, rate: Decimal, rules: Rules) -> Decimal:
    return rules.q(max(ZERO, min(weight, weight * rate / HUNDRED)))


def quantitative_score(target: Target, actual: Decimal, weight: Decimal, rules: Rules) -> Decimal:
    """Score a number against a numeric target (RULES.md rule 3)."""
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


def indicator_score(item: Indicator, rules: Rules) -> IndicatorScore:
    target = actual = None
    computed: Decimal | None = None
    problem = ""
    try:
        target = parse_target(item.target)
        actual = parse_actual(item.actual)
    except ParseError as exc:
        problem = str(exc)
    if actual is not None and target is not None:
        if actual.empty:
            problem = "未填写实际完成值"
        elif actual.tier:
            tier = rules.tier(actual.tier)
            if tier is None:
                problem = f"评分规则“{rules.name}”没有等级“{actual.tier}”"
            else:
                computed = rules.q(item.weight * tier.points / HUNDRED)
        elif not target.numeric:
            problem = f"定性指标（{target.word}）的实际完成值应为“达成指标/部分达成…/未达成…”之一"
        else:
            computed = quantitative_score(target, actual.value, item.weight, rules)
    recorded = item.score
    score = recorded if recorded is not None else (computed if computed is not None else ZERO)
    return IndicatorScore(computed, recorded, score, problem, target, actual)


def score(project: Project, rules: Rules) -> ScoreSheet:
    funding = project.funding
    rows = [RowScore("total", funding.total, execution_rate(funding.total, rules))]
    for key, _label in FUNDING_ROWS:
        amounts = funding.row(key)
        rows.append(RowScore(key, amounts, execution_rate(amounts, rules)))
    fund = funding_score(funding.weight, rows[0].rate, rules)
    items = tuple(indicator_score(item, rules) for item in project.indicators)
    total = rules.q(fund + sum((i.score for i in items), ZERO))
    weights = funding.weight + sum((i.weight for i in project.indicators), ZERO)
    return ScoreSheet(tuple(rows), fund, items, total, rules.grade_of(total), weights)
