"""The read side: what the public API shows."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from alpha_monday.db.batches import get_batch_detail, get_latest_batch_detail, list_batches
from alpha_monday.db.connection import get_connection
from alpha_monday.db.models import BatchDetail, BatchOrigin, BatchPage
from alpha_monday.db.track_record import scored_picks
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.domain.track_record import TrackRecord, track_record
from alpha_monday.errors import BatchNotFound


def check_database() -> None:
    """Raises DatabaseUnavailable unless the database answers a query now."""
    with translated_database_errors():
        get_connection().execute("SELECT 1")


def latest_batch() -> BatchDetail:
    with translated_database_errors():
        detail = get_latest_batch_detail(get_connection())
    if detail is None:
        raise BatchNotFound("no batch has been recorded yet")
    return detail


def batch_detail(batch_id: UUID) -> BatchDetail:
    with translated_database_errors():
        return get_batch_detail(get_connection(), batch_id)


def batches_page(limit: int, before: date | None) -> BatchPage:
    with translated_database_errors():
        return list_batches(get_connection(), limit=limit, before=before)


def track_record_of(origins: tuple[BatchOrigin, ...]) -> TrackRecord:
    with translated_database_errors():
        rows = scored_picks(get_connection(), origins)
    return track_record(rows)
