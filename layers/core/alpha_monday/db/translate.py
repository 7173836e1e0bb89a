"""Database errors that carry domain meaning, raised as domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors

from alpha_monday.domain.errors import (
    AlphaMondayError,
    BatchNotActive,
    CheckpointNotInSchedule,
    DatabaseUnavailable,
)

# Raised by the triggers of migrations 0003, 0004 and 0013.
BATCH_NOT_ACTIVE_SQLSTATE = "AM001"
OUTSIDE_FORTNIGHT_SQLSTATE = "AM003"


def domain_error(error: psycopg.Error) -> AlphaMondayError | None:
    """The domain error a database error means, or None when it means none (a bug)."""
    if isinstance(error, pg_errors.QueryCanceled):
        # The statement timeout (or a lock held elsewhere): answer now rather than hang.
        return DatabaseUnavailable("the database did not answer in time")
    if isinstance(error, psycopg.OperationalError):
        return DatabaseUnavailable("the database connection failed")
    if error.sqlstate == BATCH_NOT_ACTIVE_SQLSTATE:
        return BatchNotActive(error.diag.message_primary or str(error))
    if error.sqlstate == OUTSIDE_FORTNIGHT_SQLSTATE:
        return CheckpointNotInSchedule(error.diag.message_primary or str(error))
    return None


@contextmanager
def translated_database_errors() -> Iterator[None]:
    """Raise the domain error a database error means (the boundary of a step or a page)."""
    try:
        yield
    except psycopg.Error as error:
        translated = domain_error(error)
        if translated is None:
            raise
        raise translated from error
