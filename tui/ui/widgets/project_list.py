"""The project list: one line per project with its total, grade and execution rate.

A line-API widget (STYLE.md: DataTable measures every cell, this one renders only the rows on
screen), so a folder of thousands of projects scrolls, sorts and filters at once. Rows are plain
data (`Entry`) the screen builds and updates. Names are user text: segments, never markup."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.format import fixed
from tui.core.messages import visible
from tui.ui.widgets.entry import Entry, fold as _fold

SORTS = {"file": "文件", "name": "名称", "total": "总分", "rate": "执行率"}


@lru_cache(maxsize=8192)
def pinyin_key(name: str) -> tuple[tuple[str, ...], str]:
    """A name's place in a list sorted by pinyin, as a Chinese reader expects (残… before 信…,
    homophones by tone); letters and digits as they are. pypinyin is loaded on the first call
    only: it takes a third of a second, more than the app's start."""
    from pypinyin import Style, lazy_pinyin

    return tuple(s.casefold() for s in lazy_pinyin(name, style=Style.TONE3)), name


# A grade not final while errors remain is marked ？ (the score bar says 优（未定：2 个错误）):
# two cells, so one such project does not widen the column of every line by six.
PENDING_MARK = "？"
GRADE_CELLS = 4  # 等级, 优？


def grade_text(entry: Entry) -> str:
    """The grade as the list shows it: 优, 优？ while errors leave it open."""
    return f"{entry.grade}{PENDING_MARK}" if entry.errors else entry.grade


def _fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells (CJK counts two), cut with ⋯ when too long.
    Marks are never East-Asian-ambiguous (… ● ▲ are drawn two columns wide by some terminals
    and would shift the columns): ⋯ ＊ ▴ ▾ have one width everywhere."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        # Cut to width-1 cells; a wide character cut in half leaves a pad space: drop it, so the
        # ⋯ follows the text, and pad after it.
        text = set_cell_size(text, width - 1).rstrip(" ") + "⋯"
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class ProjectList(ScrollView, can_focus=True):
    """Projects of the folder; the first line is a fixed header naming the columns."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "上一个", show=False, id="list.up"),
        Binding("down", "cursor(1)", "下一个", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "上一页", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "下一页", show=False, id="list.page_down"),
        Binding("home", "edge(0)", "第一个", show=False, id="list.first"),
        Binding("end", "edge(1)", "最后一个", show=False, id="list.last"),
        Binding("enter", "open", "编辑所选项目", show=False, id="list.open"),
        Binding("delete", "screen.delete_project", "删除项目（可撤销）", show=False,
                id="list.delete"),
        Binding("ctrl+c", "copy", "复制（标记的项目或当前项目）", show=False, id="list.copy"),
        Binding("space", "toggle_mark", "标记 / 取消标记（导出用）并移到下一个", show=False,
                id="list.mark"),
    ]
    COMPONENT_CLASSES = {
        "project-list--header", "project-list--cursor", "project-list--dirty",
        "project-list--muted", "project-list--marked", "project-list--pending",
    }
    DEFAULT_CSS = """
    ProjectList {
        height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; scrollbar-gutter: stable;
    }
    ProjectList > .project-list--header { text-style: bold; color: $text-muted; }
    ProjectList > .project-list--cursor { background: $boost; }
    ProjectList:focus > .project-list--cursor { background: $accent 50%; text-style: bold; }
    ProjectList > .project-list--dirty { color: $warning; text-style: bold; }
    ProjectList > .project-list--muted { color: $text-muted; }
    ProjectList > .project-list--marked { color: $success; text-style: bold; }
    ProjectList > .project-list--pending { color: $error; }
    """

    cursor: reactive[int] = reactive(-1, always_update=False, init=False)

    class Highlighted(Message):
        """The cursor moved onto a project (the editor shows it at once)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Opened(Message):
        """Enter on a project: the user wants to edit it."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class TypedFilter(Message):
        """A printable key or backspace pressed in the list: it goes to the filter."""

        def __init__(self, character: str | None) -> None:
            super().__init__()
            self.character = character  # None for backspace

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entries: dict[str, Entry] = {}
        self.rows: list[Entry] = []  # shown: filtered and sorted
        self.sort = "file"
        self.descending = False
        self.query_text = ""
        self._order: dict[str, int] = {}  # key -> arrival order (file order)
        self.marked: set[str] = set()  # keys marked with Space (what an export takes)
        self.grade_cells = GRADE_CELLS  # the widest grade listed (不评级？: 8), at least 优？
        # Lines from the folder's index not yet checked against their files (a start checks
        # those on screen first, the rest in the loading thread): drawn without their figures.
        self.unchecked: set[str] = set()

    # -- data --------------------------------------------------------------------------------

    def expect(self, keys: list[str]) -> None:
        """The file order of projects whose lines come in another order (index, then records)."""
        for key in keys:
            self._order.setdefault(key, len(self._order))

    def add(self, entries: list[Entry], unchecked: set[str] | None = None) -> None:
        """Add or replace entries (`unchecked`: those not checked against their files yet)."""
        for entry in entries:
            self._order.setdefault(entry.key, len(self._order))
            self.entries[entry.key] = entry
        self.unchecked.difference_update(e.key for e in entries)  # made from their records
        self._rebuild(unchecked)

    def mark_checked(self, keys) -> None:
        """Lines found still true to their files: shown with their figures."""
        self.unchecked.difference_update(keys)
        self.grade_cells = max(self.grade_cells, self._widest(k for k in keys if k in self.entries))
        self.refresh()

    def _widest(self, keys) -> int:  # of checked lines (优？ fits GRADE_CELLS)
        return max([GRADE_CELLS, *(cell_len(grade_text(e)) for k in keys if len((e := self.entries[k]).grade) > 1)])

    def on_screen(self, height: int) -> list[str]:
        """The keys of the lines `height` lines of the list would show now."""
        return [e.key for e in self.rows[int(self.scroll_y):int(self.scroll_y) + height]]

    def update_entry(self, entry: Entry) -> None:
        """One project changed (a score, its name, its dirty mark): repaint its line only,
        unless the change moves it in the sort order or in or out of the filter."""
        old = self.entries.get(entry.key)
        self.entries[entry.key] = entry
        self.unchecked.discard(entry.key)  # made from its record
        if old is None:
            self.add([entry])
            return
        if cell_len(grade_text(entry)) > self.grade_cells:
            self.grade_cells = cell_len(grade_text(entry))
            self.refresh()  # the grade column widened: every line moves
        moved = (self.sort == "name" and old.name != entry.name) or \
                (self.sort == "total" and old.total != entry.total) or \
                (self.sort == "rate" and old.rate != entry.rate) or \
                (self.query_text and old.search != entry.search)
        if moved:
            self._rebuild()
            return
        for i, row in enumerate(self.rows):
            if row.key == entry.key:
                self.rows[i] = entry
                self.refresh_row(i)
                break

    def refresh_row(self, index: int) -> None:
        y = index + 1 - int(self.scroll_y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def set_sort(self, sort: str) -> None:
        """Sort by `sort`; asking for the current sort again reverses it."""
        if sort == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = sort, sort in ("total", "rate")
        self._rebuild()

    def set_filter(self, text: str) -> None:
        self.query_text = text
        self._rebuild()

    def _matches(self, entry: Entry, terms: list[str]) -> bool:
        return all(term in entry.search for term in terms)

    def _rebuild(self, unchecked: set[str] | None = None) -> None:
        current = self.current_key
        self.unchecked = {k for k in self.unchecked if k in self.entries} | (unchecked or set())
        terms = _fold(self.query_text).split()
        rows = [e for e in self.entries.values() if self._matches(e, terms)] if terms \
            else list(self.entries.values())
        if self.sort == "name":
            rows.sort(key=lambda e: (pinyin_key(e.name), self._order[e.key]),
                      reverse=self.descending)
        elif self.sort == "total":
            rows.sort(key=lambda e: (e.total, e.name), reverse=self.descending)
        elif self.sort == "rate":
            rows.sort(key=lambda e: (e.rate is not None, e.rate or 0, e.name), reverse=self.descending)
        else:
            rows.sort(key=lambda e: self._order[e.key], reverse=self.descending)
        self.rows = rows
        self.grade_cells = self._widest(k for k in self.entries if k not in self.unchecked)
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) + 1)
        index = next((i for i, e in enumerate(rows) if e.key == current), None)
        if index is None:
            index = 0 if rows else -1
        if index != self.cursor:
            self.cursor = index
        else:
            self._post_highlight()
        self._scroll_to_cursor()
        self.refresh()

    @property
    def current_key(self) -> str | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].key
        return None

    def select_key(self, key: str) -> bool:
        """Put the cursor on a project (clearing the filter if it hides it)."""
        index = next((i for i, e in enumerate(self.rows) if e.key == key), None)
        if index is None and key in self.entries and self.query_text:
            self.query_text = ""
            self._rebuild()
            index = next((i for i, e in enumerate(self.rows) if e.key == key), None)
        if index is None:
            return False
        self.cursor = index
        return True

    # -- marks -------------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        """Space: mark the project under the cursor (or unmark it) and move on to the next."""
        key = self.current_key
        if key is None:
            return
        self.marked ^= {key}
        self.refresh()  # the mark column widens with the first mark; the header counts them
        self.action_cursor(1)

    def action_copy(self) -> None:
        """Ctrl+C: the marked projects (else the one under the cursor) as tab-separated rows
        with a header line, as the list shows them, for Excel or WPS."""
        from tui.ui.clipboard import to_tsv

        rows = [e for e in self.rows if e.key in self.marked] or \
            ([self.rows[self.cursor]] if 0 <= self.cursor < len(self.rows) else [])
        if not rows:
            return
        if any(e.key in self.unchecked for e in rows):  # figures not checked yet: none copied
            self.notify("正在核对项目文件，请稍候再复制", timeout=2, markup=False)
            return
        table = [["项目名称", "年度", "总分", "等级", "执行率(%)", "文件"]] + [
            [e.name, str(e.year or ""), fixed(e.total), e.grade, fixed(e.rate), e.file] for e in rows]
        self.app.copy_to_clipboard(to_tsv(table))
        self.notify(f"已复制 {len(rows)} 个项目（制表符分隔）", timeout=2, markup=False)

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    # -- cursor ------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)
        self._scroll_to_cursor()
        self._post_highlight()

    def _post_highlight(self) -> None:
        if (key := self.current_key) is not None:
            self.post_message(self.Highlighted(key))

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if self.cursor < 0:
            return
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - 2))

    def action_edge(self, end: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if end else 0

    def action_open(self) -> None:
        if (key := self.current_key) is not None:
            self.post_message(self.Opened(key))

    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace":
            event.stop()
            self.post_message(self.TypedFilter(None))
        elif event.is_printable and event.character and event.character != " ":
            event.stop()
            self.post_message(self.TypedFilter(event.character))

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= row < len(self.rows):
            self.cursor = row
            if event.chain >= 2:
                self.action_open()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) + 1)
        self._scroll_to_cursor()

    # -- drawing -----------------------------------------------------------------------------

    def _columns(self, width: int) -> tuple[int, int, int, int, int]:
        """Cells for: marks (✓ marked, ＊ unsaved), name, total, grade, rate; the grade column a
        cell wider than its widest grade, so a long one (不评级？) never runs into the total."""
        grade = 1 + self.grade_cells
        mark, total, rate = 3 if self.marked else 2, 7, 9
        name = max(4, width - mark - total - grade - rate)
        return mark, name, total, grade, rate

    def _header(self, width: int) -> str:
        mark, name, total, grade, rate = self._columns(width)
        arrow = "▾" if self.descending else "▴"
        titles = {"name": "项目名称", "total": "总分", "rate": "执行率"}
        if self.sort in titles:
            titles[self.sort] += arrow
        shown = f"{len(self.rows)}/{len(self.entries)}" if self.query_text else f"{len(self.rows)}"
        if self.marked:
            shown += f"，✓{len(self.marked)}"
        # While filtering the count says most: 项目名称 gives way before it is cut (12/12⋯).
        heads = (f"{titles['name']}（{shown}）", f"{titles['name'][2:]}（{shown}）", f"（{shown}）",
                 shown)
        head = next((h for h in heads if cell_len(h) <= name), heads[-1])
        return (" " * mark + _fit(head, name) + _fit(titles["total"], total, True)
                + _fit("等级", grade, True) + _fit(titles["rate"], rate, True))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # without the scrollbar
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("project-list--header")
            return Strip([Segment(_fit(self._header(width), width), style)], width)
        index = int(self.scroll_y) + y - 1
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        entry = self.rows[index]
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("project-list--cursor")
        if entry.key in self.unchecked:  # its line may be stale: nothing of it is shown yet
            muted = style + self.get_component_rich_style("project-list--muted")
            return Strip([Segment(_fit("  核对中⋯", width), muted)], width)
        mark_w, name_w, total_w, grade_w, rate_w = self._columns(width)
        dirty = style + self.get_component_rich_style("project-list--dirty")
        name = visible(entry.name) or "（未命名）"
        name_style = style if entry.name else style + self.get_component_rich_style("project-list--muted")
        segments = [
            Segment(_fit("＊" if entry.dirty else "", 2), dirty),
            Segment(_fit(name, name_w), name_style),
            Segment(_fit(fixed(entry.total, entry.places[0]), total_w, True), style),
            Segment(_fit(grade_text(entry), grade_w, True),
                    style + self.get_component_rich_style("project-list--pending") if entry.errors else style),
            Segment(_fit(f"{fixed(entry.rate, entry.places[1])}%" if entry.rate is not None else "—",
                         rate_w, True), style),
        ]
        if self.marked:  # ✓ is one cell everywhere (East-Asian width N)
            marked = style + self.get_component_rich_style("project-list--marked")
            segments.insert(0, Segment("✓" if entry.key in self.marked else " ", marked))
        return Strip(segments, width).crop_extend(0, width, style)

