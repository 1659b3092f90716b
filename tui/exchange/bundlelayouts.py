"""The form layouts a bundle carries (docs/bundle.md), beside its rule profiles. No Textual.

A record names its layout; a folder may hold its own (``layouts/NAME.toml``), so a colleague's
machine may lack it. A bundle therefore carries every layout its records name, as the table of
the layout's file, with the SHA-256 of its canonical form; the receiver verifies each, writes the
ones its folder lacks and refuses a layout that differs from its own of that name.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable, Mapping

import tomli_w

from tui.printed.layout import Layout, LayoutError, builtin_names, layout_from_dict, load_layout
from tui.store.atomic import atomic_write, current_digest
from tui.store.naming import safe_stem
from tui.store.recordfile import schema_line

# Status of a carried layout against the folder (as the profiles': bundleplan.NEW, SAME, CONFLICT).
NEW, SAME, CONFLICT = "new", "same", "conflict"


def layout_digest(data: Mapping) -> str:
    """SHA-256 of a layout table's canonical form (compact JSON, sorted keys, as a record's)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def named(projects: Iterable) -> list[str]:
    """The layouts the records name ("" is the default layout: every zipin has it)."""
    return sorted({p.layout for p in projects if p.layout})


def entries(names: Iterable[str], data_by_name: Mapping[str, dict]) -> list[dict]:
    """The bundle's ``[[layouts]]``: name, digest and the layout's table, for each name."""
    return [{"name": n, "sha256": layout_digest(data_by_name[n]), "layout": data_by_name[n]} for n in names]


def read_layouts(raw_layouts, fail) -> dict[str, Layout]:
    """Verify a bundle's ``[[layouts]]``: each a usable layout under a file name, matching its
    digest, no name twice. `fail(message, field)` raises. Returns the layouts by name."""
    if not isinstance(raw_layouts, list) or not all(isinstance(r, dict) for r in raw_layouts):
        fail("应为表数组（[[layouts]]）", "layouts")
    layouts: dict[str, Layout] = {}
    for i, raw in enumerate(raw_layouts):
        where = f"layouts[{i}]"
        for key in raw:
            if key not in ("name", "sha256", "layout"):
                fail("未知字段（拼写有误？）", f"{where}.{key}")
        name = raw.get("name")
        if not isinstance(name, str) or safe_stem(name) != name or name.startswith(".") or len(name) > 60:
            fail(f"版式名称“{name}”不能用作文件名", f"{where}.name")
        if name in layouts:
            fail(f"版式“{name}”出现两次", f"{where}.name")
        if not isinstance(raw.get("layout"), dict):
            fail("缺少版式表", f"{where}.layout")
        stated = raw.get("sha256")
        if not (isinstance(stated, str) and len(stated) == 64 and all(c in "0123456789abcdef" for c in stated)):
            fail("缺少校验值（64 位十六进制 sha256）", f"{where}.sha256")
        if stated != layout_digest(raw["layout"]):
            fail(f"版式“{name}”的内容与校验值不符（传输中损坏或被改动），整个包未导入", f"{where}.sha256")
        try:
            layouts[name] = layout_from_dict(raw["layout"], f"{where}.layout")
        except LayoutError as exc:
            fail(f"版式无效（{exc}）", f"{where}.layout")
    return layouts


@dataclass(frozen=True)
class LayoutItem:
    """A layout the bundle carries, against the one the folder would use under that name."""

    name: str
    layout: Layout
    data: dict         # the layout's table, as carried: written as layouts/NAME.toml when NEW
    status: str        # NEW (the folder lacks it), SAME, or CONFLICT
    path: Path         # layouts/NAME.toml in the folder
    local: str = ""    # where the folder's layout comes from ("内置" or a file), if it has one


def plan_layouts(layouts: Mapping[str, Layout], data_by_name: Mapping[str, dict], folder: Path,
                 problems: list[str]) -> tuple[LayoutItem, ...]:
    """Each carried layout against the folder's; a differing or unreadable one adds to `problems`
    (nothing may be written: the same record would print differently on the two machines)."""
    items = []
    for name, layout in sorted(layouts.items()):
        path = Path(folder) / "layouts" / f"{name}.toml"
        where = str(path) if path.is_file() else ("内置" if name in builtin_names() else "")
        try:
            have = load_layout(name, folder) if where else None
        except LayoutError:
            problems.append(f"版式“{name}”：本机 {path} 无法读取，请先修复")
            items.append(LayoutItem(name, layout, data_by_name[name], CONFLICT, path, where))
            continue
        if have is None:
            status = NEW if not path.exists() else CONFLICT
            if status == CONFLICT:
                problems.append(f"版式“{name}”：本机 {path} 不是可读的文件，请先处理")
        elif have == layout:
            status = SAME
        else:
            status = CONFLICT
            problems.append(f"版式“{name}”与本机（{where}）的不同：同一记录在两台机器上会印得不一样；"
                            "请与对方确认后统一版式（或将一方的版式改名）再导入")
        items.append(LayoutItem(name, layout, data_by_name[name], status, path, where))
    return tuple(items)


def write_layout(item: LayoutItem) -> None:
    """Write a NEW layout to the folder's ``layouts/NAME.toml`` (raises ChangedOnDisk via the
    caller's check if a file appeared there since planning)."""
    item.path.parent.mkdir(exist_ok=True)
    atomic_write(item.path, schema_line(item.path, "layout.schema.json") + tomli_w.dumps(item.data))


def exists(path: Path) -> bool:
    return current_digest(path) is not None
