"""A project's line in the list (`Entry`): plain data the screen builds from a record or from the
folder's index, and the list shows, sorts and filters. No widget."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Entry:
    """What the list shows of one project (and what the year line adds up)."""

    key: str  # stable for the session: the file path, or "new:<id>" for a project not yet saved
    name: str
    year: int
    file: str
    department: str = ""
    total: Decimal = Decimal(0)
    grade: str = ""
    rate: Decimal | None = Decimal(0)  # None: the budget or the execution is blank
    adjusted: Decimal = Decimal(0)  # 全年预算数 of the total row, in 万元
    executed: Decimal = Decimal(0)
    dirty: bool = False
    errors: int = 0  # while there are any, the total and grade are not final
    places: tuple[int, int] = (2, 2)  # the total's and the rate's, as the rule profile prints them
    record_id: str = ""  # the record's id (next year's records name last year's by it)
    _search: str | None = field(default=None, repr=False, compare=False)

    @property
    def search(self) -> str:
        """What the filter matches: folded on first use (10,000 lines listed at a start are not)."""
        if self._search is None:
            self._search = fold(f"{self.name}\n{self.file}\n{self.department}")
        return self._search

    def reindex(self) -> None:  # after its name, file or department changed
        self._search = None

    def fill(self) -> bool:
        """Have every field at hand (one from the folder index reads its row: screens/indexed.py);
        False if they can't be had (a damaged row)."""
        return True


def fold(text: str) -> str:
    """Text as the filter compares it: NFKC (full-width letters and digits as ASCII), case folded."""
    return unicodedata.normalize("NFKC", text).casefold()
