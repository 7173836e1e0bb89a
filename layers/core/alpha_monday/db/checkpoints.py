"""Checkpoint upserts: idempotent on (batch_id, checkpoint_date) and (checkpoint_id, pick_id)."""

from __future__ import annotations

from uuid import UUID, uuid4

import psycopg

from alpha_monday.domain.scoring import DayScore

# A computed checkpoint is never downgraded to skipped by a later, less lucky run.
_UPSERT_CHECKPOINT_SQL = """
INSERT INTO checkpoints
    (id, batch_id, checkpoint_date, status, benchmark_price, benchmark_return_pct, skip_reason,
    rescored_because)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (batch_id, checkpoint_date) DO UPDATE SET
    status = EXCLUDED.status,
    benchmark_price = EXCLUDED.benchmark_price,
    benchmark_return_pct = EXCLUDED.benchmark_return_pct,
    skip_reason = EXCLUDED.skip_reason,
    rescored_because = coalesce(EXCLUDED.rescored_because, checkpoints.rescored_because)
WHERE NOT (checkpoints.status = 'computed' AND EXCLUDED.status = 'skipped')
RETURNING id
"""

_UPSERT_METRIC_SQL = """
INSERT INTO pick_checkpoint_metrics
    (id, checkpoint_id, pick_id, current_price, absolute_return_pct, vs_benchmark_pct)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (checkpoint_id, pick_id) DO UPDATE SET
    current_price = EXCLUDED.current_price,
    absolute_return_pct = EXCLUDED.absolute_return_pct,
    vs_benchmark_pct = EXCLUDED.vs_benchmark_pct
"""


_UPSERT_PICK_SKIP_SQL = """
INSERT INTO pick_checkpoint_skips (id, checkpoint_id, pick_id, reason, held_close)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (checkpoint_id, pick_id)
DO UPDATE SET reason = EXCLUDED.reason, held_close = EXCLUDED.held_close
"""

# An action, once counted, stays published with the first day that counted it.
_INSERT_COUNTED_ACTION_SQL = """
INSERT INTO batch_corporate_actions
    (id, batch_id, symbol, kind, action_date, value, first_counted_on)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (batch_id, symbol, kind, action_date) DO UPDATE SET
    value = EXCLUDED.value,
    first_counted_on = least(batch_corporate_actions.first_counted_on, EXCLUDED.first_counted_on)
"""

# A pick is either scored or skipped on a day: a rerun that scores it drops the skip, and
# the other way round.
_DROP_STALE_METRICS_SQL = (
    "DELETE FROM pick_checkpoint_metrics WHERE checkpoint_id = %s AND NOT (pick_id = ANY(%s))"
)
_DROP_STALE_SKIPS_SQL = (
    "DELETE FROM pick_checkpoint_skips WHERE checkpoint_id = %s AND NOT (pick_id = ANY(%s))"
)


def record_checkpoint(
    conn: psycopg.Connection,
    batch_id: UUID,
    day: DayScore,
    *,
    rescored_because: str | None = None,
) -> UUID | None:
    """Upsert a day of the batch as the domain scored it: a computed checkpoint with its
    metric rows, its picks left out and the corporate actions it counted, or a skipped one
    with its reason; in one transaction. `rescored_because` says why a published day's
    values change (it is kept until a later rescoring says more).

    Returns the checkpoint's id, or None when a computed checkpoint already holds that date
    and the day was skipped (the computed one stays). The database refuses a checkpoint for
    a batch that is not active (SQLSTATE AM001).
    """
    computed = day.skip_reason is None
    with conn.transaction(), conn.cursor() as cursor:
        row = cursor.execute(
            _UPSERT_CHECKPOINT_SQL,
            (
                uuid4(),
                batch_id,
                day.trading_date,
                "computed" if computed else "skipped",
                day.benchmark_close,
                day.benchmark_return_pct,
                day.skip_reason,
                rescored_because,
            ),
        ).fetchone()
        if row is None:
            return None
        checkpoint_id: UUID = row[0]
        cursor.executemany(
            _INSERT_COUNTED_ACTION_SQL,
            [
                (uuid4(), batch_id, a.symbol, a.kind, a.action_date, a.value, day.trading_date)
                for a in day.applied
            ],
        )
        cursor.execute(_DROP_STALE_METRICS_SQL, (checkpoint_id, [s.pick_id for s in day.scores]))
        cursor.execute(_DROP_STALE_SKIPS_SQL, (checkpoint_id, [o.pick_id for o in day.left_out]))
        cursor.executemany(
            _UPSERT_PICK_SKIP_SQL,
            [
                (uuid4(), checkpoint_id, out.pick_id, out.reason, out.held_close)
                for out in day.left_out
            ],
        )
        cursor.executemany(
            _UPSERT_METRIC_SQL,
            [
                (
                    uuid4(),
                    checkpoint_id,
                    score.pick_id,
                    score.close,
                    score.absolute_return_pct,
                    score.vs_benchmark_pct,
                )
                for score in day.scores
            ],
        )
    return checkpoint_id
