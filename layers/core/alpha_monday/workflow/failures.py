"""A run that failed: its batch becomes `failed` and `events` says why, exactly once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg

from alpha_monday.db.batches import set_batch_status, tracking_execution
from alpha_monday.db.events import append_event
from alpha_monday.workflow.models import FailureOutcome

# The one outcome that changes what is published: the batch's status.
BATCH_MARKED_FAILED: FailureOutcome = "batch_marked_failed"


def record_run_failure(
    conn: psycopg.Connection,
    batch_id: UUID | None,
    details: dict[str, Any],
    execution_name: str | None = None,
) -> FailureOutcome:
    """Fail an active batch with the reason, together or not at all.

    A batch already completed or failed is left alone (no event: its story is told), and so
    is a batch another execution tracks now (it was resumed since `execution_name` made or
    resumed it: a late or repeated failure notice must not fail the new run). A run that
    failed before any batch existed leaves a `run_failed` event.
    """
    with conn.transaction():
        if batch_id is None:
            append_event(conn, None, "run_failed", details)
            return "no_batch_recorded"
        if execution_name is not None and tracking_execution(conn, batch_id) != execution_name:
            return "batch_tracked_by_another_execution"
        if not set_batch_status(conn, batch_id, "failed", from_status="active"):
            return "batch_already_finished"
        append_event(conn, batch_id, "batch_failed", details)
        return BATCH_MARKED_FAILED
