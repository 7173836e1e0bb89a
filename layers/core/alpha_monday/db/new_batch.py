"""Storing a new batch: its entries, their picks, its baseline and its commitment, at once."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
from psycopg import errors as pg_errors

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.events import append_event
from alpha_monday.domain.commitment import (
    canonical_commitment,
    commitment_sha256,
    commitment_time,
    committed_entry,
)
from alpha_monday.domain.errors import BatchAlreadyExists
from alpha_monday.domain.model import BatchDetail, NewBatch


def create_batch(
    conn: psycopg.Connection,
    new_batch: NewBatch,
    provenance: dict[str, Any] | None = None,
) -> BatchDetail:
    """Insert the batch, its entries and their picks, its baseline checkpoint and its
    provenance event at once.

    One transaction: either all of it is stored or none. A batch for the same run_date
    already present raises BatchAlreadyExists and leaves that batch as it was.
    """
    batch_id = uuid4()
    committed_at = commitment_time(new_batch.committed_at)
    # Computed with the rows it commits, in their transaction: the hash is of what is stored.
    commitment = commitment_sha256(
        canonical_commitment(
            run_date=new_batch.run_date,
            committed_at=committed_at,
            entries=[committed_entry(entry, entry.picks) for entry in new_batch.entries],
        )
    )
    lead = new_batch.lead
    entry_ids = [uuid4() for _ in new_batch.entries]
    try:
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute(
                "INSERT INTO batches (id, execution_name, run_date, benchmark_symbol,"
                " benchmark_initial_price, status, model, origin, prompt_version,"
                " commitment_sha256, committed_at)"
                " VALUES (%s, %s, %s, %s, %s, 'active', %s, %s, %s, %s, %s)",
                (
                    batch_id,
                    new_batch.execution_name,
                    new_batch.run_date,
                    new_batch.benchmark_symbol,
                    new_batch.benchmark_initial_price,
                    lead.model if lead else None,
                    new_batch.origin,
                    lead.prompt_version if lead else None,
                    commitment,
                    committed_at,
                ),
            )
            cursor.executemany(
                "INSERT INTO entries (id, batch_id, position, contender, kind, model,"
                " prompt_version, error, control_seed, universe, universe_as_of, redrawn,"
                " stability_asks, stability_answered, stability_ticker_overlap,"
                " stability_call_overlap)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        entry_id,
                        batch_id,
                        position,
                        e.contender,
                        e.kind,
                        e.model,
                        e.prompt_version,
                        e.error,
                        e.control.seed if e.control else None,
                        e.control.universe if e.control else None,
                        e.control.universe_as_of if e.control else None,
                        list(e.control.redrawn) if e.control else [],
                        e.stability.asks if e.stability else None,
                        e.stability.answered if e.stability else None,
                        e.stability.ticker_overlap if e.stability else None,
                        e.stability.call_overlap if e.stability else None,
                    )
                    for position, (entry_id, e) in enumerate(
                        zip(entry_ids, new_batch.entries, strict=True)
                    )
                ],
            )
            cursor.executemany(
                "INSERT INTO picks (id, batch_id, entry_id, ticker, action, reasoning,"
                " initial_price) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (uuid4(), batch_id, entry_id, p.ticker, p.action, p.reasoning, p.initial_price)
                    for entry_id, entry in zip(entry_ids, new_batch.entries, strict=True)
                    for p in entry.picks
                ],
            )
            cursor.execute(
                "INSERT INTO checkpoints (id, batch_id, checkpoint_date, status, benchmark_price)"
                " VALUES (%s, %s, %s, 'computed', %s)",
                (uuid4(), batch_id, new_batch.baseline_date, new_batch.benchmark_initial_price),
            )
            if provenance is not None:
                append_event(conn, batch_id, "picks_generated", provenance)
    except pg_errors.UniqueViolation as error:
        if error.diag.constraint_name == "batches_run_date_key":
            raise BatchAlreadyExists(
                f"a batch for run_date {new_batch.run_date.isoformat()} exists already"
            ) from error
        raise
    return get_batch_detail(conn, batch_id)
