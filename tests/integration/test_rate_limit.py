"""The Postgres-backed limiter under real concurrency: never more calls than the limit."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import date

import psycopg
import pytest

from alpha_monday.db.call_budget import calls_per_day
from alpha_monday.domain.errors import MarketDataRateLimited
from alpha_monday.integrations.rate_limit import CallLimiter

DAY = date(2026, 11, 23)


def _limiter(url: str, daily_limit: int, min_interval: float) -> CallLimiter:
    # Each thread gets its own connection, like concurrent Lambda containers.
    connection = psycopg.connect(url, autocommit=True)
    return CallLimiter(
        lambda: connection,
        "concurrency",
        daily_limit,
        min_interval,
        sleep=time.sleep,
        today=lambda: DAY,
    )


def test_concurrent_callers_never_exceed_the_daily_limit(database_url: str) -> None:
    # Given 8 workers each wanting 6 calls against a budget of 25
    granted: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()

    def worker(worker_id: int) -> None:
        limiter = _limiter(database_url, daily_limit=25, min_interval=0)
        for call in range(6):
            try:
                number = limiter.acquire(f"S{worker_id}-{call}")
            except MarketDataRateLimited as error:
                with lock:
                    refused.append(str(error))
            else:
                with lock:
                    granted.append(number)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Then exactly 25 calls were granted, each number once, and the rest refused
    assert sorted(granted) == list(range(1, 26))
    assert len(refused) == 8 * 6 - 25
    with psycopg.connect(database_url) as conn:
        assert calls_per_day(conn, "concurrency") == {DAY: 25}


def test_concurrent_callers_are_spaced_by_the_minimum_interval(database_url: str) -> None:
    # Given 4 workers sharing a limit of one call per 0.2 s
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        limiter = _limiter(database_url, daily_limit=100, min_interval=0.2)
        for _ in range(2):
            limiter.acquire("SPY")
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Then the 8 calls took at least 7 intervals (load can only slow them down further)
    stamps.sort()
    assert len(stamps) == 8
    assert stamps[-1] - started >= 7 * 0.2
    # And none came right after another (0.2 s apart, with scheduling slack)
    assert min(later - earlier for earlier, later in itertools.pairwise(stamps)) >= 0.1


def test_budget_is_per_day(database_url: str) -> None:
    days = iter([DAY, DAY, date(2026, 11, 24)])
    connection = psycopg.connect(database_url, autocommit=True)
    limiter = CallLimiter(
        lambda: connection, "daily", 1, 0, sleep=time.sleep, today=lambda: next(days)
    )
    limiter.acquire("SPY")
    with pytest.raises(MarketDataRateLimited):
        limiter.acquire("SPY")
    assert limiter.acquire("SPY") == 1  # a new day, a new budget
