"""The shared cache of corporate actions, per source, and the day's look-ups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import psycopg

from alpha_monday.db.events import append_event
from alpha_monday.domain.corporate_actions import CorporateAction, CorporateActions
from alpha_monday.domain.market_data import ActionSeries
from alpha_monday.domain.market_time import market_date

_ACTIONS_SQL = """
SELECT kind, action_date, value FROM corporate_actions
WHERE source = %s AND symbol = %s ORDER BY action_date, kind
"""
_STORE_ACTIONS_SQL = """
INSERT INTO corporate_actions (source, symbol, kind, action_date, value, fetched_at)
SELECT %s, %s, k, d, v, %s FROM unnest(%s::text[], %s::date[], %s::numeric[]) AS t(k, d, v)
ON CONFLICT (source, symbol, kind, action_date)
DO UPDATE SET value = EXCLUDED.value, fetched_at = EXCLUDED.fetched_at
"""
_RECORD_LOOKUP_SQL = """
INSERT INTO corporate_action_lookups (source, symbol, looked_up_on, fetched_at)
VALUES (%s, %s, %s, %s) ON CONFLICT (source, symbol, looked_up_on) DO NOTHING
"""


class PostgresActionCache:
    """The domain's ActionCache on `corporate_actions`; a refused row becomes a
    `corporate_action_rejected` event."""

    def __init__(self, connection: Callable[[], psycopg.Connection]) -> None:
        self._connection = connection

    def actions(self, source_id: str, symbol: str) -> CorporateActions:
        rows = self._connection().execute(_ACTIONS_SQL, (source_id, symbol)).fetchall()
        return CorporateActions.of(
            CorporateAction(symbol, kind, action_date, value) for kind, action_date, value in rows
        )

    def looked_up(self, source_id: str, symbol: str, day: date) -> bool:
        row = (
            self._connection()
            .execute(
                "SELECT 1 FROM corporate_action_lookups"
                " WHERE source = %s AND symbol = %s AND looked_up_on = %s",
                (source_id, symbol, day),
            )
            .fetchone()
        )
        return row is not None

    def store_actions(
        self, source_id: str, symbol: str, series: ActionSeries, fetched_at: datetime
    ) -> None:
        conn = self._connection()
        actions = series.actions.actions
        with conn.transaction():
            if actions:
                conn.execute(
                    _STORE_ACTIONS_SQL,
                    (
                        source_id,
                        symbol,
                        fetched_at,
                        [a.kind for a in actions],
                        [a.action_date for a in actions],
                        [a.value for a in actions],
                    ),
                )
            conn.execute(
                _RECORD_LOOKUP_SQL, (source_id, symbol, market_date(fetched_at), fetched_at)
            )
            for reason in series.rejected:
                append_event(
                    conn,
                    None,
                    "corporate_action_rejected",
                    {"source": source_id, "symbol": symbol, "reason": reason},
                )
