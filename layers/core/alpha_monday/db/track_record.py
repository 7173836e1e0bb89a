"""The rows the track record is computed from: every pick of every entry of the completed
batches of some origins, with its contender and its score at its last computed checkpoint
(one statement)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import psycopg
from psycopg.rows import class_row

from alpha_monday.domain.model import BatchOrigin, ScoredPick
from alpha_monday.domain.track_record import TrackRecord, track_record

_SCORED_PICKS_SQL = """
SELECT b.id AS batch_id, b.run_date, e.contender, e.kind, e.model, e.prompt_version,
       p.ticker, p.action,
       last.vs_benchmark_pct, last.absolute_return_pct, last.benchmark_return_pct,
       last.checkpoint_date AS final_date
FROM batches b
JOIN entries e ON e.batch_id = b.id
JOIN picks p ON p.entry_id = e.id
LEFT JOIN LATERAL (
    SELECT m.vs_benchmark_pct, m.absolute_return_pct, c.benchmark_return_pct, c.checkpoint_date
    FROM pick_checkpoint_metrics m
    JOIN checkpoints c ON c.id = m.checkpoint_id
    -- c.batch_id: implied by the pick, and it lets the batch's index find its days (a
    -- scan of every checkpoint per pick grew with the history squared).
    WHERE m.pick_id = p.id AND c.batch_id = b.id AND c.status = 'computed'
    ORDER BY c.checkpoint_date DESC
    LIMIT 1
) last ON true
WHERE b.status = 'completed' AND b.origin = ANY(%s)
ORDER BY b.run_date, e.position, p.ticker
"""


def scored_picks(conn: psycopg.Connection, origins: Sequence[BatchOrigin]) -> list[ScoredPick]:
    with conn.cursor(row_factory=class_row(ScoredPick)) as cursor:
        return cursor.execute(_SCORED_PICKS_SQL, (list(origins),)).fetchall()


def track_record_of(
    conn: psycopg.Connection, origins: Sequence[BatchOrigin], power_edge_pct: Decimal
) -> TrackRecord:
    """The track record of the completed batches of `origins`, from their stored scores."""
    return track_record(scored_picks(conn, origins), power_edge_pct)
