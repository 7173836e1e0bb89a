"""GET /track-record: how good the picks are, recomputed by hand and by scipy."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from decimal import Decimal
from statistics import median

import numpy as np
import psycopg
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.new_batch import create_batch
from alpha_monday.db.track_record import scored_picks
from alpha_monday.domain.model import BatchOrigin
from alpha_monday_local.query_counter import CountingCursor, statements_during
from tests.api.conftest import Call
from tests.api.oracles import newey_west_mean
from tests.builders import FIRST_MONDAY, computed_checkpoint, new_batch

# Final vs_benchmark_pct of AAPL (BUY), MSFT (SELL), NVDA (BUY), per live batch.
LIVE_SCORES = [
    ("1.500000", "-0.500000", "2.000000"),
    ("-1.000000", "0.250000", "-0.750000"),
    ("0.400000", "1.100000", "0.100000"),
    ("3.000000", "-2.000000", "0.500000"),
]


def _completed_batch(
    conn: psycopg.Connection,
    week: int,
    scores: tuple[str, str, str],
    origin: BatchOrigin = "live",
    model: str = "test-model",
) -> None:
    """A completed batch whose picks end with `scores` (an earlier day scores otherwise)."""
    detail = create_batch(
        conn, new_batch(FIRST_MONDAY + timedelta(weeks=week), origin=origin, model=model)
    )
    for day, day_scores in ((1, ("9.000000",) * 3), (4, scores)):
        checkpoint_date = detail.batch.run_date + timedelta(days=day)
        record_checkpoint(
            conn, detail.batch.id, computed_checkpoint(detail, checkpoint_date, scores=day_scores)
        )
    set_batch_status(conn, detail.batch.id, "completed", from_status="active")


@pytest.fixture
def seeded(conn: psycopg.Connection) -> psycopg.Connection:
    for week, scores in enumerate(LIVE_SCORES):
        _completed_batch(conn, week, scores)
    _completed_batch(conn, 10, ("5.000000", "5.000000", "5.000000"), origin="simulated")
    _completed_batch(
        conn, 11, ("-1.000000", "2.000000", "0.000000"), origin="retrospective", model="other"
    )
    return conn


def test_the_live_track_record_matches_a_recomputation(
    seeded: psycopg.Connection, call_api: Call
) -> None:
    # When the default (live) track record is asked for
    response = call_api("/track-record")
    assert response.status == 200
    body = response.body
    overall = body["overall"]
    # Then the counts and the hit rate are those of the four live batches' final scores
    finals = [Decimal(score) for batch in LIVE_SCORES for score in batch]
    hits = sum(1 for score in finals if score > 0)
    assert body["origins"] == ["live"]
    assert (overall["batches"], overall["picks"], overall["hits"]) == (4, 12, hits)
    assert overall["hit_rate"] == f"{Decimal(hits) / 12:.6f}"
    # with the batch as the unit: statsmodels' OLS on a constant, clustered by batch
    hit_flags = np.array([1.0 if score > 0 else 0.0 for score in finals])
    clustered = sm.OLS(hit_flags, np.ones((12, 1))).fit(
        cov_type="cluster", cov_kwds={"groups": np.repeat(np.arange(4), 3)}
    )
    low, high = stats.t.interval(0.95, 3, loc=hits / 12, scale=float(clustered.bse[0]))
    assert overall["hit_rate_interval"] == {
        "low": f"{max(0.0, low):.4f}",
        "high": f"{min(1.0, high):.4f}",
    }
    # And the batch alphas are the equal-weight means (as published, at 6 places: every
    # later figure is computed from those), with their running sum
    alphas = [
        (sum(Decimal(s) for s in batch) / 3).quantize(Decimal("0.000001")) for batch in LIVE_SCORES
    ]
    assert [a["alpha"] for a in overall["batch_alphas"]] == [f"{a:.6f}" for a in alphas]
    assert overall["batch_alphas"][-1]["cumulative_alpha"] == f"{sum(alphas):.6f}"
    assert overall["mean_alpha"] == f"{sum(alphas) / 4:.6f}"
    assert overall["median_alpha"] == f"{median(alphas):.6f}"
    # And the interval and the p-value use statsmodels' Newey-West standard error at a
    # one-week lag (the four batches are consecutive weeks), to 4 places
    hac = newey_west_mean(alphas)
    se = hac.standard_error
    assert overall["mean_alpha_interval"] == hac.interval
    assert overall["p_value_no_skill"] == hac.p_value
    # And the verdict comes from the confidence sequence: four weeks cannot bound it yet
    assert overall["confidence_sequence"] == {"low": None, "high": None}
    assert (overall["verdict"], overall["could_be_chance"]) == ("could be chance", True)
    # And the weeks to power are statsmodels' one-sample normal power at the HAC spread
    needed = NormalIndPower().solve_power(
        effect_size=0.5 / (se * 2), alpha=0.05, power=0.8, ratio=0, alternative="two-sided"
    )
    assert overall["weeks_to_power"] == math.ceil(needed) - 4
    assert (body["power_edge_pct"], body["analysis_plan"]) == ("0.5", "/analysis-plan")
    # And the equity curve starts at $100 each and gets a point per completed fortnight
    curve = overall["equity_curve"]
    assert curve[0] == {
        "day": FIRST_MONDAY.isoformat(),
        "picks_value": "100.0000",
        "spy_value": "100.0000",
        "drawdown_pct": "0.000000",
    }
    assert len(curve) == 1 + 4
    assert all(Decimal(point["drawdown_pct"]) <= 0 for point in curve)
    # And the sign-flip p-value enumerates all 2^12 direction patterns, as scipy does
    contributions = np.array([float(score) / 12 for score in finals])
    exact = stats.permutation_test(
        (contributions,), np.sum, permutation_type="samples", n_resamples=np.inf
    )
    assert overall["sign_flip_p_value"] == f"{exact.pvalue:.4f}"
    assert (overall["sign_flip_exact"], overall["sign_flip_patterns"]) == (True, 4096)
    # And the best and worst picks, and the BUY / SELL split
    assert (overall["best_pick"]["ticker"], overall["best_pick"]["vs_benchmark_pct"]) == (
        "AAPL",
        "3.000000",
    )
    assert (overall["worst_pick"]["ticker"], overall["worst_pick"]["vs_benchmark_pct"]) == (
        "MSFT",
        "-2.000000",
    )
    buy, sell = overall["by_action"]
    assert (buy["action"], buy["picks"], sell["action"], sell["picks"]) == ("BUY", 8, "SELL", 4)
    assert sell["hits"] == 2
    # And one model + prompt version holds them all: Holm over a family of one changes nothing
    (model,) = body["by_model"]
    assert (model["model"], model["prompt_version"], model["batches"]) == (
        "test-model",
        "test-prompt-1",
        4,
    )
    assert body["versions_tried"] == 1
    assert model["p_value_holm"] == model["p_value_no_skill"]


def test_origins_filter_and_models_split(seeded: psycopg.Connection, call_api: Call) -> None:
    body = call_api("/track-record?origin=retrospective,simulated").body
    assert body["origins"] == ["retrospective", "simulated"]
    assert body["overall"]["batches"] == 2
    assert [m["model"] for m in body["by_model"]] == ["test-model", "other"]
    # One batch a model: no interval, never made up, and nothing for Holm to adjust
    assert all(m["mean_alpha_interval"] is None for m in body["by_model"])
    assert all(m["could_be_chance"] is None for m in body["by_model"])
    assert all(m["confidence_sequence"] is None for m in body["by_model"])
    assert all((m["verdict"], m["weeks_to_power"]) == (None, None) for m in body["by_model"])
    assert body["versions_tried"] == 2
    assert all(m["p_value_holm"] is None for m in body["by_model"])


def test_holm_adjusts_each_versions_p_value_across_every_version_tried(
    conn: psycopg.Connection, call_api: Call
) -> None:
    # Given two versions with four live weeks each and a third with a single week
    for week, scores in enumerate(LIVE_SCORES):
        _completed_batch(conn, week, scores)
        _completed_batch(conn, 20 + week, scores[::-1], model="second")
    _completed_batch(conn, 40, ("1.000000", "1.000000", "0.500000"), model="third")
    body = call_api("/track-record").body
    # Then the family is three, and the adjusted p-values are statsmodels' Holm with m = 3
    assert body["versions_tried"] == 3
    raw = [m["p_value_no_skill"] for m in body["by_model"]]
    assert raw[2] is None
    expected = multipletests([float(raw[0]), float(raw[1]), 1.0], method="holm")[1]
    adjusted = [m["p_value_holm"] for m in body["by_model"]]
    assert adjusted[:2] == [f"{min(1.0, value):.4f}" for value in expected[:2]]
    assert adjusted[2] is None


@pytest.mark.parametrize("query", ["origin=paper", "origin=", "origin=live,,simulated"])
def test_an_unknown_origin_is_a_400(call_api: Call, query: str) -> None:
    response = call_api(f"/track-record?{query}")
    assert response.status == 400
    assert response.body["error"]["code"] == "invalid_request"


def test_without_batches_every_figure_is_empty_or_null(call_api: Call) -> None:
    overall = call_api("/track-record").body["overall"]
    assert (overall["batches"], overall["picks"], overall["batch_alphas"]) == (0, 0, [])
    for name in ("hit_rate", "hit_rate_interval", "mean_alpha", "median_alpha"):
        assert overall[name] is None
    assert overall["mean_alpha_interval"] is None
    assert overall["p_value_no_skill"] is None
    assert overall["best_pick"] is None
    for name in ("confidence_sequence", "verdict", "weeks_to_power", "could_be_chance"):
        assert overall[name] is None


def test_forty_steady_weeks_beat_spy_by_the_sequence_and_the_edge_is_a_setting(
    conn: psycopg.Connection, database_url: str
) -> None:
    from alpha_monday.api.app import create_app
    from alpha_monday.api.track_record_routes import track_record_routes
    from alpha_monday.config import load_api_settings
    from alpha_monday.db.connection import get_connection
    from alpha_monday_local.lambda_context import LocalLambdaContext
    from alpha_monday_local.server import proxy_event

    # Given forty consecutive live weeks, each a steady edge of about a point
    for week in range(40):
        alpha = f"{1.0 + 0.3 * math.sin(week):.6f}"
        _completed_batch(conn, week, (alpha, alpha, alpha))
    # When the API is built for an edge of 2 points
    settings = load_api_settings({"POWER_EDGE_PCT": "2"})
    app = create_app(settings, get_connection, track_record_routes)
    event = proxy_event("GET", "/track-record", {}, None, b"")
    body = json.loads(app.resolve(event, LocalLambdaContext("track", "r"))["body"])
    overall = body["overall"]
    # Then the sequence lies above 0 and says so, with the fixed-sample interval beside it
    sequence, fixed = overall["confidence_sequence"], overall["mean_alpha_interval"]
    assert overall["verdict"] == "beats SPY"
    assert Decimal(sequence["low"]) > 0
    assert Decimal(sequence["low"]) < Decimal(fixed["low"]) < Decimal(fixed["high"])
    assert Decimal(fixed["high"]) < Decimal(sequence["high"])
    assert (body["power_edge_pct"], overall["weeks_to_power"]) == ("2", 0)


def test_the_track_record_reads_in_one_statement(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True, cursor_factory=CountingCursor) as conn:
        for week, scores in enumerate(LIVE_SCORES):
            _completed_batch(conn, week, scores)
        assert statements_during(lambda: scored_picks(conn, ("live",))) == 1
