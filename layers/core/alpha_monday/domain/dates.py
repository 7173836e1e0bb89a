"""Dates as people and URLs write them (no calendar: the read path stays light)."""

from __future__ import annotations

import re
from datetime import date

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(text: str) -> date:
    """A `YYYY-MM-DD` date only (Python also reads `20260601`, which users never mean)."""
    if not ISO_DATE.fullmatch(text):
        raise ValueError("expected a date as YYYY-MM-DD")
    return date.fromisoformat(text)
