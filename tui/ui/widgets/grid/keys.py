"""The indicator grid's keys (its BINDINGS), each with a description and a stable id: the help,
the palette and a user's keymap name them. Typing a printable key starts an edit (editor.py)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

GRID_BINDINGS: list[BindingType] = [
    Binding("enter", "activate", "编辑", id="grid.edit"),
    Binding("f2,e", "edit_text", "改写", id="grid.edit_text"),
    Binding("t", "pick_tier", "选等级", id="grid.pick_tier"),
    Binding("a", "add_below", "添加指标", id="grid.add"),
    Binding("A", "add_above", "上方添加", id="grid.add_above", show=False),
    Binding("d", "delete", "删除指标", id="grid.delete"),
    Binding("ctrl+c", "copy", "复制", id="grid.copy"),
    Binding("shift+up", "select(-1)", "向上选行", id="grid.select_up", show=False),
    Binding("shift+down", "select(1)", "向下选行", id="grid.select_down", show=False),
    Binding("ctrl+up", "move_indicator(-1)", "上移指标", id="grid.move_up"),
    Binding("ctrl+down", "move_indicator(1)", "下移指标", id="grid.move_down"),
    Binding("backspace", "clear_cell", "清空重填", id="grid.clear", show=False),
    Binding("delete", "delete_cell", "清空此格", id="grid.delete_cell", show=False),
    # Tab stays in the table (F6 leaves it): across the row, then on to the next one.
    Binding("tab", "step(1)", "确认并右移一格（行尾接下一行；不离开表格，F6 离开）",
            id="grid.next_cell", show=False),
    Binding("shift+tab", "step(-1)", "确认并左移一格（行首接上一行）", id="grid.previous_cell",
            show=False),
    Binding("up", "cursor(-1, 0)", "上一行", id="grid.cursor_up", show=False),
    Binding("down", "cursor(1, 0)", "下一行", id="grid.cursor_down", show=False),
    Binding("left", "cursor(0, -1)", "左一格", id="grid.cursor_left", show=False),
    Binding("right", "cursor(0, 1)", "右一格", id="grid.cursor_right", show=False),
    Binding("pageup", "page(-1)", "上一页", id="grid.page_up", show=False),
    Binding("pagedown", "page(1)", "下一页", id="grid.page_down", show=False),
    Binding("home", "cursor_to(None, 0)", "行首", id="grid.row_start", show=False),
    Binding("end", "cursor_to(None, -1)", "行尾", id="grid.row_end", show=False),
    Binding("ctrl+home", "cursor_to(0, None)", "第一项", id="grid.first", show=False),
    Binding("ctrl+end", "cursor_to(-1, None)", "最后一项", id="grid.last", show=False),
]

