"""`alpha-monday verify`: every published number recomputed from the open data alone, on a
fortnight the real state machine ran, and a tampered close or reason named."""

from __future__ import annotations

import csv
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alpha_monday_local.cli import main
from alpha_monday_local.verify import TABLES, TRACK_RECORD_FILE, load, verify

JUNE_1 = "2026-06-01"  # a split, a dividend and a spin-off found by the audit


@pytest.fixture
def published(
    database_url: str, serve_api: Callable[[], str], capsys: pytest.CaptureFixture[str]
) -> str:
    """The June 1st fortnight run offline through the state machine, served over HTTP."""
    assert main(["run-week", "--date", JUNE_1]) == 0
    capsys.readouterr()
    return serve_api()


def _download(base: str, folder: Path) -> Path:
    for table in TABLES:
        with urllib.request.urlopen(f"{base}/data/{table}.csv", timeout=10) as answer:
            (folder / f"{table}.csv").write_bytes(answer.read())
    url = f"{base}/track-record?origin=live,retrospective,simulated"
    with urllib.request.urlopen(url, timeout=10) as answer:
        (folder / TRACK_RECORD_FILE).write_bytes(answer.read())
    return folder


def _rewrite(path: Path, change: Any) -> None:
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    change(rows)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_the_published_fortnight_recomputes_exactly_from_its_open_data(published: str) -> None:
    # When every number is recomputed from the open data the API serves
    report = verify(load(published))
    # Then none differs: 10 sessions x (6 picks, the model's and the control's, x 3 figures
    # + SPY's 2), one commitment (of both entries), and every figure of the track record
    assert report.mismatches == []
    assert report.checked["numbers"] == 10 * (6 * 3 + 2)
    assert report.checked["commitments"] == 1
    assert report.checked["track record figures"] > 40


def test_a_tampered_close_is_named_and_fails_the_check(
    published: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the open data saved to a folder, with TSLA's close of June 3rd (its split day)
    # changed by one cent
    folder = _download(published, tmp_path)

    def tamper(rows: list[dict[str, str]]) -> None:
        (row,) = [r for r in rows if (r["symbol"], r["trading_date"]) == ("TSLA", "2026-06-03")]
        row["close"] = f"{float(row['close']) + 0.01:.4f}"

    _rewrite(folder / "closes.csv", tamper)
    # When it is verified
    code = main(["verify", str(folder)])
    out = capsys.readouterr().out
    # Then it fails, naming that day's close and the returns it no longer gives
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("MISMATCH")]
    assert all("TSLA 2026-06-03" in line for line in lines)
    assert any("vs_benchmark_pct" in line for line in lines)
    assert out.splitlines()[-1].endswith(f"{len(lines)} mismatches")


def test_a_changed_reason_breaks_the_commitment(
    published: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _download(published, tmp_path)

    def reword(rows: list[dict[str, str]]) -> None:
        rows[0]["reasoning"] += " (edited later)"

    _rewrite(folder / "picks.csv", reword)
    assert main(["verify", str(folder)]) == 1
    out = capsys.readouterr().out
    (line,) = [text for text in out.splitlines() if text.startswith("MISMATCH")]
    assert line.startswith(f"MISMATCH batch {JUNE_1} commitment")


def test_a_changed_score_is_caught_by_the_track_record_too(published: str, tmp_path: Path) -> None:
    folder = _download(published, tmp_path)

    def shift(rows: list[dict[str, str]]) -> None:
        last = max(rows, key=lambda r: (r["checkpoint_date"], r["ticker"]))
        last["vs_benchmark_pct"] = "0.000001"

    _rewrite(folder / "metrics.csv", shift)
    wheres = [m.where for m in verify(load(str(folder))).mismatches]
    assert any(where.endswith("vs_benchmark_pct") for where in wheres)
    assert any(where.startswith("track record.overall.mean_alpha") for where in wheres)
