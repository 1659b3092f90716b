"""The words forms print, for reading a published form: labels of the header, the funding block,
the goals, the indicators and the closing parts, in the spellings departments use, and the key of
the record (or of its texts) each stands for. The built-in layouts' own labels are added, so a
layout file (tui/printed/layouts) that names a heading makes it readable. No I/O beyond the layouts, no Textual.
"""

from __future__ import annotations

import re
import unicodedata

from tui.printed.layout import builtin_names, load_layout
from tui.core.model import LEVEL2_CHOICES, ROW_SETS


def squash(text: str) -> str:
    """A label as compared: NFKC, no spaces, no colon at the end, ASCII brackets."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).rstrip(":").strip()


HEADER = {
    "项目名称": "name", "专项资金名称": "name", "项目(资金)名称": "name",
    "主管部门": "department", "县级主管部门": "department", "项目主管单位": "department",
    "主管单位": "department", "主管部门及代码": "department", "主管部门(代码)": "department",
    "主管部门名称": "department", "实施单位名称": "implementer", "项目单位": "implementer",
    "资金使用单位": "implementer",
    "实施单位": "implementer", "实施单位(盖章)": "implementer", "项目实施单位": "implementer",
    "项目负责人及电话": "leader", "负责人及电话": "leader", "项目负责人": "leader",
}
# Header fields some forms print that a record does not keep (湖北: 项目类别 1、上级专项 2、本级专项…):
# labels all the same, so a value never runs into them.
UNKEPT_HEADER = ("项目类别", "项目属性", "项目类型")
# Funding headings -> column key (by what they contain, tried in order).
FUNDING_HEADINGS = (
    ("年初", "budget"), ("调整", "adjusted"), ("全年预算", "adjusted"), ("预算数", "adjusted"),
    ("执行率", "rate"), ("执行数", "executed"), ("实际支出", "executed"), ("支出数", "executed"),
    ("决算数", "executed"), ("实际执行", "executed"), ("分值", "weight"), ("分数", "weight"),
    ("权重", "weight"), ("得分", "score"), ("原因", "reason"),
)
FUNDING_BLOCK = ("项目资金", "预算执行情况", "年度预算数", "资金情况")
TOTAL_ROWS = ("年度资金总额", "总额", "年度财政资金总额", "合计资金")
ROW_WORDS = (  # a sub-row's printed label (after 其中:) -> (row set, key)
    ("当年财政拨款", "central", "appropriation"), ("本年财政拨款", "central", "appropriation"),
    ("财政拨款", "central", "appropriation"), ("上年结转", "central", "carried_over"),
    ("上年结余", "central", "carried_over"), ("结转结余", "central", "carried_over"),
    ("财政专户", "sichuan", "special_account"), ("单位资金", "sichuan", "unit"),
    ("财政资金", "sichuan", "fiscal"), ("补助", "subsidy", "subsidy"),
    ("中央", "sources", "central"), ("省、地", "sources", "provincial"), ("本级", "sources", "local"),
    ("其他资金", "", "other"), ("其他", "", "other"), ("自有资金", "", "other"), ("自筹", "", "other"),
    ("社会资金", "", "other"),
)
GOALS = ("年度总体目标", "项目年度目标", "年度总体目标完成情况", "总体目标", "项目基本情况")
EXPECTED = ("预期目标", "年初设定目标", "项目年度目标")
ACHIEVED = ("实际完成情况", "全年实际完成情况", "年度目标完成情况", "目标完成情况")
INDICATOR_HEADINGS = (
    ("一级", "level1"), ("二级", "level2"), ("三级", "name"), ("指标名称", "name"),
    ("指标性质", "nature"), ("度量单位", "unit"), ("计量单位", "unit"),
    ("年度指标值", "target"), ("年初指标值", "target"), ("目标值", "target"), ("计划值", "target"),
    ("指标值", "value"),
    ("完成值", "actual"), ("实际值", "actual"), ("复核", "review"), ("自评分", "weight_or_score"),
    ("分值", "weight"), ("权重", "weight"), ("标准分", "weight"), ("满分", "weight"), ("得分", "score"),
    ("原因", "reason"), ("措施", "reason"), ("备注", "reason"),
)
LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "项目决策", "项目管理", "项目产出", "项目效益",
          "过程指标", "决策指标")
LEVEL2 = tuple(sorted({w for words in LEVEL2_CHOICES.values() for w in words} | {
    "经济成本指标", "社会成本指标", "生态环境成本指标", "满意度指标"}, key=len, reverse=True))
LEVEL1_OF = {w: level1 for level1, words in LEVEL2_CHOICES.items() for w in words}
CLOSING_TOTAL = ("总分", "合计", "自评得分", "自评总分", "总计")
GRADE = ("评分等级", "等级", "评价等级")
TEXTS = {"评价结论": "conclusion", "存在问题": "problems", "改进措施": "measures",
         "其他需要说明事项": "notes", "说明": "notes"}
SIGNATURES = {"项目负责人": "leader", "财务负责人": "finance", "填表人": "signature",
              "填报日期": "date"}
# Whole headings some forms print that the tables above take by a part (分值 of 参考分值): known
# whole, so text run together is split around them and a misreading of them is seen
# (tui.exchange.nearwords).
WHOLE_HEADINGS = ("全年实际值", "参考分值", "指标名称", "计量单位", "年初指标值", "评分等级", "评价等级",
                  "自评得分", "自评总分", "未完成原因分析及改进措施", "偏差原因分析及改进措施", "调整预算数",
                  "全年执行数", "全年预算数", "年初预算数")


def _layout_words() -> tuple[str, ...]:
    words: set[str] = set()
    for name in builtin_names():
        lay = load_layout(name)
        words.update(lay.label(k) for row in lay.header for k in row)
        words.update(lay.funding_heading(k) for k in lay.funding_columns)
        words.update(lay.indicator_heading(k) for k in lay.indicator_columns)
        words.update((lay.goals_label, lay.expected_label, lay.achieved_label, lay.closing_total,
                      lay.section))  # 绩效指标 before the headings
    return tuple(squash(w) for w in words if w and "{" not in w)


# The column printed before the indicators (绩效指标), spanning their rows: not a row of its own.
SECTIONS = frozenset(squash(re.sub(r"[(（][^)）]*\{weight\}[^)）]*[)）]", "", load_layout(n).section))
                     for n in builtin_names() if load_layout(n).section)

# What splits text whose cells run together (the longest first, so 项目名称 is not 名称).
RUN_LABELS = tuple(sorted(set(HEADER) | set(TOTAL_ROWS) | set(GOALS) | set(EXPECTED) | set(ACHIEVED)
                          | set(LEVEL2) | {"其中:"} | set(TEXTS) | set(_layout_words())
                          | set(FUNDING_BLOCK) | set(UNKEPT_HEADER) | {"预算数(A)", "执行数(B)", "年度绩效指标"}
                          | {"项目资金(万元)", "全年预算数(A)", "全年执行数(B)", "执行率(B/A)",
                             "年度指标值", "全年完成值", "未完成原因和改进措施"} | set(WHOLE_HEADINGS),
                          key=len, reverse=True))


def row_key(label: str, row_set: str = "") -> tuple[str, str] | None:
    """(row set, key) of a funding row's label, or None; ("", "total") for 年度资金总额."""
    text = squash(label).removeprefix("其中")
    text = text.lstrip(":：")
    if any(text.startswith(t) for t in TOTAL_ROWS) or (len(text) <= 12 and re.search("总额|總額", text)):
        return "", "total"
    for word, rows, key in ROW_WORDS:
        if word in text and len(text) <= len(word) + 12:
            return (rows or row_set), key
    return None


def funding_column(heading: str) -> str | None:
    text = squash(heading)
    if len(text) > 14 or re.search(r"\((万元|元)\)", text):  # 年度预算数(万元): the rows' label
        return None
    return next((key for word, key in FUNDING_HEADINGS if word in text), None)


def indicator_column(heading: str) -> str | None:
    text = squash(heading)
    if len(text) > 16:
        return None
    return next((key for word, key in INDICATOR_HEADINGS if word in text), None)


# What a split 指标性质 (指标方向) column prints instead of an operator: a word for the kind of
# indicator, not part of its target (定性 / 及时 is the target 及时), or its direction.
NATURE_WORDS = {"定性": "", "定性指标": "", "定量": "", "定量指标": "", "正向": "≥", "正向指标": "≥",
                "反向": "≤", "反向指标": "≤"}


def operator_of(nature: str) -> str:
    """A 指标性质 cell as the operator it puts before the 指标值 (≥ kept; 定性 nothing; 正向 ≥)."""
    return NATURE_WORDS.get(squash(nature), nature.strip())


def default_label(key: str) -> str:
    return next((label for rows in ROW_SETS.values() for k, label in rows if k == key), key)


def total_labels(layout: str) -> tuple[str, ...]:
    """The labels of 年度资金总额 that are a layout's own, not the record's."""
    from tui.printed.layout import LayoutError

    own: tuple[str, ...] = ()
    try:
        own = (load_layout(layout).total_label,) if layout else ()
    except LayoutError:
        pass
    return ("年度资金总额", "年度资金总额:") + own
