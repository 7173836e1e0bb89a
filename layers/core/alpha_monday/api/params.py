"""Query and path parameters as the routes take them: one spelling per value."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, cast
from uuid import UUID

from pydantic import BeforeValidator

from alpha_monday.domain.dates import parse_iso_date
from alpha_monday.domain.model import BatchOrigin


def _iso_date_text(value: object) -> object:
    # Lax pydantic would read "0" as a Unix timestamp; a cursor is a YYYY-MM-DD date only.
    return parse_iso_date(value) if isinstance(value, str) else value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]

CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _canonical_uuid_text(value: object) -> object:
    # One batch, one URL: uppercase, braces, no dashes or urn:uuid: would be cached apart.
    if isinstance(value, str) and not CANONICAL_UUID.fullmatch(value):
        raise ValueError("must be a UUID in its canonical form: lowercase, 8-4-4-4-12 digits")
    return value


CanonicalUuid = Annotated[UUID, BeforeValidator(_canonical_uuid_text)]

ORIGIN_LIST = r"^(live|retrospective|simulated)(,(live|retrospective|simulated))*$"


def parse_origins(origin: str) -> tuple[BatchOrigin, ...]:
    """`?origin=` (already matched against ORIGIN_LIST) as origins, each once, in order."""
    return tuple(dict.fromkeys(cast("list[BatchOrigin]", origin.split(","))))
