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


def unpack(packed: str) -> Line:
    """The `Line` of a packed row."""
    (_stamp, year, adjusted, executed, rate, total, total_places, rate_places, errors,
     n_id, n_name, n_dept, n_unit, texts) = packed.split(SEP, PARTS)
    a = int(n_id)
    b = a + int(n_name)
    c = b + int(n_dept)
    d = c + int(n_unit)
    return Line(texts[:a], texts[a:b], int(year), texts[b:c], texts[c:d], adjusted or None,
                executed or None, rate or None, total or None, texts[d:], int(total_places),
                int(rate_places), int(errors))
