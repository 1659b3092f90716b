"""Errors and warnings of one project, each with a field path and a Chinese message. No Textual.

What is an error and what only a warning follows docs/rules.md: weights (R6), tier bands (R4),
scores by hand (R5), reasons and warnings (R8)."""

from __future__ import annotations

from dataclasses import dataclass
from tui.core.format import amount, fixed
from tui.core.model import (AMOUNT_FIELDS, POSITIVE, ParseError, Project, parse_actual, parse_target,
                    swallowed)
from tui.core.rules import Rules
from tui.core.scoring import HUNDRED, ScoreSheet

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """An error or a warning about one field of a project, in Chinese."""
    level: str  # ERROR or WARNING
    path: str  # e.g. "indicators[3].actual", "funding.appropriation.executed", "weights"
    message: str

    def __str__(self) -> str:
        kind = "错误" if self.level == ERROR else "提醒"
        return f"{kind} {self.path}：{self.message}"


def validate(project: Project, rules: Rules, sheet: ScoreSheet) -> list[Problem]:
    out: list[Problem] = []
    err = lambda path, msg: out.append(Problem(ERROR, path, msg))  # noqa: E731
    warn = lambda path, msg: out.append(Problem(WARNING, path, msg))  # noqa: E731

    if project.incomplete:  # imported with --partial from a cut-off form
        err("incomplete", f"由不完整的表导入（{project.incomplete}），请补全后删去此标记")
    if not project.name.strip():
        err("name", "项目名称为空")
    if not 1900 <= project.year <= 2200:
        err("year", f"年度“{project.year}”不是有效年份")
    _funding(project, rules, sheet, err, warn)
    if sheet.weight_total != rules.total_weight:
        err("weights", f"分值合计为 {fixed(sheet.weight_total)}，应为 {fixed(rules.total_weight)}")
    for i, item in enumerate(project.indicators):
        if item.weight > rules.total_weight:
            err(f"indicators[{i}].weight", f"分值 {fixed(item.weight)} 超过总分 {fixed(rules.total_weight)}")
    for i, (item, result) in enumerate(zip(project.indicators, sheet.indicators)):
        _indicator(f"indicators[{i}]", item, result, rules, err, warn)
    return out


def _funding(project, rules, sheet, err, warn) -> None:
    funding = project.funding
    weight = sheet.funding_weight
    if weight < 0:
        err("funding.weight", "资金分值不能为负数")
    elif weight > rules.total_weight:
        err("funding.weight", f"资金分值 {fixed(weight)} 超过总分 {fixed(rules.total_weight)}")
    elif weight != rules.funding_weight:
        warn("funding.weight", f"资金分值 {fixed(weight)} 与评分规则“{rules.name}”的 "
                               f"{fixed(rules.funding_weight)} 不同")
    for key in ("total",) + funding.keys:
        amounts = funding.stated_total if key == "total" else funding.row(key)
        for field, field_label in AMOUNT_FIELDS:
            value = getattr(amounts, field) if amounts is not None else None
            if value is not None and value < 0:
                err(f"funding.{key}.{field}", f"{funding.label(key)}的{field_label}不能为负数")
    stated, summed = funding.stated_total, funding.summed
    if stated is not None:
        for field, field_label in AMOUNT_FIELDS:
            said, rows = getattr(stated, field), getattr(summed, field)
            if said is not None and rows is not None and said != rows:  # blank rows say nothing
                warn(f"funding.total.{field}",
                     f"年度资金总额的{field_label} {amount(said)} 与各分项之和 {amount(rows)} 不符")
    if sheet.rate is None:
        if funding.score is None:
            # With a weight to score it is an error; a form that does not score funding only says so.
            (err if weight > 0 else warn)("funding.total.executed",
                                          "年度资金总额的全年预算数或全年执行数为空，无法计算执行率")
    elif sheet.rate < rules.low_execution:
        warn("funding.total.executed", f"执行率 {sheet.show(sheet.rate, 'rate')}% 低于 "
                                       f"{fixed(rules.low_execution)}%")
    elif sheet.rate > 100:  # spent beyond the budget: most often a mistyped amount (1300 for 1230)
        warn("funding.total.executed", f"执行率 {sheet.show(sheet.rate, 'rate')}% 超过 100%：执行数多于"
                                       "预算数，请核对金额")
    if funding.score is not None:
        if not 0 <= funding.score <= weight:
            err("funding.score", f"资金得分 {sheet.show(funding.score, 'funding_score')} 应在 0 与资金分值 "
                                 f"{fixed(weight)} 之间")
        elif funding.score != sheet.funding_computed and not funding.reason.strip():
            (err if rules.hand_score_reason == "error" else warn)(
                "funding.reason", f"资金得分 {sheet.show(funding.score, 'funding_score')} 与计算得分 "
                                  f"{sheet.show(sheet.funding_computed, 'funding_score')} 不同，须说明原因")


def _indicator(path, item, result, rules: Rules, err, warn) -> None:
    if not item.name.strip():
        err(f"{path}.name", "三级指标名称为空")
    if not item.level1.strip():
        err(f"{path}.level1", "一级指标为空")
    if item.weight < 0:
        err(f"{path}.weight", "分值不能为负数")
    if not result.applicable:  # 不适用: nothing to score, nothing to explain (R9)
        if item.weight > 0 and rules.na_weights == "omit":
            warn(f"{path}.weight", f"指标标为不适用，其分值 {fixed(item.weight)} 不计入分值合计（评分规则"
                                   f"“{rules.name}”：不适用的分值不计）")
        if item.score is not None:
            warn(f"{path}.score", f"指标标为不适用，不计分：填写的得分 {rules.show(item.score, 'indicator_score')} "
                                  "不计入总分")
        return
    target, actual = result.target, result.actual  # as scoring parsed them
    if target is None or actual is None:  # one failed to parse: each named by what it says
        try:
            target = parse_target(item.target, rules.comparatives)
        except ParseError as exc:
            err(f"{path}.target", str(exc))
            target = None
        try:
            actual = parse_actual(item.actual, rules.comparatives)
        except ParseError as exc:
            err(f"{path}.actual", str(exc))
            actual = None
    for field, figure, what in (("target", target, "年度指标值"), ("actual", actual, "实际完成值")):
        text = getattr(item, field)
        if figure is not None and figure.value is not None and (word := swallowed(figure.unit)):
            err(f"{path}.{field}", f"{what}“{text}”的单位“{figure.unit}”含比较词“{word}”，"
                                   "未按比较运算评分；请写成“≥数值(单位)”等形式")
    if target is not None and actual is not None and result.problem:
        err(f"{path}.actual", result.problem)
    if (target is not None and actual is not None and (actual.tier or actual.word) and target.numeric
            and result.computed is not None):
        warn(f"{path}.actual", "年度指标值为数值，实际完成值却是等级用语：按等级评分")
    if (target is not None and actual is not None and target.numeric and actual.value is not None
            and target.op in POSITIVE and target.value is not None and target.value > 0
            and actual.value * HUNDRED >= target.value * rules.over_achievement):
        share = rules.q(actual.value / target.value * HUNDRED)
        warn(f"{path}.actual", f"实际完成值为目标的 {fixed(share)}%，目标可能定得偏低")

    recorded = item.score
    shown = lambda value: rules.show(value, "indicator_score")  # noqa: E731
    if recorded is not None:
        if recorded < 0 or recorded > item.weight:
            err(f"{path}.score", f"得分 {shown(recorded)} 应在 0 与分值 {fixed(item.weight)} 之间")
        elif actual is not None and actual.tier and (tier := rules.tier(actual.tier)):
            low, high = item.weight * tier.low / HUNDRED, item.weight * tier.high / HUNDRED
            if not low <= recorded <= high:
                err(f"{path}.score", f"得分 {shown(recorded)} 不在“{tier.label}”的得分区间 "
                                     f"{fixed(low)}–{fixed(high)} 内")
    if not item.reason.strip():
        # A score given by hand without a reason: an error or a warning, as the profile says.
        if recorded is not None and rules.hand_score_reason == "warning":
            err = warn
        if result.overridden and result.computed is not None:
            err(f"{path}.reason", f"得分 {shown(recorded)} 与计算得分 {shown(result.computed)} 不同，"
                                  "须填写偏差原因分析")
        elif result.score < item.weight:
            err(f"{path}.reason", f"得分 {shown(result.score)} 低于分值 {fixed(item.weight)}，"
                                  "须填写偏差原因分析")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == WARNING]


def has_errors(problems: list[Problem]) -> bool:
    return any(p.level == ERROR for p in problems)



@dataclass(frozen=True)
class Assessment:
    """A project's score sheet and its problems: what every view of a project shows."""

    sheet: ScoreSheet
    problems: list[Problem]

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.level == ERROR)

    @property
    def final(self) -> bool:
        """A total and grade are final only when the record has no errors."""
        return self.error_count == 0

    @property
    def pending(self) -> str:
        """What marks a total or grade that is not final ("未定：2 个错误"), "" when final."""
        return "" if self.final else f"未定：{self.error_count} 个错误"

    @property
    def total_text(self) -> str:
        """The total as printed, marked while errors make it not final ("281.53（未定）")."""
        shown = self.sheet.show(self.sheet.total, "total")
        return shown if self.final else f"{shown}（未定）"

    @property
    def grade_text(self) -> str:
        """The grade, marked while errors make it not final ("优（未定：2 个错误）")."""
        return self.sheet.grade if self.final else f"{self.sheet.grade}（{self.pending}）"


def assess(project: Project, rules: Rules) -> Assessment:
    from tui.core.scoring import score

    sheet = score(project, rules)
    return Assessment(sheet, validate(project, rules, sheet))
