"""Counts the statements a piece of code sends (tests and benchmarks; no server extension)."""

from __future__ import annotations

from typing import Any, Self

import psycopg


class CountingCursor(psycopg.Cursor[Any]):
    """Use as `cursor_factory`; `conn.execute` and `conn.cursor()` both go through it."""

    statements = 0

    def execute(self, *args: Any, **kwargs: Any) -> Self:
        CountingCursor.statements += 1
        return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> None:
        CountingCursor.statements += 1
        super().executemany(*args, **kwargs)


def statements_during(action: Any) -> int:
    """How many statements `action()` sent through counting connections."""
    before = CountingCursor.statements
    action()
    return CountingCursor.statements - before
