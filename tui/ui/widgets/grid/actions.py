"""The grid's bindings other than typing: cursor moves, and the actions on indicators (pick a
tier or a level from a list, add, delete, move). A part of `IndicatorGrid` (widget.py), kept
apart to keep each module short; it works on the grid's state and never on its own.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Offset, Region

from tui.core.editing import INDICATOR_FIELDS, add_indicator, delete_indicator, move_indicator
from tui.core.model import LEVEL1_CHOICES, LEVEL2_CHOICES, TIERS, ParseError, Project, parse_target
from tui.ui.screens.pick import PickScreen
from tui.core.scoring import ScoreSheet
from tui.ui.widgets.grid.columns import COLUMN_OF, COLUMNS, FIELDS
from tui.ui.widgets.grid.state import GridState

OTHER = "\x00other"  # the "type another name" entry of a level list


class GridActions(GridState):
    """Cursor moves and indicator actions of IndicatorGrid (mixed into it; not a widget)."""

    def show_last_year(self, last: tuple[Project, ScoreSheet] | None) -> None:
        """Show last year's 实际完成值 and 得分 (of `last`: its record and score sheet) after this
        year's in their cells, or (None) stop showing them."""
        self._model.last = last
        self._painter.headings = {}  # show() sets the headings again, with or without 上年
        self.show(self._project, self._assessment)

    # ---------------------------------------------------------------------------------------
    # Cursor


    def _move_to(self, row: int, col: int, select: bool = False, tab_start: int | None = None,
                 ) -> None:
        """The cursor to a cell; any Shift+↑/↓ selection of rows ends unless `select`.
        `tab_start`: the column a run of Tabs along this row began in (see _step)."""
        self._tab_start = tab_start
        if not select:
            self._clear_selection()
        count = len(self._model.views)
        row = max(0, min(row, count - 1)) if count else 0
        col = max(0, min(col, len(FIELDS) - 1))
        if (row, col) == (self._row, self._col):
            self._scroll_to_cursor()
            return
        old_row, old_col = self._row, self._col
        self._row, self._col = row, col
        self._refresh_row(old_row)
        self._refresh_row(row)
        if col != old_col:
            self.refresh(Region(0, 0, self._view_size().width, 1))
        self._scroll_to_cursor()
        self._refresh_status()

    def _step(self, drow: int, dcol: int) -> None:
        """Move like Tab/Enter do: across columns wrapping to the next/previous row. As in a
        spreadsheet, Enter after Tabs along a row goes down to the column the Tabs began in
        (三级指标 Tab 年度指标值 Tab 实际完成值 Enter: the next row's 三级指标)."""
        start = self._tab_start
        row, col = self._row + drow, self._col + dcol
        if drow and not dcol and start is not None:
            col = start
        if col >= len(FIELDS):
            row, col = row + 1, 0
        elif col < 0:
            row, col = row - 1, len(FIELDS) - 1
        along = dcol and row == self._row
        if 0 <= row < len(self._model.views):
            self._move_to(row, col, tab_start=(self._col if start is None else start)
                          if along else None)

    def _scroll_to_cursor(self) -> None:
        if not self._model.views:
            return
        body = self._body_height()
        top = int(self.scroll_y)
        if self._row < top:
            self.scroll_to(y=self._row, animate=False)
        elif self._row >= top + body:
            self.scroll_to(y=self._row - body + 1, animate=False)
        grid_layout = self._painter.layout
        if grid_layout.offsets:
            column = COLUMN_OF[FIELDS[self._col]]
            x, width = grid_layout.offsets[column], grid_layout.widths[column]
            left, view = int(self.scroll_x), self._view_size().width
            if x < left:
                self.scroll_to(x=0 if column <= 1 else x, animate=False)  # show 序号 with the first
            elif x + width > left + view:
                self.scroll_to(x=x + width - view, animate=False)

    def action_step(self, direction: int) -> None:
        """Tab / Shift+Tab: the next / previous cell, wrapping to the next / previous row."""
        self._step(0, direction)

    def home(self) -> None:
        """The cursor to row 1's first input cell left empty (a new project: 三级指标), else to
        its 实际完成值 (what a year's self-evaluation mostly types)."""
        col = FIELDS.index("actual")
        if self._project.indicators:
            item = self._project.indicators[0]
            for field in ("level1", "level2", "name", "target", "actual"):
                if not getattr(item, field):
                    col = FIELDS.index(field)
                    break
        self._move_to(0, col)

    def action_cursor(self, drow: int, dcol: int) -> None:
        self._move_to(self._row + drow, self._col + dcol)

    def action_page(self, direction: int) -> None:
        self._move_to(self._row + direction * self._body_height(), self._col)

    def action_cursor_to(self, row: int | None, col: int | None) -> None:
        row = self._row if row is None else (row if row >= 0 else len(self._model.views) - 1)
        col = self._col if col is None else (col if col >= 0 else len(FIELDS) - 1)
        self._move_to(row, col)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._model.views:
            return
        y = offset.y
        if not 1 <= y < self._view_size().height - 1:
            return
        row = y - 1 + int(self.scroll_y)
        column = self._painter.layout.column_at(offset.x + int(self.scroll_x))
        field = COLUMNS[column].field if column is not None else ""
        col = FIELDS.index(field) if field else self._col
        if row < len(self._model.views):
            self._finish_edit_quietly()
            self._move_to(row, col)
            if event.chain >= 2:
                self.action_activate()

    # ---------------------------------------------------------------------------------------
    # Actions on indicators (not editing)

    def action_activate(self) -> None:
        """Enter: a list for levels and qualitative actuals, the text editor for the rest."""
        if not self._model.views:
            return
        field = FIELDS[self._col]
        if field in ("level1", "level2"):
            self._pick_level(field)
        elif field == "actual" and self._qualitative(self._row):
            self.action_pick_tier()
        else:
            self._start_edit()

    def action_edit_text(self) -> None:
        self._start_edit()

    def action_clear_cell(self) -> None:
        self._start_edit("")

    def action_delete_cell(self) -> None:
        """Delete: the cell emptied at once, as in a spreadsheet; a cell that can't be empty
        (分值) opens empty instead, saying why."""
        if not self._model.views:
            return
        path = self.cursor_path
        if self.judge(path, "")[0]:
            self._start_edit("")
            return
        self._post_commit(path, "")

    def _qualitative(self, row: int) -> bool:
        item = self._project.indicators[row]
        if item.actual in TIERS:
            return True
        try:
            return not parse_target(item.target).numeric
        except ParseError:
            return False

    def _anchor(self) -> Offset:
        """Screen offset of the cursor's cell (for a list opened beside it)."""
        region = self.scrollable_content_region
        x = self._painter.layout.offsets[COLUMN_OF[FIELDS[self._col]]]
        return Offset(region.x + x - int(self.scroll_x), region.y + self._line_of_row(self._row))

    def _choose(self, title: str, choices: list[tuple[str, str]], current: str, row: int,
                field: str) -> None:
        values = [v for v, _ in choices]
        highlighted = values.index(current) if current in values else 0

        def picked(value: str | None) -> None:
            if value is None or self._row != row or FIELDS[self._col] != field:
                return
            if value == OTHER:
                self._start_edit()
                return
            path = f"indicators[{row}].{field}"
            error = self.judge(path, value)[0]
            if error:  # pragma: no cover - the lists hold valid values
                self.notify(error, severity="error", markup=False)
                return
            self._post_commit(path, value)
            if row + 1 < len(self._model.views):
                self._move_to(row + 1, self._col)

        self.app.push_screen(PickScreen(title, choices, anchor=self._anchor(),
                                          highlighted=highlighted), picked)

    def action_pick_tier(self) -> None:
        """t: pick the actual's tier (达成 / 部分达成 / 未达成) from a list."""
        if not self._model.views:
            return
        self._move_to(self._row, FIELDS.index("actual"))
        item = self._project.indicators[self._row]
        self._choose(f"第 {self._row + 1} 项 {item.name}：实际完成值", [(t, t) for t in TIERS],
                     item.actual, self._row, "actual")

    def _pick_level(self, field: str) -> None:
        item = self._project.indicators[self._row]
        if field == "level1":
            options = list(LEVEL1_CHOICES)
        else:
            options = list(LEVEL2_CHOICES.get(item.level1, ()))
            if not options:
                options = [name for names in LEVEL2_CHOICES.values() for name in names]
        current = getattr(item, field)
        choices = [(o, o) for o in options] + [(OTHER, "其他（自行输入）⋯")]
        self._choose(f"第 {self._row + 1} 项：{INDICATOR_FIELDS[field]}", choices, current,
                     self._row, field)

    def _replace(self, project: Project, row: int) -> None:
        """Post the new project; the cursor goes to `row` (which the answering show() brings)."""
        old, self._row = self._row, max(0, row)
        self._tab_start = None
        self._refresh_row(old)
        self._refresh_row(self._row)
        self.refresh(Region(0, 0, self._view_size().width, 1))
        self._post_replace(project)

    def action_add_below(self) -> None:
        self._add(self._row + 1 if self._model.views else 0)

    def action_add_above(self) -> None:
        self._add(self._row)

    def _add(self, index: int) -> None:
        self._col = FIELDS.index("name")
        self._replace(add_indicator(self._project, index), index)

    def action_delete(self) -> None:
        if not self._model.views:
            return
        row = self._row
        item = self._project.indicators[row]
        title = f"删除第 {row + 1} 项指标“{item.name or '（未命名）'}”？"

        def answered(value: str | None) -> None:
            if value == "delete" and row < len(self._project.indicators):
                project = delete_indicator(self._project, row)
                self._replace(project, min(row, len(self._project.indicators) - 2))

        self.app.push_screen(PickScreen(title, [("delete", "删除"), ("keep", "取消")],
                                          anchor=self._anchor()), answered)

    def action_move_indicator(self, delta: int) -> None:
        if not self._model.views:
            return
        project, new = move_indicator(self._project, self._row, delta)
        if new != self._row:
            self._replace(project, new)
