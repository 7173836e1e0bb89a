"""Database errors that carry domain meaning, raised as domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors

from alpha_monday.errors import BatchNotActive, CheckpointNotInSchedule, DatabaseUnavailable

# Raised by the triggers of migrations 0003, 0004 and 0013.
BATCH_NOT_ACTIVE_SQLSTATE = "AM001"
OUTSIDE_FORTNIGHT_SQLSTATE = "AM003"


@contextmanager
def translated_database_errors() -> Iterator[None]:
    try:
        yield
    except pg_errors.QueryCanceled as error:
        # The statement timeout (or a lock held elsewhere): answer now rather than hang.
        raise DatabaseUnavailable("the database did not answer in time") from error
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable("the database connection failed") from error
    except psycopg.Error as error:
        if error.sqlstate == BATCH_NOT_ACTIVE_SQLSTATE:
            raise BatchNotActive(error.diag.message_primary or str(error)) from error
        if error.sqlstate == OUTSIDE_FORTNIGHT_SQLSTATE:
            raise CheckpointNotInSchedule(error.diag.message_primary or str(error)) from error
        raise
