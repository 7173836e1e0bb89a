"""The read side: what the public API and the pages show, read through one connection.

Queries here return domain types; the track record is read in `db.track_record` (only its
route and the dashboard load its statistics). Database errors are left to the boundary
(the resolver, the page) to translate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
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
from alpha_monday.domain.errors import BatchNotFound
from alpha_monday.domain.model import BatchDetail, BatchPage, FeedWeek, Week


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


def views(connect: Callable[[], psycopg.Connection]) -> PublishedViews:
    return PublishedViews(connect())
