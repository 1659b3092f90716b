"""A form layout: what the printed form looks like, as data (title, header, columns, closing parts).

Layouts are TOML files like the rule profiles: the built-in ones ship in ``tui/printed/layouts/``, a folder
of records may hold its own in ``layouts/NAME.toml`` (which wins over a built-in of that name). A
record names its layout (`Project.layout`); the printed form (text, SVG, HTML, xlsx), the header
panel and `zipin import-text` follow it. A layout says how a form is laid out, never how it is
scored (that is the rule profile). No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tui.core.bounds import parse_toml
from tui.core.messages import os_error
from tui.core.model import ROW_SETS

BUILTIN_DIR = Path(__file__).parent / "layouts"
DEFAULT = "shanghai"  # the seed's form: a record that names no layout

# Every column a layout may print, with its default heading.
FUNDING_COLUMNS = {"budget": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数",
                   "weight": "分值", "rate": "执行率", "score": "得分"}
INDICATOR_COLUMNS = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标",
    "target": "年度指标值",  # the target in one cell (≥2.00(次)) …
    "nature": "指标性质", "value": "指标值", "unit": "度量单位",  # … or split into three
    "actual": "实际完成值", "weight": "分值", "score": "得分", "review": "复核分",
    "reason": "偏差原因分析",
}
# Labels of the record's own fields; any other key a layout names is one of the record's texts.
FIELD_LABELS = {"name": "项目名称", "department": "主管部门", "implementer": "实施单位"}
RECORD_FIELDS = tuple(FIELD_LABELS)


class LayoutError(ValueError):
    """A layout that cannot be used; str() is a one-line Chinese message naming file and field."""


@dataclass(frozen=True)
class Layout:
    """A printed form's layout (layouts/*.toml): title, header fields, labels and columns."""
    name: str
    title: str  # {year} is the record's year; a title without it prints the year in `subtitle`
    subtitle: str
    header: tuple[tuple[str, ...], ...]  # rows of field keys
    labels: tuple[tuple[str, str], ...]  # key -> printed label (header fields, blocks, signatures)
    funding_label: str  # {unit} the money unit, {weight} the funding weight
    funding_columns: tuple[str, ...]
    funding_headings: tuple[tuple[str, str], ...]
    row_set: str  # the row set a record imported into this layout starts with
    total_label: str  # the label of 年度资金总额 on this form ("" the row set's)
    row_rates: bool  # whether the sub-rows print their rates
    dash: str  # what the sub-rows print under 分值 and 得分
    goals_label: str
    expected_label: str
    achieved_label: str
    section: str  # a column before the indicators ("绩效指标（{weight}分）"), "" none
    level1_weights: bool  # 产出指标（50分）
    indicator_columns: tuple[str, ...]
    indicator_headings: tuple[tuple[str, str], ...]
    closing_total: str  # 总分 / 合计 / 自评得分
    closing_grade: str  # 评分等级, "" when the form prints no grade
    blocks: tuple[str, ...]  # text keys printed as label | text rows after the table
    signatures: tuple[str, ...]  # text keys printed as "label value" on one line at the foot

    def label(self, key: str) -> str:
        return dict(self.labels).get(key) or FIELD_LABELS.get(key, key)

    def funding_heading(self, column: str) -> str:
        return dict(self.funding_headings).get(column) or FUNDING_COLUMNS[column]

    def indicator_heading(self, column: str) -> str:
        return dict(self.indicator_headings).get(column) or INDICATOR_COLUMNS[column]

    @property
    def text_keys(self) -> tuple[str, ...]:
        """The record texts this layout prints (项目负责人及电话, 评价结论, signatures…)."""
        keys = [k for row in self.header for k in row if k not in RECORD_FIELDS]
        return tuple(dict.fromkeys(keys + list(self.blocks) + list(self.signatures)))

    @property
    def split_target(self) -> bool:
        return "value" in self.indicator_columns

    def heading(self, year: int) -> str:
        """The title line(s) as printed: the title, and the subtitle when the year has its own line."""
        title = self.title.replace("{year}", str(year)) if year else _without_year(self.title)
        sub = self.subtitle.replace("{year}", str(year)) if year else ""
        return title + ("\n" + sub if sub else "")


def _without_year(text: str) -> str:
    return text.replace("（{year}年度）", "").replace("({year}年度)", "").replace("{year}", "")


class _Reader:
    def __init__(self, data: dict, source: str, where: str = ""):
        self.data, self.source, self.where = data, source, where

    def fail(self, key: str, problem: str):
        field = f"{self.where}.{key}" if self.where else key
        raise LayoutError(f"{self.source}：版式字段 {field} {problem}")

    def known(self, keys) -> None:
        for key in self.data:
            if key not in keys:
                self.fail(key, "不是版式的字段")

    def get(self, key: str, kind, default):
        value = self.data.get(key, default)
        if not isinstance(value, kind):
            self.fail(key, f"类型不对（{type(value).__name__}）")
        return value

    def table(self, key: str) -> _Reader:
        value = self.get(key, dict, {})
        return _Reader(value, self.source, f"{self.where}.{key}" if self.where else key)

    def words(self, key: str, default, allowed=None) -> tuple[str, ...]:
        value = self.get(key, list, list(default))
        for item in value:
            if not isinstance(item, str) or (allowed is not None and item not in allowed):
                self.fail(key, f"中的“{item}”不可用" + (f"（可用：{'、'.join(allowed)}）" if allowed else ""))
        if len(set(value)) != len(value):
            self.fail(key, "有重复的项")
        return tuple(value)

    def headings(self, key: str, allowed) -> tuple[tuple[str, str], ...]:
        table = self.table(key)
        table.known(tuple(allowed))
        for k, v in table.data.items():
            if not isinstance(v, str):
                table.fail(k, "应为文字")
        return tuple(table.data.items())


def layout_from_dict(data: dict, source: str) -> Layout:
    top = _Reader(data, source)
    top.known(("name", "title", "subtitle", "header", "labels", "funding", "goals", "indicators", "closing"))
    name = top.get("name", str, "")
    if not name:
        top.fail("name", "缺失")
    header = top.get("header", list, [["name"], ["department", "implementer"]])
    if not all(isinstance(row, list) and row and all(isinstance(k, str) and k for k in row)
               for row in header):
        top.fail("header", "应为字段名的行的列表，如 [[\"name\"], [\"department\", \"implementer\"]]")
    labels = tuple(top.table("labels").data.items())
    if not all(isinstance(v, str) for _k, v in labels):
        top.fail("labels", "的值应为文字")
    fund, goals, ind, close = (top.table(k) for k in ("funding", "goals", "indicators", "closing"))
    fund.known(("label", "columns", "headings", "rows", "total", "row_rates", "dash"))
    goals.known(("label", "expected", "achieved"))
    ind.known(("section", "columns", "headings", "level1_weights"))
    close.known(("total", "grade", "blocks", "signatures"))
    columns = ind.words("columns", ("level1", "level2", "name", "target", "actual", "weight", "score",
                                    "reason"), INDICATOR_COLUMNS)
    for needed in ("level1", "name", "weight", "score"):
        if needed not in columns:
            ind.fail("columns", f"缺少“{needed}”（{INDICATOR_COLUMNS[needed]}）")
    if ("target" in columns) == ("value" in columns):
        ind.fail("columns", "应有 target（年度指标值一栏）或 value（指标值，可与 nature、unit 同列）之一")
    row_set = fund.get("rows", str, "central")
    if row_set not in ROW_SETS:
        fund.fail("rows", f"“{row_set}”不是资金行组（可用：{'、'.join(ROW_SETS)}）")
    funding_columns = fund.words("columns", tuple(FUNDING_COLUMNS), FUNDING_COLUMNS)
    if "executed" not in funding_columns:
        fund.fail("columns", "缺少“executed”（全年执行数）")
    return Layout(
        name=name, title=top.get("title", str, "财政项目支出绩效自评价（{year}年度）"),
        subtitle=top.get("subtitle", str, ""), header=tuple(tuple(row) for row in header),
        labels=labels, funding_label=fund.get("label", str, "项目资金（{unit}）"),
        funding_columns=funding_columns,
        funding_headings=fund.headings("headings", FUNDING_COLUMNS), row_set=row_set,
        total_label=fund.get("total", str, ""), row_rates=fund.get("row_rates", bool, True),
        dash=fund.get("dash", str, "-"),
        goals_label=goals.get("label", str, "年度总体目标"),
        expected_label=goals.get("expected", str, "预期目标"),
        achieved_label=goals.get("achieved", str, "实际完成情况"),
        section=ind.get("section", str, ""), level1_weights=ind.get("level1_weights", bool, False),
        indicator_columns=columns, indicator_headings=ind.headings("headings", INDICATOR_COLUMNS),
        closing_total=close.get("total", str, "总分"), closing_grade=close.get("grade", str, ""),
        blocks=close.words("blocks", ()), signatures=close.words("signatures", ()),
    )


def _read(path: Path) -> dict:
    """As rule profiles are read: the parser's depth and integer limits are a refusal."""
    try:
        return parse_toml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LayoutError(f"{path}：无法读取版式（{os_error(exc)}）") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise LayoutError(f"{path}：无法读取版式（{exc}）") from None


def load_layout_file(path: Path) -> Layout:
    return layout_from_dict(_read(path), str(path))


@cache
def _builtin(name: str) -> Layout:
    return load_layout_file(BUILTIN_DIR / f"{name}.toml")


def builtin_names() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))


def folder_names(folder: Path | None) -> list[str]:
    """The layouts a folder can use: its own and the built-in ones."""
    own = sorted(p.stem for p in (Path(folder) / "layouts").glob("*.toml")) if folder else []
    return list(dict.fromkeys(own + builtin_names()))


def layout_file(name: str, folder: Path | None = None) -> Path:
    """The file the layout `name` is read from: the folder's own ``layouts/NAME.toml``, else the
    built-in one. Raises LayoutError if neither exists or the name is not a file name."""
    name = name or DEFAULT
    if "/" in name or "\\" in name or name.startswith("."):
        raise LayoutError(f"版式名称“{name}”无效")
    if folder is not None:
        local = Path(folder) / "layouts" / f"{name}.toml"
        if local.is_file():
            return local
    if name in builtin_names():
        return BUILTIN_DIR / f"{name}.toml"
    raise LayoutError(f"找不到版式“{name}”（内置：{'、'.join(builtin_names())}）")


def layout_data(name: str, folder: Path | None = None) -> dict:
    """The layout's TOML as a table, checked to be a usable layout (a bundle carries this)."""
    path = layout_file(name, folder)
    data = _read(path)
    layout_from_dict(data, str(path))
    return data


def load_layout(name: str = DEFAULT, folder: Path | None = None) -> Layout:
    """The layout a record names: the folder's own ``layouts/NAME.toml`` first, then a built-in."""
    path = layout_file(name, folder)
    return _builtin(path.stem) if path.parent == BUILTIN_DIR else load_layout_file(path)


def layout_or_default(name: str, folder: Path | None = None) -> Layout:
    """The named layout, or the default one when it can't be found (a record still prints;
    `zipin check` names the missing layout)."""
    try:
        return load_layout(name, folder)
    except LayoutError:
        return load_layout(DEFAULT)
