"""The read side: what the public API and the pages show, read through one connection.

Queries here return domain types; the track record's figures are computed by the domain
from the stored scores. Database errors are left to the boundary (the resolver, the page)
to translate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID

import psycopg

from alpha_monday.db.batches import (
    get_batch_detail,
    get_latest_batch_detail,
    get_week,
    list_batches,
    newer_page_before,
    recent_weeks,
)
from alpha_monday.db.open_data import open_table_csv
from alpha_monday.db.track_record import scored_picks
from alpha_monday.db.translate import domain_error
from alpha_monday.domain.errors import BatchNotFound, DatabaseUnavailable
from alpha_monday.domain.model import BatchDetail, BatchOrigin, BatchPage, FeedWeek, Week
from alpha_monday.domain.track_record import TrackRecord, track_record


class PublishedViews:
    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    def latest_batch(self) -> BatchDetail:
        detail = get_latest_batch_detail(self._conn)
        if detail is None:
            raise BatchNotFound("no batch has been recorded yet")
        return detail

    def batch_detail(self, batch_id: UUID) -> BatchDetail:
        return get_batch_detail(self._conn, batch_id)

    def open_table_csv(self, table: str) -> str:
        return open_table_csv(self._conn, table)

    def recent_weeks(self, limit: int) -> list[FeedWeek]:
        return recent_weeks(self._conn, limit)

    def week(self, run_date: date) -> Week:
        return get_week(self._conn, run_date)

    def newer_page_before(self, before: date, limit: int) -> date | None:
        return newer_page_before(self._conn, before, limit)

    def batches_page(self, limit: int, before: date | None) -> BatchPage:
        return list_batches(self._conn, limit=limit, before=before)

    def track_record_of(
        self, origins: tuple[BatchOrigin, ...], power_edge_pct: Decimal
    ) -> TrackRecord:
        return track_record(scored_picks(self._conn, origins), power_edge_pct)


def views(connect: Callable[[], psycopg.Connection]) -> PublishedViews:
    return PublishedViews(connect())


def database_answers(connect: Callable[[], psycopg.Connection]) -> bool:
    """True when the database answers a query now (a connection, then `SELECT 1`); an error
    that is not the database being unavailable is raised, as on every other route."""
    try:
        connect().execute("SELECT 1")
    except DatabaseUnavailable:
        return False
    except psycopg.Error as error:
        if isinstance(domain_error(error), DatabaseUnavailable):
            return False
        raise
    return True
