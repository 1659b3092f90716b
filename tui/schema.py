"""JSON Schemas of the record, the rule profile, the form layout and the bundle, generated from
the code's own field lists.

`python -m tui.schema` rewrites schemas/*.json; a test checks the checked-in files are current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tui.core.model import AMOUNT_FIELDS, FORMAT_VERSION, FUNDING_ROWS, ROW_LABELS, ROW_SETS
from tui.core.model import OPERATORS
from tui.printed.layout import FUNDING_COLUMNS, INDICATOR_COLUMNS
from tui.exchange.bundle import BUNDLE_FORMAT
from tui.core.rules import FIGURES, HAND_SCORE, NEGATIVE_FORMULAS, NOT_APPLICABLE_WEIGHTS, ROUNDINGS

DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
NUMBER = {"anyOf": [DECIMAL, {"type": "integer"}]}
TEXT = {"type": "string"}


def _object(properties: dict, required: list[str], title: str = "") -> dict:
    out = {"type": "object", "properties": properties, "required": required,
           "additionalProperties": False}
    if title:
        out["title"] = title
    return out


def project_schema() -> dict:
    amounts = _object({f: {**NUMBER, "title": label} for f, label in AMOUNT_FIELDS},
                      [f for f, _ in AMOUNT_FIELDS])
    funding = _object(
        {"weight": {**NUMBER, "title": "分值"}, "total": {**amounts, "title": "年度资金总额"},
         **{key: {**amounts, "title": label} for key, label in FUNDING_ROWS}},
        ["weight"] + [key for key, _ in FUNDING_ROWS], "项目资金")
    # Format 2: a blank cell is "", the row set is named, the funding score may be given by hand.
    cell = {"anyOf": [DECIMAL, {"type": "integer"}, {"const": ""}]}
    amounts2 = _object({f: {**cell, "title": label} for f, label in AMOUNT_FIELDS}, [])
    funding2 = _object({
        "weight": {**NUMBER, "title": "分值（缺省为评分规则的资金分值）"},
        "rows": {"enum": list(ROW_SETS), "title": "资金行组"},
        "budget_column": {"type": "boolean", "title": "表上是否印“年初预算数”一栏"},
        "labels": {"type": "object", "title": "表上印的行名", "additionalProperties": TEXT},
        "score": {**NUMBER, "title": "资金得分（与计算值不同时）"},
        "reason": {**TEXT, "title": "资金得分的原因"},
        "total": {**amounts2, "title": "年度资金总额"},
        **{key: {**amounts2, "title": label} for key, label in ROW_LABELS.items()},
    }, [], "项目资金")
    indicator = _object({
        "level1": {**TEXT, "title": "一级指标"}, "level2": {**TEXT, "title": "二级指标"},
        "name": {**TEXT, "title": "三级指标"}, "target": {**TEXT, "title": "年度指标值"},
        "actual": {**TEXT, "title": "实际完成值"}, "weight": {**NUMBER, "title": "分值"},
        "score": {**NUMBER, "title": "得分（与计算值不同时）"},
        "reason": {**TEXT, "title": "偏差原因分析"},
    }, ["level1", "name", "target", "weight"])
    goals = _object({"expected": {**TEXT, "title": "预期目标"},
                     "achieved": {**TEXT, "title": "实际完成情况"}}, [], "年度总体目标")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://zipin.invalid/schemas/project.schema.json",
        **_object({
            "format": {"type": "integer", "minimum": 1, "maximum": FORMAT_VERSION},
            "id": {**TEXT, "minLength": 1, "title": "记录编号"},
            "predecessor": {**TEXT, "title": "上一年度记录的编号（由上年记录生成时）"},
            "year": {"type": "integer", "title": "年度"},
            "name": {**TEXT, "title": "项目名称"},
            "department": {**TEXT, "title": "主管部门"},
            "implementer": {**TEXT, "title": "实施单位"},
            "rules": {**TEXT, "minLength": 1, "title": "评分规则"},
            "layout": {**TEXT, "title": "表格版式（缺省为 shanghai）"},
            "money_unit": {**TEXT, "title": "金额单位"},
            "incomplete": {**TEXT, "title": "由不完整的表导入时：表上缺少的部分"},
            "funding": {"type": "object"},
            "goals": goals,
            "texts": {"type": "object", "title": "表上其他文字（按版式的键：项目负责人、评价结论…）",
                      "additionalProperties": TEXT},
            "indicators": {"type": "array", "items": indicator, "title": "绩效指标"},
        }, ["format", "id", "year", "name", "funding"], "财政项目支出绩效自评价记录"),
        "if": {"properties": {"format": {"const": 1}}},
        "then": {"properties": {"funding": funding}},
        "else": {"properties": {"funding": funding2}},
    }


def rules_schema() -> dict:
    tier = _object({"label": TEXT, "low": NUMBER, "high": NUMBER, "points": NUMBER},
                   ["label", "low", "high", "points"])
    grade = _object({"grade": TEXT, "min": NUMBER}, ["grade", "min"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://zipin.invalid/schemas/rules.schema.json",
        **_object({
            "name": {**TEXT, "minLength": 1}, "title": TEXT,
            "rounding": {"enum": list(ROUNDINGS)},
            "places": {"type": "integer", "minimum": 0, "maximum": 6},
            "total_weight": NUMBER, "funding_weight": NUMBER,
            "negative_formula": {"enum": list(NEGATIVE_FORMULAS)},
            "tiers": {"type": "array", "items": tier, "minItems": 1},
            "grades": {"type": "array", "items": grade, "minItems": 1},
            "warnings": _object({"over_achievement": NUMBER, "low_execution": NUMBER},
                                ["over_achievement", "low_execution"]),
            "figures": _object({name: {**_object({"rounding": {"enum": list(ROUNDINGS)},
                                                  "places": {"type": "integer", "minimum": 0,
                                                             "maximum": 6}},
                                                 ["rounding", "places"]), "title": title}
                                for name, title in FIGURES.items()}, [], "各项数字的舍入与小数位"),
            "words": {"type": "object", "title": "定性完成值用语（等级 → 用语）",
                      "additionalProperties": {"type": "array", "items": {**TEXT, "minLength": 1}}},
            "repeat_is_met": {"type": "boolean", "title": "实际完成值重复年度指标值即为达成"},
            "comparatives": {"type": "object", "title": "比较词（用语 → 运算符）",
                             "additionalProperties": {"enum": list(OPERATORS)}},
            "units": {"type": "object", "title": "可换算的单位",
                      "additionalProperties": _object({"base": {**TEXT, "minLength": 1},
                                                       "factor": NUMBER}, ["base", "factor"])},
            "hand_score_reason": {"enum": list(HAND_SCORE), "title": "手填得分缺少原因时"},
            "not_applicable": _object({
                "marks": {"type": "array", "items": {**TEXT, "minLength": 1}, "title": "表示不适用的填写"},
                "weights": {"enum": list(NOT_APPLICABLE_WEIGHTS),
                            "title": "不适用指标的分值：omit 不计入分值；rescale 按百分制折算"},
            }, [], "不适用的指标"),
            "qualifiers": _object({
                "before": {"type": "object", "title": "指标用语之前的程度用语（等级 → 用语），如 基本健全",
                           "additionalProperties": {"type": "array", "items": {**TEXT, "minLength": 1}}},
                "met_after": {"type": "array", "items": {**TEXT, "minLength": 1},
                              "title": "年度指标值用语之后仍为达成的用语，如 健全完善"},
            }, [], "定性完成值的程度用语"),
        }, ["name", "rounding", "places", "total_weight", "funding_weight", "negative_formula",
            "tiers", "grades", "warnings"], "评分规则"),
    }


def layout_schema() -> dict:
    words = {"type": "array", "items": {**TEXT, "minLength": 1}, "uniqueItems": True}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://zipin.invalid/schemas/layout.schema.json",
        **_object({
            "name": {**TEXT, "minLength": 1},
            "title": {**TEXT, "title": "标题（{year} 为年度）"},
            "subtitle": {**TEXT, "title": "标题下一行（{year} 为年度）"},
            "header": {"type": "array", "title": "表头字段（每行一或两个）",
                       "items": {**words, "minItems": 1, "maxItems": 2}},
            "labels": {"type": "object", "title": "字段的印刷名称", "additionalProperties": TEXT},
            "funding": _object({
                "label": {**TEXT, "title": "资金栏标签（{unit} 金额单位，{weight} 资金分值）"},
                "columns": {**words, "items": {"enum": list(FUNDING_COLUMNS)}},
                "headings": _object({k: TEXT for k in FUNDING_COLUMNS}, []),
                "rows": {"enum": list(ROW_SETS)}, "total": {**TEXT, "title": "年度资金总额行的名称"},
                "row_rates": {"type": "boolean", "title": "分项行是否印执行率"},
                "dash": {**TEXT, "title": "分项行分值、得分处印的符号"},
            }, [], "项目资金"),
            "goals": _object({"label": TEXT, "expected": TEXT, "achieved": TEXT}, [], "年度总体目标"),
            "indicators": _object({
                "section": {**TEXT, "title": "指标表前的标签列（{weight} 为指标分值合计）"},
                "columns": {**words, "items": {"enum": list(INDICATOR_COLUMNS)}},
                "headings": _object({k: TEXT for k in INDICATOR_COLUMNS}, []),
                "level1_weights": {"type": "boolean", "title": "一级指标后印分值，如 产出指标（50分）"},
            }, [], "绩效指标"),
            "closing": _object({
                "total": {**TEXT, "title": "总分行的名称"},
                "grade": {**TEXT, "title": "评分等级行的名称（空为不印）"},
                "blocks": {**words, "title": "表后的文字栏（记录 texts 的键）"},
                "signatures": {**words, "title": "签名行（记录 texts 的键）"},
            }, [], "表尾"),
        }, ["name"], "表格版式"),
    }


def bundle_schema() -> dict:
    """The schema of a bundle file, built from the record's and the profile's schemas.
    `made_at` is a TOML datetime; JSON validators see it as an RFC 3339 string."""
    def inner(schema: dict) -> dict:
        return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}

    sha = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
    record = _object({"sha256": {**sha, "title": "记录规范形式的 SHA-256"},
                      "history": {"type": "array", "items": sha, "title": "此版本已包含的早先版本"},
                      "record": inner(project_schema())}, ["sha256", "record"])
    profile = _object({"sha256": {**sha, "title": "评分规则规范形式的 SHA-256"},
                       "rules": inner(rules_schema())}, ["sha256", "rules"])
    layout = _object({"name": {**TEXT, "title": "版式名称（文件名）"},
                      "sha256": {**sha, "title": "版式规范形式的 SHA-256"},
                      "layout": inner(layout_schema())}, ["name", "sha256", "layout"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://zipin.invalid/schemas/bundle.schema.json",
        **_object({
            "format": {"type": "integer", "minimum": 1, "maximum": BUNDLE_FORMAT, "title": "打包格式版本"},
            "generator": {**TEXT, "title": "生成程序"},
            "made_by": {**TEXT, "title": "制作人"},
            "made_at": {"type": "string", "format": "date-time", "title": "制作时间"},
            "count": {"type": "integer", "minimum": 0, "title": "记录个数"},
            "profiles": {"type": "array", "items": profile, "title": "评分规则"},
            "layouts": {"type": "array", "items": layout, "title": "记录所用的表格版式（格式 2）"},
            "records": {"type": "array", "items": record, "title": "项目记录"},
        }, ["format", "made_by", "made_at", "count", "profiles", "records"], "zipin 记录包"),
    }


SCHEMAS = {"project.schema.json": project_schema, "rules.schema.json": rules_schema,
           "layout.schema.json": layout_schema,
           "bundle.schema.json": bundle_schema}


def render(build) -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    folder = Path(argv[0] if argv else Path(__file__).parents[1] / "schemas")
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in SCHEMAS.items():
        (folder / name).write_text(render(build), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
