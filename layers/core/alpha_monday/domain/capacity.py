"""How many database connections the stack can hold at once (docs/scale.md).

Each Lambda container holds one connection (db/connection.py), so a function's reserved
concurrency bounds its connections. The read functions are the ones a crowd multiplies;
the weekly run is a few tasks at a time whatever the crowd.
"""

from __future__ import annotations

from alpha_monday.domain.errors import ConfigurationError

# The functions behind the API (template.yaml): health, latest, list, detail, track record,
# the pages.
READ_FUNCTIONS = 6
# The weekly run at its busiest: the two fortnights in flight each run one task at a time
# (their Map asks one contender at a time), a manual run, the stuck-run sweeper and the
# migration of a deploy.
WORKFLOW_CONNECTIONS = 5


class ConnectionBudgetExceeded(ConfigurationError):
    """The read functions' reserved concurrency could open more connections than allowed."""


def connections_needed(read_concurrency: int) -> int:
    """The most connections the stack can hold: every read container, and the run's."""
    return READ_FUNCTIONS * read_concurrency + WORKFLOW_CONNECTIONS


def check_connection_budget(read_concurrency: int, max_connections: int) -> int:
    """The connections needed, refused when they exceed `max_connections`."""
    needed = connections_needed(read_concurrency)
    if needed > max_connections:
        most = (max_connections - WORKFLOW_CONNECTIONS) // READ_FUNCTIONS
        raise ConnectionBudgetExceeded(
            f"{READ_FUNCTIONS} read functions x ReadFunctionConcurrency {read_concurrency} + "
            f"{WORKFLOW_CONNECTIONS} for the weekly run = {needed} connections, more than "
            f"DatabaseMaxConnections {max_connections}: lower ReadFunctionConcurrency to "
            f"{most} or less, or put a pooler in front of the database (docs/scale.md)"
        )
    return needed
