"""Where a batch stands among the published ones, for the edge cache's invalidation."""

from __future__ import annotations

from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from alpha_monday.domain.errors import BatchNotFound
from alpha_monday.domain.published_paths import ChangeKind, PublishedChange

_STANDING_SQL = """
SELECT b.run_date, b.origin,
       (SELECT count(*) FROM batches n WHERE n.run_date > b.run_date) AS newer_batches,
       (SELECT max(p.run_date) FROM batches p WHERE p.run_date < b.run_date) AS previous_run_date,
       (SELECT min(n.run_date) FROM batches n WHERE n.run_date > b.run_date) AS next_run_date
FROM batches b WHERE b.id = %(batch_id)s
"""


def published_change(conn: psycopg.Connection, batch_id: UUID, kind: ChangeKind) -> PublishedChange:
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(_STANDING_SQL, {"batch_id": batch_id}).fetchone()
    if row is None:
        raise BatchNotFound(f"no batch with id {batch_id}")
    return PublishedChange(kind=kind, batch_id=batch_id, **row)
