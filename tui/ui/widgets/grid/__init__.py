"""The editable indicator table (绩效指标), drawn line by line so one keystroke repaints one row.

- `columns`: the columns, their widths for a view, and text fitted to a width;
- `rows`: the row model (what each row shows, and its marks) made from a project;
- `editor`: the edit field: its text and caret, its keys, how it is drawn over a cell;
- `painter`: header, rows and status line drawn as strips, cached per row;
- `actions`: cursor moves and the actions on indicators (lists, add, delete, move);
- `widget`: `IndicatorGrid` itself: bindings, messages, `show()`, drawing glue.
"""

from tui.ui.widgets.grid.columns import COLUMNS, ELLIPSIS, FIELDS, Column, fit
from tui.ui.widgets.grid.rows import RowView, score_text
from tui.ui.widgets.grid.widget import IndicatorGrid

__all__ = ["COLUMNS", "ELLIPSIS", "FIELDS", "Column", "IndicatorGrid", "RowView", "fit",
           "score_text"]
