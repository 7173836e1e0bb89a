"""Database errors that carry domain meaning, raised as domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from alpha_monday.errors import BatchNotActive, DatabaseUnavailable

# Raised by the triggers of migrations 0003 and 0004.
BATCH_NOT_ACTIVE_SQLSTATE = "AM001"


@contextmanager
def translated_database_errors() -> Iterator[None]:
    try:
        yield
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable("the database connection failed") from error
    except psycopg.Error as error:
        if error.sqlstate == BATCH_NOT_ACTIVE_SQLSTATE:
            raise BatchNotActive(error.diag.message_primary or str(error)) from error
        raise
