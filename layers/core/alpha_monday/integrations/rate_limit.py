"""Keeps a provider's calls within its limits across concurrent Lambdas (Postgres-backed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import psycopg

from alpha_monday.business_metrics import PROVIDER_CALLS, count
from alpha_monday.db.call_budget import reserve_call
from alpha_monday.domain.errors import MarketDataRateLimited


class CallLimiter:
    """`acquire()` before each call: waits for the per-call spacing, refuses past the day's budget.

    The budget day is the UTC date (Alpha Vantage's daily quota is not documented in a
    time zone; UTC is the conservative reading for a US-evening workload).
    """

    def __init__(
        self,
        connection: Callable[[], psycopg.Connection],
        provider: str,
        daily_limit: int,
        min_interval_seconds: float,
        *,
        sleep: Callable[[float], None],
        today: Callable[[], date],
    ) -> None:
        self._connection = connection
        self.provider = provider
        self.daily_limit = daily_limit
        self._min_interval = timedelta(seconds=min_interval_seconds)
        self._sleep = sleep
        self._today = today

    def acquire(self, symbol: str) -> int:
        """Reserve a call for `symbol`; returns the call's number that day."""
        number = reserve_call(
            self._connection(),
            self.provider,
            self._today(),
            daily_limit=self.daily_limit,
            min_interval=self._min_interval,
            sleep=self._sleep,
        )
        if number is None:
            raise MarketDataRateLimited(
                symbol, f"the daily budget of {self.daily_limit} {self.provider} calls is spent"
            )
        count(PROVIDER_CALLS)
        return number
