"""No key anywhere: a weekly run against local imitations of Alpha Vantage and OpenAI whose
rate-limit notices quote the caller's key, logging everything it can (`OPENAI_LOG=debug`,
`POWERTOOLS_LOG_LEVEL=DEBUG`), leaves the keys in no output and no table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from alpha_monday.integrations.providers import utc_now
from tests.fake_alpha_vantage import FakeAlphaVantage
from tests.fake_alpha_vantage import serving as serving_alpha_vantage
from tests.fake_openai import FakeOpenAI
from tests.fake_openai import serving as serving_openai
from tests.fakes import daily_series_payload, picks_json

pytestmark = pytest.mark.slow

AV_KEY = "AVSENTINEL7Q2X9"
OPENAI_KEY = "sk-proj-SENTINEL-4f7a1c"
PICKS = (("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))
BASELINE = date(2026, 5, 29)
LEVELS = {"SPY": Decimal("600"), "AAPL": Decimal("200"), "MSFT": Decimal("450")}


def _closes(symbol: str) -> dict[date, str]:
    """A gentle, split-free daily series from April to June 2026."""
    level = LEVELS.get(symbol, Decimal("120"))
    days = (date(2026, 4, 1) + timedelta(days=n) for n in range(91))
    weekdays = [day for day in days if day.weekday() < 5]
    return {day: str(level + Decimal(n) / 4) for n, day in enumerate(weekdays)}


def _key_quoting_notice(key: str) -> bytes:
    return (
        '{"Information": "Thank you for using Alpha Vantage! We have detected your API key as '
        + key
        + " and our standard API rate limit is 25 requests per day. Please subscribe to any "
        "of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all "
        'daily rate limits."}'
    ).encode()


def _nvda(query: dict[str, str], earlier: int, notice_from: int) -> bytes | None:
    """NVDA: its closes up to the baseline, then (from request `notice_from` on) only the
    key-quoting notice, so the closes of the fortnight must be fetched, and are refused."""
    if query.get("symbol") != "NVDA":
        return None
    if earlier >= notice_from:
        return _key_quoting_notice(query["apikey"])
    closes = {day: close for day, close in _closes("NVDA").items() if day <= BASELINE}
    return json.dumps(daily_series_payload("NVDA", closes)).encode()


def _table_text(conn: psycopg.Connection) -> str:
    """Every row of every table of the schema, as text."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    ]
    assert {"batches", "events", "prices"} <= set(tables)
    return "\n".join(
        str(row[0]) for table in tables for row in conn.execute(f'SELECT t::text FROM "{table}" t')
    )


@pytest.mark.parametrize(
    ("notice_from", "exit_code"),
    [
        (1, 0),  # NVDA's closes are refused after its baseline: its sessions are skipped
        (0, 1),  # from the first request on: the run fails before any batch
    ],
    ids=["checkpoints-skipped", "run-failed"],
)
def test_keys_appear_in_no_output_no_log_and_no_table(
    database_url: str, conn: psycopg.Connection, notice_from: int, exit_code: int
) -> None:
    # Given imitations of both providers; Alpha Vantage's notice for NVDA quotes the key
    alpha_vantage = FakeAlphaVantage(
        closes={symbol: _closes(symbol) for symbol in ("SPY", "AAPL", "MSFT", "NVDA")},
        now=utc_now,
        interceptor=lambda query, earlier: _nvda(query, earlier, notice_from),
    )
    openai = FakeOpenAI(content=picks_json(*PICKS))
    with serving_alpha_vantage(alpha_vantage), serving_openai(openai):
        environ = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ALPHA_VANTAGE_API_KEY": AV_KEY,
            "ALPHA_VANTAGE_BASE_URL": alpha_vantage.url,
            "ALPHA_VANTAGE_MIN_INTERVAL_SECONDS": "0",
            "OPENAI_API_KEY": OPENAI_KEY,
            "OPENAI_BASE_URL": openai.base_url,
            "OPENAI_LOG": "debug",
            "POWERTOOLS_LOG_LEVEL": "DEBUG",
        }
        # When the weekly run of June 1st runs, logging all it can
        ran = subprocess.run(
            [str(Path(sys.executable).parent / "alpha-monday"), "run-week", "--date", "2026-06-01"],
            env=environ,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    # Then the run went the way the scenario makes it go, and really used both keys
    assert ran.returncode == exit_code, ran.stdout[-2000:] + ran.stderr[-2000:]
    assert {request["apikey"] for request in alpha_vantage.requests} == {AV_KEY}
    assert openai.authorizations[0] == f"Bearer {OPENAI_KEY}"
    assert "HTTP Request: GET" in ran.stderr  # httpx's debug logging was on
    # And neither key is in stdout, stderr (every log line) or any table
    stored = _table_text(conn)
    for key in (AV_KEY, OPENAI_KEY):
        assert key not in ran.stdout
        assert key not in ran.stderr
        assert key not in stored
    # And the provider's notice is on record, its key blanked out
    assert "detected your API key as [redacted]" in stored
