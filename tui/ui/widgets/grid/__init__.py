"""The editable indicator table (绩效指标), drawn line by line so one keystroke repaints one row.

- `columns`: the columns, their widths for a view, and text fitted to a width;
- `rows`: the row model (what each row shows, and its marks) and the status line's text;
- `cell`: the edit field's text and caret, and how it is drawn over a cell;
- `painter`: header, rows and status line drawn as strips, cached per row (and their styles);
- `keys`: the grid's bindings;
- `state`: the grid as its parts see it (`GridView`); the parts the grid holds:
  `moves` (cursor, selection of rows), `copying` (copy, paste of cells), `editor` (typing into a
  cell), `actions` (lists, add, delete, move, a click);
- `widget`: `IndicatorGrid` itself: state, messages, `show()`, drawing glue, keys to its parts.
"""

from tui.ui.widgets.grid.columns import COLUMNS, ELLIPSIS, FIELDS, Column, fit
from tui.ui.widgets.grid.rows import RowView, score_text
from tui.ui.widgets.grid.widget import IndicatorGrid

__all__ = ["COLUMNS", "ELLIPSIS", "FIELDS", "Column", "IndicatorGrid", "RowView", "fit",
           "score_text"]
