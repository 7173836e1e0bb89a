"""`alpha-monday run-week` as a person runs it: readable days, one-line failures, no traceback."""

from __future__ import annotations

import pytest

from alpha_monday_local.cli import main

JUNE_1 = "2026-06-01"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["run-week", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_run_prints_one_line_per_day_and_a_table_with_a_legend_and_twice_works(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # When a Monday is run offline
    code, out, err = _run(capsys, "--date", JUNE_1)
    # Then it succeeded, each of the 14 days has one line, and no loop-control state shows
    assert code == 0, out + err
    day_lines = [line for line in out.splitlines() if line.startswith("  2026-")]
    assert [line.split()[0] for line in day_lines] == [f"2026-06-{d:02d}" for d in range(1, 15)]
    assert "2026-06-06 Sat  skipped: weekend" in out
    assert "(vs SPY " in out
    states = ("AdvanceCheckpointCounter", "MoreCheckpoints", "WaitForMarketClose")
    for noise in (*states, "{'", '"_aws"'):
        assert noise not in out
    assert "SELL = SPY return - stock return" in out
    assert "OFFLINE" in err
    # When the same Monday is run again
    code, again, err = _run(capsys, "--date", JUNE_1)
    # Then it shows the recorded batch, unchanged, and still exits 0
    assert code == 0, again + err
    assert "recorded before" in again
    assert again.split("unchanged.")[1] == out.split("state transitions")[1]
    assert "Traceback" not in again + err


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-06-02", "2026-06-02 is a Tuesday: run-week takes a Monday as YYYY-MM-DD"),
        ("0001-01-01", "pick a Monday from 2022-01-10 on (YYYY-MM-DD)"),
        ("2099-06-01", "the offline market does not make up future prices"),
    ],
)
def test_a_date_run_week_cannot_replay_is_refused_in_one_line_without_the_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, day: str, expected: str
) -> None:
    # Given a database nobody listens for: a refusal must not need it
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/alpha_monday")
    code, out, err = _run(capsys, "--date", day)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line.startswith("alpha-monday run-week: error: ")
    assert expected in line
    assert "weekly run" not in out


def test_a_date_that_is_not_a_date_states_the_expected_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run-week", "--date", "foo"])
    assert exited.value.code == 2
    assert "expected a Monday as YYYY-MM-DD, got 'foo'" in capsys.readouterr().err


def test_unreachable_providers_end_in_one_failure_line(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a real Alpha Vantage key, and the service unreachable (a closed local port)
    monkeypatch.setenv("ALPHA_VANTAGE_API_KEY", "sentinel-key")
    monkeypatch.setenv("ALPHA_VANTAGE_BASE_URL", "http://127.0.0.1:9/query")
    monkeypatch.setenv("ALPHA_VANTAGE_MIN_INTERVAL_SECONDS", "0")
    # When a Monday is run
    code, out, err = _run(capsys, "--date", JUNE_1)
    # Then one line says where, what and the batch's state; no traceback, no moto internals
    assert code == 1
    (failure,) = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert failure == (
        "FAILED at PlanRun: MarketDataUnavailable: SPY: Alpha Vantage unreachable"
        " (ConnectError) -- no batch recorded"
    )
    assert "Traceback" not in out + err
    assert "moto." not in out + err
    assert "sentinel-key" not in out + err
