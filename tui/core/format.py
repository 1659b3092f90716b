"""How numbers are shown: every figure on screen, in print and in JSON goes through here."""

from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

_CENT = Decimal("0.01")
_STEPS = tuple(Decimal(1).scaleb(-places) for places in range(11))  # 1, 0.1, … 0.0000000001
# Every digit kept whatever the size (the default context's 28 digits made 10^40 raise).
_WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def fixed(value: Decimal | None, places: int = 2) -> str:
    """A figure with a fixed number of decimals ("99.87"). Scores arrive already quantized by the
    rule profile; this only pads (5 → "5.00"), so its rounding never changes a printed digit."""
    if value is None:
        return ""
    # Most arrive with exactly `places` decimals, which quantize keeps as they are: their text
    # as it is, at half the cost (a folder check formats tens of figures a record).
    text = f"{value:f}"
    dot = text.find(".")
    if (len(text) - dot - 1 == places) if dot >= 0 else places == 0:
        return text
    step = _STEPS[places] if 0 <= places < len(_STEPS) else Decimal(1).scaleb(-places)
    return f"{value.quantize(step, rounding=ROUND_HALF_UP, context=_WIDE):f}"


def amount(value: Decimal | None) -> str:
    """Money as printed: thousands separators, at least two decimals ("1,248.00") and every decimal
    it was given ("89.974" stays so); a blank cell (None) is empty."""
    if value is None:
        return ""
    exponent = value.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    step = _CENT if places == 2 else Decimal(1).scaleb(-places)
    return f"{value.quantize(step, rounding=ROUND_HALF_UP, context=_WIDE):,f}"


def plain(value: Decimal) -> str:
    """A decimal as it is stored in a record: no exponent, the digits as given ("1248.00")."""
    return f"{value:f}"


BLANK_CELL = "—"  # how a blank amount or rate is shown: not a zero, and not a missing figure


def cell(text: str) -> str:
    """A figure's text, or the blank mark when there is none."""
    return text or BLANK_CELL
