"""Batches, their picks, and the reads the API and the workflow need (a new batch is stored
by `db.new_batch`: the read functions never load the commitment's hashing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from alpha_monday.domain.errors import BatchNotFound
from alpha_monday.domain.model import (
    AppliedAction,
    Batch,
    BatchDetail,
    BatchPage,
    BatchStatus,
    Checkpoint,
    Entry,
    FeedWeek,
    Pick,
    PickMetric,
    Week,
)

_BATCH_COLUMNS = (
    "b.id, b.created_at, b.run_date, b.benchmark_symbol, b.benchmark_initial_price, "
    "b.status, b.model, b.origin, b.prompt_version, b.commitment_sha256, b.committed_at"
)
_PICK_COLUMNS = (
    "p.id AS pick_id, p.batch_id AS pick_batch_id, p.entry_id, p.ticker, p.action, p.reasoning,"
    " p.initial_price"
)
# Picks in their entry's order (the contenders' configured order), then by ticker.
_PICK_ORDER = "(SELECT e.position FROM entries e WHERE e.id = p.entry_id), p.ticker"

# A batch's entries, in the contenders' order, as one JSON list.
_ENTRIES_COLUMN = (
    "(SELECT coalesce(json_agg(json_build_object("
    "'id', e.id, 'batch_id', e.batch_id, 'position', e.position, 'contender', e.contender,"
    " 'kind', e.kind, 'model', e.model, 'prompt_version', e.prompt_version, 'error', e.error,"
    " 'control', CASE WHEN e.control_seed IS NOT NULL THEN json_build_object("
    "'seed', e.control_seed, 'universe', e.universe, 'universe_as_of', e.universe_as_of,"
    " 'redrawn', to_json(e.redrawn)) END,"
    " 'stability', CASE WHEN e.stability_asks IS NOT NULL THEN json_build_object("
    "'asks', e.stability_asks, 'answered', e.stability_answered,"
    " 'ticker_overlap', e.stability_ticker_overlap::text,"
    " 'call_overlap', e.stability_call_overlap::text) END) ORDER BY e.position), '[]'::json)"
    " FROM entries e WHERE e.batch_id = b.id) AS entries"
)
_CHECKPOINT_COLUMNS = (
    "c.id AS checkpoint_id, c.batch_id, c.checkpoint_date, c.status AS checkpoint_status, "
    "c.benchmark_price, c.benchmark_return_pct, c.skip_reason, c.rescored_because, "
    "m.pick_id AS metric_pick_id, mp.ticker AS metric_ticker, m.current_price, "
    "m.absolute_return_pct, m.vs_benchmark_pct, "
    "(SELECT coalesce(json_agg(json_build_object("
    "'pick_id', s.pick_id, 'ticker', sp.ticker, 'reason', s.reason,"
    " 'held_close', s.held_close::text) ORDER BY sp.ticker),"
    " '[]'::json)"
    " FROM pick_checkpoint_skips s JOIN picks sp ON sp.id = s.pick_id"
    " WHERE s.checkpoint_id = c.id) AS skipped_picks"
)

# The corporate actions the batch counts, as one JSON list (numbers as exact text).
_COUNTED_ACTIONS_COLUMN = (
    "(SELECT coalesce(json_agg(json_build_object("
    "'symbol', a.symbol, 'kind', a.kind, 'action_date', a.action_date, "
    "'value', a.value::text, 'first_counted_on', a.first_counted_on)"
    " ORDER BY a.action_date, a.symbol, a.kind), '[]'::json)"
    " FROM batch_corporate_actions a WHERE a.batch_id = b.id) AS corporate_actions"
)

# The batch and its picks in one statement, by id, else by run_date, else the latest.
_BATCH_WITH_PICKS_SQL = f"""
SELECT {_BATCH_COLUMNS}, {_PICK_COLUMNS}, {_COUNTED_ACTIONS_COLUMN}, {_ENTRIES_COLUMN}
FROM batches b
LEFT JOIN picks p ON p.batch_id = b.id
WHERE b.id = COALESCE(
    %(batch_id)s::uuid,
    (SELECT id FROM batches
     WHERE %(run_date)s::date IS NULL OR run_date = %(run_date)s::date
     ORDER BY run_date DESC LIMIT 1)
)
ORDER BY {_PICK_ORDER}
"""  # noqa: S608 - only constant column lists are interpolated

_CHECKPOINTS_SQL = f"""
SELECT {_CHECKPOINT_COLUMNS}
FROM checkpoints c
LEFT JOIN pick_checkpoint_metrics m ON m.checkpoint_id = c.id
LEFT JOIN picks mp ON mp.id = m.pick_id
WHERE c.batch_id = %(batch_id)s
ORDER BY c.checkpoint_date, mp.ticker, mp.id
"""  # noqa: S608


# A page of summaries as one JSON document: Postgres folds the rows, pydantic validates
# the text in one call (per-row Python models cost more than the query). Numbers travel as
# text so every decimal keeps its exact digits. One row more than asked tells whether
# another page follows.
_PAGE_SQL = f"""
WITH candidates AS (
    SELECT * FROM batches
    WHERE %(before)s::date IS NULL OR run_date < %(before)s::date
    ORDER BY run_date DESC
    LIMIT %(limit)s + 1
), page AS (
    SELECT * FROM candidates ORDER BY run_date DESC LIMIT %(limit)s
)
SELECT json_build_object(
    'items', COALESCE(json_agg(json_build_object(
        'id', b.id, 'created_at', b.created_at, 'run_date', b.run_date,
        'benchmark_symbol', b.benchmark_symbol,
        'benchmark_initial_price', b.benchmark_initial_price::text,
        'status', b.status, 'model', b.model, 'origin', b.origin,
        'prompt_version', b.prompt_version,
        'commitment_sha256', b.commitment_sha256, 'committed_at', b.committed_at,
        'entries', {_ENTRIES_COLUMN.removesuffix(" AS entries")},
        'picks', (
            SELECT COALESCE(json_agg(json_build_object(
                'id', p.id, 'entry_id', p.entry_id, 'ticker', p.ticker, 'action', p.action)
                ORDER BY {_PICK_ORDER}), '[]')
            FROM picks p WHERE p.batch_id = b.id
        ),
        'latest_checkpoint', CASE WHEN latest.id IS NOT NULL THEN json_build_object(
            'checkpoint_date', latest.checkpoint_date,
            'benchmark_return_pct', latest.benchmark_return_pct::text,
            'metrics', (
                SELECT COALESCE(json_agg(json_build_object(
                    'pick_id', m.pick_id, 'ticker', mp.ticker,
                    'current_price', m.current_price::text,
                    'absolute_return_pct', m.absolute_return_pct::text,
                    'vs_benchmark_pct', m.vs_benchmark_pct::text) ORDER BY mp.ticker, mp.id),
                    '[]')
                FROM pick_checkpoint_metrics m JOIN picks mp ON mp.id = m.pick_id
                WHERE m.checkpoint_id = latest.id
            )
        ) END
    ) ORDER BY b.run_date DESC), '[]'),
    'next_run_date_before',
        CASE WHEN (SELECT count(*) FROM candidates) > %(limit)s THEN min(b.run_date) END
)::text
FROM page b
-- The most recent checkpoint with returns (the baseline has none).
LEFT JOIN LATERAL (
    SELECT c.id, c.checkpoint_date, c.benchmark_return_pct
    FROM checkpoints c
    WHERE c.batch_id = b.id AND c.status = 'computed' AND c.benchmark_return_pct IS NOT NULL
    ORDER BY c.checkpoint_date DESC
    LIMIT 1
) latest ON true
"""  # noqa: S608 - only constant fragments are interpolated


def _batch_from_row(row: Mapping[str, Any]) -> Batch:
    return Batch.model_validate(row)


def _pick_from_row(row: Mapping[str, Any]) -> Pick | None:
    if row["pick_id"] is None:
        return None
    return Pick(
        id=row["pick_id"],
        batch_id=row["pick_batch_id"],
        entry_id=row["entry_id"],
        ticker=row["ticker"],
        action=row["action"],
        reasoning=row["reasoning"],
        initial_price=row["initial_price"],
    )


def _batch_with_picks(rows: list[dict[str, Any]]) -> tuple[Batch, tuple[Pick, ...]]:
    """Fold one batch's batch-join-picks rows, keeping the picks' order."""
    picks = (_pick_from_row(row) for row in rows)
    return _batch_from_row(rows[0]), tuple(pick for pick in picks if pick is not None)


def _checkpoints_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Checkpoint]:
    """Fold checkpoint-join-metrics rows into checkpoints, keeping the rows' order."""
    heads: dict[UUID, Mapping[str, Any]] = {}
    metrics: dict[UUID, list[PickMetric]] = defaultdict(list)
    for row in rows:
        heads.setdefault(row["checkpoint_id"], row)
        if row["metric_pick_id"] is not None:
            metrics[row["checkpoint_id"]].append(
                PickMetric(
                    pick_id=row["metric_pick_id"],
                    ticker=row["metric_ticker"],
                    current_price=row["current_price"],
                    absolute_return_pct=row["absolute_return_pct"],
                    vs_benchmark_pct=row["vs_benchmark_pct"],
                )
            )
    return [
        Checkpoint(
            id=checkpoint_id,
            batch_id=row["batch_id"],
            checkpoint_date=row["checkpoint_date"],
            status=row["checkpoint_status"],
            benchmark_price=row["benchmark_price"],
            benchmark_return_pct=row["benchmark_return_pct"],
            skip_reason=row["skip_reason"],
            metrics=tuple(metrics[checkpoint_id]),
            skipped_picks=row["skipped_picks"],
            rescored_because=row["rescored_because"],
        )
        for checkpoint_id, row in heads.items()
    ]


def _load_detail(
    conn: psycopg.Connection, batch_id: UUID | None, run_date: date | None = None
) -> BatchDetail | None:
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(
            _BATCH_WITH_PICKS_SQL, {"batch_id": batch_id, "run_date": run_date}
        ).fetchall()
        if not rows:
            return None
        batch, picks = _batch_with_picks(rows)
        checkpoint_rows = cursor.execute(_CHECKPOINTS_SQL, {"batch_id": batch.id}).fetchall()
        actions = rows[0]["corporate_actions"]
    return BatchDetail(
        batch=batch,
        entries=tuple(Entry.model_validate(row) for row in rows[0]["entries"]),
        picks=picks,
        checkpoints=tuple(_checkpoints_from_rows(checkpoint_rows)),
        corporate_actions=tuple(AppliedAction.model_validate(row) for row in actions),
    )


def get_batch_detail(conn: psycopg.Connection, batch_id: UUID) -> BatchDetail:
    """The batch, its picks, and its checkpoints in date order with their metrics (2 queries)."""
    detail = _load_detail(conn, batch_id)
    if detail is None:
        raise BatchNotFound(f"no batch with id {batch_id}")
    return detail


def get_latest_batch_detail(conn: psycopg.Connection) -> BatchDetail | None:
    """The batch with the greatest run_date, in detail, or None when there is none."""
    return _load_detail(conn, None)


def get_week(conn: psycopg.Connection, run_date: date) -> Week:
    """The batch of `run_date` in detail, with the run dates of the weeks before and after
    it (3 queries)."""
    detail = _load_detail(conn, None, run_date)
    if detail is None:
        raise BatchNotFound(f"no batch for the week of {run_date.isoformat()}")
    row = conn.execute(
        "SELECT (SELECT max(run_date) FROM batches WHERE run_date < %(day)s),"
        " (SELECT min(run_date) FROM batches WHERE run_date > %(day)s)",
        {"day": run_date},
    ).fetchone()
    assert row is not None  # two scalar subqueries always answer one row
    return Week(detail=detail, previous_run_date=row[0], next_run_date=row[1])


_PICKS_OF_BATCHES_SQL = f"""
SELECT {_PICK_COLUMNS} FROM picks p WHERE p.batch_id = ANY(%(batch_ids)s) ORDER BY {_PICK_ORDER}
"""  # noqa: S608 - only constant fragments are interpolated


def recent_weeks(conn: psycopg.Connection, limit: int) -> list[FeedWeek]:
    """The `limit` latest batches, newest first, each with its picks in full (2 queries)."""
    page = list_batches(conn, limit)
    rows = conn.cursor(row_factory=dict_row).execute(
        _PICKS_OF_BATCHES_SQL, {"batch_ids": [item.id for item in page.items]}
    )
    picks: dict[UUID, list[Pick]] = defaultdict(list)
    for row in rows:
        pick = _pick_from_row(row)
        if pick is not None:
            picks[pick.batch_id].append(pick)
    return [FeedWeek(summary=item, picks=tuple(picks[item.id])) for item in page.items]


def newer_page_before(conn: psycopg.Connection, before: date, limit: int) -> date | None:
    """For the page of batches older than `before`, where the page of the `limit` batches
    just newer begins: its own `before` (exclusive), or None when that is the first page."""
    row = conn.execute(
        "SELECT run_date FROM batches WHERE run_date >= %s ORDER BY run_date LIMIT 1 OFFSET %s",
        (before, limit),
    ).fetchone()
    return row[0] if row else None


def list_batches(conn: psycopg.Connection, limit: int, before: date | None = None) -> BatchPage:
    """Newest first, keyset-paginated on run_date (unique), so pages never overlap or skip
    (1 query)."""
    row = conn.execute(_PAGE_SQL, {"before": before, "limit": limit}).fetchone()
    assert row is not None  # an aggregate always answers one row
    return BatchPage.model_validate_json(row[0])


def batch_of_run(conn: psycopg.Connection, run_date: date) -> tuple[UUID, str | None] | None:
    """The batch recorded for `run_date` and the execution that created it, if any."""
    row = conn.execute(
        "SELECT id, execution_name FROM batches WHERE run_date = %s", (run_date,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def batch_id_for_execution(conn: psycopg.Connection, execution_name: str) -> UUID | None:
    """The batch an execution created, or resumed (its `batch_resumed` event names it)."""
    row = conn.execute(
        "SELECT id FROM batches WHERE execution_name = %(name)s"
        " UNION ALL"
        " SELECT batch_id FROM events WHERE event_type = 'batch_resumed'"
        " AND payload ->> 'execution_name' = %(name)s"
        " LIMIT 1",
        {"name": execution_name},
    ).fetchone()
    return row[0] if row else None


# The execution tracking a batch now: the last that resumed it, else the one that made it.
# (A constant fragment: no value is ever formatted into it.)
_TRACKER_SQL = (
    "COALESCE((SELECT e.payload ->> 'execution_name' FROM events e"
    " WHERE e.batch_id = b.id AND e.event_type = 'batch_resumed'"
    " ORDER BY e.created_at DESC LIMIT 1), b.execution_name)"
)


def tracking_execution(conn: psycopg.Connection, batch_id: UUID) -> str | None:
    """The execution tracking the batch now: the last that resumed it, else its creator."""
    row = conn.execute(
        f"SELECT {_TRACKER_SQL} FROM batches b WHERE b.id = %s",  # noqa: S608
        (batch_id,),
    ).fetchone()
    return row[0] if row else None


def active_batches_with_trackers(conn: psycopg.Connection) -> list[tuple[UUID, str | None]]:
    """Every active batch and the execution tracking it now."""
    rows = conn.execute(
        f"SELECT b.id, {_TRACKER_SQL} FROM batches b"  # noqa: S608
        " WHERE b.status = 'active' ORDER BY b.run_date"
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def set_batch_status(
    conn: psycopg.Connection, batch_id: UUID, status: BatchStatus, *, from_status: BatchStatus
) -> bool:
    """Move a batch from one status to another; False when it was not in `from_status`."""
    cursor = conn.execute(
        "UPDATE batches SET status = %s WHERE id = %s AND status = %s",
        (status, batch_id, from_status),
    )
    return cursor.rowcount == 1
