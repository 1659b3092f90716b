"""The grid's actions on indicators (not typing): pick a tier or a level from a list, add,
delete, move, empty a cell, a click on a cell, last year's figures beside this year's. A part the
grid holds (state.py).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Offset, Region

from tui.core.editing import INDICATOR_FIELDS, add_indicator, delete_indicator, move_indicator
from tui.core.model import LEVEL1_CHOICES, LEVEL2_CHOICES, TIERS, ParseError, Project, parse_target
from tui.core.scoring import ScoreSheet
from tui.ui.widgets.grid.columns import COLUMN_OF, COLUMNS, FIELDS
from tui.ui.widgets.grid.editor import Typing
from tui.ui.widgets.grid.moves import Moves
from tui.ui.widgets.grid.state import GridView

OTHER = "\x00other"  # the "type another name" entry of a level list


class Actions:
    """The actions on `grid`'s indicators; the cursor is `moves`', typing `typing`'s."""

    def __init__(self, grid: GridView, moves: Moves, typing: Typing) -> None:
        self.grid = grid
        self.moves = moves
        self.typing = typing

    def show_last_year(self, last: tuple[Project, ScoreSheet] | None) -> None:
        """Show last year's 实际完成值 and 得分 (of `last`: its record and score sheet) after this
        year's in their cells, or (None) stop showing them."""
        grid = self.grid
        grid._model.last = last
        grid._painter.headings = {}  # show() sets the headings again, with or without 上年
        grid.show(grid._project, grid._assessment)

    def click(self, offset: Offset | None, chain: int) -> None:
        """A click on the grid at `offset` (in its content): the cursor to that cell; a double
        click acts on it as Enter does."""
        grid = self.grid
        if offset is None or not grid._model.views:
            return
        y = offset.y
        if not 1 <= y < grid._view_size().height - 1:
            return
        row = y - 1 + int(grid.scroll_y)
        column = grid._painter.layout.column_at(offset.x + int(grid.scroll_x))
        field = COLUMNS[column].field if column is not None else ""
        col = FIELDS.index(field) if field else grid._col
        if row < len(grid._model.views):
            self.typing.finish_quietly()
            self.moves.move_to(row, col)
            if chain >= 2:
                self.activate()

    def activate(self) -> None:
        """Enter: a list for levels and qualitative actuals, the text editor for the rest."""
        grid = self.grid
        if not grid._model.views:
            return
        field = FIELDS[grid._col]
        if field in ("level1", "level2"):
            self._pick_level(field)
        elif field == "actual" and self._qualitative(grid._row):
            self.pick_tier()
        else:
            self.typing.start()

    def edit_text(self) -> None:
        self.typing.start()

    def clear_cell(self) -> None:
        self.typing.start("")

    def delete_cell(self) -> None:
        """Delete: the cell emptied at once, as in a spreadsheet; a cell that can't be empty
        (分值) opens empty instead, saying why."""
        grid = self.grid
        if not grid._model.views:
            return
        path = grid.cursor_path
        if grid.judge(path, "")[0]:
            self.typing.start("")
            return
        grid._post_commit(path, "")

    def _qualitative(self, row: int) -> bool:
        grid = self.grid
        item = grid._project.indicators[row]
        if item.actual in TIERS:
            return True
        try:
            return not parse_target(item.target).numeric
        except ParseError:
            return False

    def _anchor(self) -> Offset:
        """Screen offset of the cursor's cell (for a list opened beside it)."""
        grid = self.grid
        region = grid.scrollable_content_region
        x = grid._painter.layout.offsets[COLUMN_OF[FIELDS[grid._col]]]
        return Offset(region.x + x - int(grid.scroll_x), region.y + grid._line_of_row(grid._row))

    def _choose(self, title: str, choices: list[tuple[str, str]], current: str, row: int,
                field: str) -> None:
        from tui.ui.screens.pick import PickScreen

        grid = self.grid
        values = [v for v, _ in choices]
        highlighted = values.index(current) if current in values else 0

        def picked(value: str | None) -> None:
            if value is None or grid._row != row or FIELDS[grid._col] != field:
                return
            if value == OTHER:
                self.typing.start()
                return
            path = f"indicators[{row}].{field}"
            error = grid.judge(path, value)[0]
            if error:  # pragma: no cover - the lists hold valid values
                grid.notify(error, severity="error", markup=False)
                return
            grid._post_commit(path, value)
            if row + 1 < len(grid._model.views):
                self.moves.move_to(row + 1, grid._col)

        grid.app.push_screen(PickScreen(title, choices, anchor=self._anchor(),
                                        highlighted=highlighted), picked)

    def pick_tier(self) -> None:
        """t: pick the actual's tier (达成 / 部分达成 / 未达成) from a list."""
        grid = self.grid
        if not grid._model.views:
            return
        self.moves.move_to(grid._row, FIELDS.index("actual"))
        item = grid._project.indicators[grid._row]
        self._choose(f"第 {grid._row + 1} 项 {item.name}：实际完成值", [(t, t) for t in TIERS],
                     item.actual, grid._row, "actual")

    def _pick_level(self, field: str) -> None:
        grid = self.grid
        item = grid._project.indicators[grid._row]
        if field == "level1":
            options = list(LEVEL1_CHOICES)
        else:
            options = list(LEVEL2_CHOICES.get(item.level1, ()))
            if not options:
                options = [name for names in LEVEL2_CHOICES.values() for name in names]
        current = getattr(item, field)
        choices = [(o, o) for o in options] + [(OTHER, "其他（自行输入）⋯")]
        self._choose(f"第 {grid._row + 1} 项：{INDICATOR_FIELDS[field]}", choices, current,
                     grid._row, field)

    def _replace(self, change: Callable[[Project], Project], row: int) -> None:
        """Post the change to the project; the cursor goes to `row` (which the answering show()
        brings)."""
        grid = self.grid
        old, grid._row = grid._row, max(0, row)
        grid._tab_start = None
        grid._refresh_row(old)
        grid._refresh_row(grid._row)
        grid.refresh(Region(0, 0, grid._view_size().width, 1))
        grid._post_replace(change)

    def add_below(self) -> None:
        grid = self.grid
        self._add(grid._row + 1 if grid._model.views else 0)

    def add_above(self) -> None:
        grid = self.grid
        self._add(grid._row)

    def _add(self, index: int) -> None:
        grid = self.grid
        grid._col = FIELDS.index("name")
        self._replace(lambda project: add_indicator(project, index), index)

    def delete(self) -> None:
        from tui.ui.screens.pick import PickScreen

        grid = self.grid
        if not grid._model.views:
            return
        row = grid._row
        item = grid._project.indicators[row]
        title = f"删除第 {row + 1} 项指标“{item.name or '（未命名）'}”？"

        def answered(value: str | None) -> None:
            if value == "delete" and row < len(grid._project.indicators):
                self._replace(lambda project: delete_indicator(project, row),
                              min(row, len(grid._project.indicators) - 2))

        grid.app.push_screen(PickScreen(title, [("delete", "删除"), ("keep", "取消")],
                                        anchor=self._anchor()), answered)

    def move_indicator(self, delta: int) -> None:
        grid = self.grid
        if not grid._model.views:
            return
        row = grid._row
        _moved, new = move_indicator(grid._project, row, delta)
        if new != row:
            self._replace(lambda project: move_indicator(project, row, delta)[0], new)
