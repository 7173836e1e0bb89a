"""The answer store (migration 0020, docs/scale.md): answers the read functions rendered,
each kept for the generation of the published data it shows and served only while that
generation is current."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class StoredAnswer:
    """A 200 as it was rendered: its body and the headers that belong to it (CORS is the
    request's own, added when it is served)."""

    content_type: str
    cache_control: str
    body: str


@dataclass(frozen=True)
class Lookup:
    """The current generation of the published data, and the answer kept for it, if any."""

    generation: int
    answer: StoredAnswer | None


# One round trip: the generation (for keeping an answer rendered now) and the answer.
_LOOK_UP_SQL = """
SELECT g.generation, a.content_type, a.cache_control, a.body
FROM published_generation g
LEFT JOIN stored_answers a
    ON a.path = %(path)s AND a.release = %(release)s AND a.generation = g.generation
"""


def look_up(conn: psycopg.Connection, path: str, release: str) -> Lookup:
    row = conn.execute(_LOOK_UP_SQL, {"path": path, "release": release}).fetchone()
    assert row is not None  # published_generation holds exactly one row
    generation, content_type, cache_control, body = row
    if body is None:
        return Lookup(generation, None)
    return Lookup(generation, StoredAnswer(content_type, cache_control, body))


def keep(
    conn: psycopg.Connection, path: str, release: str, generation: int, answer: StoredAnswer
) -> bool:
    """Keep `answer`, rendered from `generation`; False when a write has moved the
    generation on since (the answer may show data that changed: it is dropped)."""
    row = conn.execute(
        "SELECT keep_answer(%s, %s, %s, %s, %s, %s)",
        (path, release, generation, answer.content_type, answer.cache_control, answer.body),
    ).fetchone()
    return bool(row and row[0])
