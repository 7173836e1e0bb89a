"""Whether the database answers now (GET /health)."""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from alpha_monday.db.translate import domain_error
from alpha_monday.domain.errors import DatabaseUnavailable


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
