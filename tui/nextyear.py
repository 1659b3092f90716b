"""Next year's form from this year's: the same project, indicators, targets, weights and layout,
with everything the year's work fills in cleared (amounts, actuals, scores, reasons, 实际完成情况),
a new id, and this year's id kept as its `predecessor`. No Textual, no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from .model import Amounts, Funding, Project

_BLANK = Amounts(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))  # as a new form prints them


def next_year(project: Project) -> Project:
    funding = Funding(weight=project.funding.weight, appropriation=_BLANK, carried_over=_BLANK,
                      other=_BLANK)
    items = tuple(replace(item, actual="", score=None, reason="") for item in project.indicators)
    return replace(project, id=str(uuid.uuid4()), predecessor=project.id,
                   year=project.year + 1 if project.year else 0, funding=funding, achieved="",
                   indicators=items)


def default_folder(folder, year: int):
    """Where next year's records go: beside a folder named for this year (samples/2023 ->
    samples/2024), else the same folder."""
    from pathlib import Path

    folder = Path(folder)
    if year and folder.name == str(year):
        return folder.parent / str(year + 1)
    return folder
