"""What a close must be before it is stored or used."""

from __future__ import annotations

from decimal import Decimal

# No US-listed share trades near ten million dollars (BRK.A is under one million).
MAX_CLOSE = Decimal(10_000_000)


def close_problem(value: Decimal) -> str | None:
    """Why `value` cannot be a close, or None when it can."""
    if not value.is_finite():
        return f"{value} is not a finite number"
    if value <= 0:
        return f"{value} is not a positive price"
    if value >= MAX_CLOSE:
        return f"{value} is beyond the sane bound of {MAX_CLOSE}"
    return None
