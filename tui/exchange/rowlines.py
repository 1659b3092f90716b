"""Cells split by spaces, a row to a line (``pdftotext -layout``): each line's level labels, its
name, then its values placed in the columns' order; a line of words alone under a row is the
wrapped lines of the row's cells, joined to the cell each stands under. Pure, no I/O, no Textual.
"""

from __future__ import annotations

from tui.exchange import formvocab as V
from tui.exchange.rowplace import by_columns
from tui.exchange.rowwords import FIG as _FIG, LEVEL1_WEIGHT as _LEVEL1_WEIGHT, flat as _flat, is_level1, is_level2
from tui.exchange.rowwords import nospace as _nospace, sq as _sq
from tui.exchange.textcells import TextCell


def _open_level(row: dict) -> bool:
    """Whether a row's next cell may still be a level-2 label: none read yet, or the one read is a
    level 1's name (满意度指标) with no level 1 before it."""
    return "level2" not in row or ("level1" not in row and _sq(row["level2"]) in V.LEVEL1)


def row_lines(cells: list[TextCell], post: list[str], notes: list[str]) -> list[dict] | None:
    """Cells split by spaces, a row to a line (``pdftotext -layout``): a line's level labels, its
    name, then its values in the columns' order (`by_columns`), words (合格, 及时) as well as
    figures; a line of one word under a row is its wrapped name (or reason), said in `notes`. None
    where the lines are not rows (cells run together): the cells are then read one after another
    (`_loose`)."""
    screen = _screen_starts(cells)
    by_line: dict[int, list[TextCell]] = {}
    for c in cells:
        if c.text.strip() not in ("……", "…", "...") and _sq(c.text) not in V.SECTIONS:
            by_line.setdefault(c.line, []).append(c)
    rows: list[dict] = []
    said: list[str] = []
    for n, line in by_line.items():
        texts = [c.text.strip() for c in line]
        row: dict = {"line": n}
        while texts and (_LEVEL1_WEIGHT.match(_flat(texts[0])) or is_level1(texts[0])
                         or is_level2(texts[0], short=len(texts) > 2 and _open_level(row))):
            if weight := _LEVEL1_WEIGHT.match(_flat(texts[0])):
                rows.append({"level1_weight": weight[1], "line": n})
            elif is_level2(texts[0], short=True):
                if "level2" in row and "level1" not in row:  # 满意度指标 服务对象满意度指标
                    row["level1"] = row.pop("level2")
                row["level2"] = _nospace(texts[0])
            else:
                row["level1"] = _nospace(texts[0])
            texts = texts[1:]
        if not texts:
            rows.append(row)
            continue
        last = rows[-1] if rows and "name" in rows[-1] else None
        if last and len(row) == 1 and _wrapped(line, last, said, screen):
            continue  # the wrapped lines of the row above's cells
        values = by_columns(texts[1:], post) if len(texts) > 1 else None
        if values is None and "level2" not in row and len(texts) > 2:
            # a level-2 label of the form's own (项目目标), then the name
            row["level2"], texts = texts[0], texts[1:]
            values = by_columns(texts[1:], post)
        if values is None:
            return None
        rows.append({**row, "name": texts[0], **values, "xs": _starts(line[len(line) - len(texts):], values, screen)})
    notes += said  # (only when the lines are rows)
    return rows


_WORDED = ("name", "target", "actual", "reason")


def _screen_starts(cells: list[TextCell]) -> dict[int, int]:
    """Where each placed cell starts on its line in screen cells (a CJK character two), by id:
    its place in characters plus the extra width of the wide characters before it."""
    from rich.cells import cell_len

    out: dict[int, int] = {}
    line, extra = -1, 0
    for c in cells:
        if c.x < 0:
            continue
        if c.line != line:
            line, extra = c.line, 0
        out[id(c)] = c.x + extra
        extra += cell_len(c.text) - len(c.text)
    return out


def _starts(line: list[TextCell], values: dict, screen: dict[int, int]) -> dict[str, tuple[int, int]]:
    """Where the row's name and worded cells start on its line, in both measures (unknown left out)."""
    xs = {"name": (line[0].x, screen[id(line[0])])} if line[0].x >= 0 else {}
    for key in _WORDED[1:]:
        at = next((c for c in line[1:] if c.x >= 0 and values.get(key, "").startswith(c.text.strip())), None)
        if at is not None and values.get(key):
            xs[key] = (at.x, screen[id(at)])
    return xs


def _wrapped(line: list[TextCell], last: dict, said: list[str], screen: dict[int, int]) -> bool:
    """A line of words alone under a row (no figure): its cells' wrapped lines, each joined to the
    cell it stands under: the nearest start on the row's line (the name, target, actual or reason),
    measured in characters (pdftotext -layout) or in screen cells (lined up by eye), whichever
    lines the words up better. Without the places (text not laid out), one word is the name's
    (the narrow column). Said."""
    if any(_FIG.match(_flat(c.text)) for c in line):
        return False
    xs = last.get("xs", {})
    if not xs or any(c.x < 0 for c in line):
        if len(line) != 1:
            return False
        keys = ["name"]
    else:
        fits = []
        for m in (0, 1):  # characters, then screen cells
            at = [(c.x, screen[id(c)])[m] for c in line]
            near = [min(xs, key=lambda k: abs(xs[k][m] - x)) for x in at]
            fits.append((sum(abs(xs[k][m] - x) for k, x in zip(near, at)), m, near))
        keys = min(fits)[2]
        if len(set(keys)) != len(keys):
            return False
    for c, key in zip(line, keys):
        last[key] += c.text.strip()
        said.append(f"第 {c.line} 行“{c.text.strip()}”单独一行，当作第 {last['line']} 行{_LABELS[key]}的折行，接在其后")
    return True


_LABELS = {"name": "指标名称", "target": "年度指标值", "actual": "实际完成值", "reason": "偏差原因"}
