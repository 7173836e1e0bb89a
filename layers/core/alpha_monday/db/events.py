"""The append-only audit trail."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from alpha_monday.domain.model import Event


def append_event(
    conn: psycopg.Connection, batch_id: UUID | None, event_type: str, payload: dict[str, Any]
) -> UUID:
    event_id = uuid4()
    conn.execute(
        "INSERT INTO events (id, batch_id, event_type, payload) VALUES (%s, %s, %s, %s)",
        (event_id, batch_id, event_type, Jsonb(payload)),
    )
    return event_id


def list_events(conn: psycopg.Connection, batch_id: UUID) -> list[Event]:
    with conn.cursor(row_factory=class_row(Event)) as cursor:
        return cursor.execute(
            "SELECT id, created_at, batch_id, event_type, payload FROM events"
            " WHERE batch_id = %s ORDER BY created_at, id",
            (batch_id,),
        ).fetchall()


def last_picker_answers(
    conn: psycopg.Connection, execution_name: str, contender: str
) -> dict[str, Any] | None:
    """The latest `picker_answered` payload of an execution for a contender (its outcome
    and attempts)."""
    row = conn.execute(
        "SELECT payload FROM events WHERE event_type = 'picker_answered'"
        " AND payload ->> 'execution_name' = %s AND payload ->> 'contender' = %s"
        " ORDER BY created_at DESC, id LIMIT 1",
        (execution_name, contender),
    ).fetchone()
    return row[0] if row else None


def stability_answers(
    conn: psycopg.Connection, execution_name: str, contender: str
) -> list[dict[str, Any]]:
    """The extra answers an execution got from a contender (pick stability), in order."""
    rows = conn.execute(
        "SELECT payload FROM events WHERE event_type = 'picker_stability_answered'"
        " AND payload ->> 'execution_name' = %s AND payload ->> 'contender' = %s"
        " ORDER BY (payload ->> 'ask')::int",
        (execution_name, contender),
    ).fetchall()
    return [row[0] for row in rows]
