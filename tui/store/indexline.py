"""A record's row in the folder index (tui.store.index) as one text: the file's stamp, the digest
of its bytes and the list's `Line`, packed so that a start fetches one column for each of 10,000
records (twenty columns each cost it 24 ms, one 8). No Textual.

The figures and numbers are joined by `SEP` (none of them can hold it); the texts (id, name,
department, money unit, grade: anything a user typed) follow by their lengths, so that no text
can break a row."""

from __future__ import annotations

import os
from typing import NamedTuple

SEP = "\x1f"
PARTS = 13  # stamp and digest, year, four figures, two places, errors; four texts' lengths


class Line(NamedTuple):
    """What the app's list shows of a record. Figures exact, as text; amounts in the record's
    money_unit."""

    id: str
    name: str
    year: int
    department: str
    money_unit: str
    adjusted: str | None
    executed: str | None
    rate: str | None
    total: str | None
    grade: str
    total_places: int
    rate_places: int
    error_count: int


Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: what changes with the file


def stamp_of(st: os.stat_result) -> Stamp:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def pack(stamp: Stamp, sha256: str, line: Line) -> str:
    texts = (line.id, line.name, line.department, line.money_unit, line.grade)
    return SEP.join([" ".join([*map(str, stamp), sha256]), str(line.year),
                     *(v or "" for v in (line.adjusted, line.executed, line.rate, line.total)),
                     str(line.total_places), str(line.rate_places), str(line.error_count),
                     *(str(len(t)) for t in texts[:4]), "".join(texts)])  # the grade: the rest


def stamp_in(packed: str) -> tuple[Stamp, str]:
    """The stamp and the digest a packed row was made with."""
    size, mtime, ctime, inode, sha256 = packed[:packed.index(SEP)].split(" ")
    return (int(size), int(mtime), int(ctime), int(inode)), sha256


def split(packed: str) -> tuple[list[str], list[str]]:
    """A packed row's eight figures as text (year, adjusted, executed, rate, total, total places,
    rate places, errors) and its five texts (id, name, department, money unit, grade). The one
    reader of the format: ValueError if the row is damaged."""
    parts = packed.split(SEP, PARTS)
    if len(parts) != PARTS + 1:
        raise ValueError(f"a damaged row: {len(parts)} parts")
    texts = parts[PARTS]
    a = int(parts[9])
    b = a + int(parts[10])
    c = b + int(parts[11])
    d = c + int(parts[12])
    return parts[1:9], [texts[:a], texts[a:b], texts[b:c], texts[c:d], texts[d:]]


def unpack(packed: str) -> Line:
    """The `Line` of a packed row."""
    (year, adjusted, executed, rate, total, total_places, rate_places, errors), \
        (id_, name, department, unit, grade) = split(packed)
    return Line(id_, name, int(year), department, unit, adjusted or None, executed or None,
                rate or None, total or None, grade, int(total_places), int(rate_places),
                int(errors))
