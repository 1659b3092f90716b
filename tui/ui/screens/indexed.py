"""A project's list line from its row in the folder index (tui.store.index), its fields read from
the row's text when first used (`IndexedEntry`, made by documents.entries_of).

A start lists 10,000 records from the index at once: making every line (parsing its figures)
before the first frame cost it 21 ms, and the first frame draws ~40. Each line keeps its row's
text — the index's numbers, so a sort by total works from them at once — and reads it when a
field is first asked for: when drawn, sorted, or in the loading thread as its file is checked."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from os import sep
from typing import Any

from tui.store.indexline import SEP, split
from tui.ui.widgets.entry import Entry

_WAN = Decimal(10000)
_ONE, _ZERO = Decimal(1), Decimal(0)
_COMPARED = tuple(f.name for f in fields(Entry) if f.compare)
# Scores and places made once for each text (they repeat; amounts don't): at most one for each
# score a profile can print.
_MADE: dict[str, Any] = {}
_BLANK = {"name": "", "year": 0, "department": "", "total": _ZERO, "grade": "", "rate": None,
          "adjusted": _ZERO, "executed": _ZERO, "errors": 0, "places": (2, 2), "record_id": ""}


def _decimal(text: str) -> Decimal:
    found = _MADE.get(text)
    if found is None:
        found = _MADE[text] = Decimal(text)
    return found


def read_row(key: str, text: str) -> dict[str, Any]:
    """The list line's fields of a packed row (read by `indexline.split`, as `unpack` reads
    it): the same figures `documents.entry_for` gives from the record itself; amounts in 万元."""
    (year, adjusted, executed, rate, total, total_places, rate_places, errors), \
        (record_id, name, department, unit, grade) = split(text)
    places = _MADE.get(total_places + SEP + rate_places)
    if places is None:
        places = _MADE[total_places + SEP + rate_places] = (int(total_places), int(rate_places))
    scale = _WAN if unit == "元" else _ONE
    return {"name": name, "year": int(year), "file": key[key.rfind(sep) + 1:],
            "department": department, "total": _decimal(total) if total else _ZERO,
            "grade": grade, "rate": _decimal(rate) if rate else None,
            "adjusted": Decimal(adjusted) / scale if adjusted else _ZERO,
            "executed": Decimal(executed) / scale if executed else _ZERO, "errors": int(errors),
            "places": places, "record_id": record_id}


class _FromRow:
    """A field of an `IndexedEntry`: read from its row the first time it is asked for (then
    the instance's own attribute, which this non-data descriptor gives way to)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, entry: IndexedEntry | None, owner: type | None = None) -> Any:
        if entry is None:
            return self
        entry.fill()
        return entry.__dict__[self.name]


class IndexedEntry(Entry):
    """An `Entry` whose fields are read from its index row's text on first use; equal to the
    Entry with the same fields."""

    name = _FromRow()
    year = _FromRow()
    file = _FromRow()
    department = _FromRow()
    total = _FromRow()
    grade = _FromRow()
    rate = _FromRow()
    adjusted = _FromRow()
    executed = _FromRow()
    errors = _FromRow()
    places = _FromRow()
    record_id = _FromRow()

    def __init__(self, key: str, text: str) -> None:  # not Entry's: the fields come from `text`
        self.key = key
        self._text = text

    def fill(self) -> bool:
        """Read the row now; False if it can't be read (a damaged index: its fields are blank,
        and the loader reads its file instead). Safe from two threads at once: each reads it
        whole before its fields are taken, and a field set meanwhile (a dirty mark) is kept."""
        text = self.__dict__.get("_text")
        if text is None:
            return "_damaged" not in self.__dict__
        try:
            found = read_row(self.key, text)
        except (ValueError, ArithmeticError):  # never a crash while drawn, sorted or shown
            found = {**_BLANK, "file": self.key[self.key.rfind(sep) + 1:]}
            self.__dict__["_damaged"] = True
        for field, value in found.items():
            self.__dict__.setdefault(field, value)
        self.__dict__.pop("_text", None)
        return "_damaged" not in self.__dict__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _COMPARED)

    __hash__ = None  # type: ignore[assignment]  # as Entry's: mutable
