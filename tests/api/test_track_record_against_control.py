"""GET /track-record against the random control: each Monday's batch alpha minus the
control's, recomputed by hand and by statsmodels."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import psycopg

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.new_batch import create_batch
from tests.api.conftest import Call
from tests.api.oracles import newey_west_mean
from tests.builders import FIRST_MONDAY, computed_checkpoint, new_arena_batch

SIX = Decimal("0.000001")
# Final scores per Monday: the model's AAPL, MSFT, NVDA, then the control's AAPL, KO.
SCORES = [
    ("1.500000", "-0.500000", "2.000000", "0.250000", "-1.000000"),
    ("-1.000000", "0.250000", "-0.750000", "0.500000", "0.100000"),
    ("0.400000", "1.100000", "0.100000", "-0.300000", "-0.200000"),
    ("3.000000", "-2.000000", "0.500000", "1.000000", "2.000000"),
]


def _alpha(scores: tuple[str, ...]) -> Decimal:
    return (sum(Decimal(s) for s in scores) / len(scores)).quantize(SIX)


def test_the_models_are_paired_against_the_control_of_the_same_monday(
    conn: psycopg.Connection, call_api: Call
) -> None:
    # Given four completed Mondays, each with a model entry, a failed one and the control
    for week, scores in enumerate(SCORES):
        detail = create_batch(conn, new_arena_batch(FIRST_MONDAY + timedelta(weeks=week)))
        day = detail.batch.run_date + timedelta(days=4)
        record_checkpoint(conn, detail.batch.id, computed_checkpoint(detail, day, scores=scores))
        set_batch_status(conn, detail.batch.id, "completed", from_status="active")
    # When the track record is asked for
    body = call_api("/track-record").body
    # Then the models' record counts the model's picks only, and the control has its own
    assert (body["overall"]["batches"], body["overall"]["picks"]) == (4, 12)
    assert (body["control"]["batches"], body["control"]["picks"]) == (4, 8)
    models = [_alpha(s[:3]) for s in SCORES]
    control = [_alpha(s[3:]) for s in SCORES]
    assert [a["alpha"] for a in body["control"]["batch_alphas"]] == [f"{a:.6f}" for a in control]
    # And each Monday is paired: the models' alpha minus the control's
    paired = body["against_control"]
    assert paired["mondays"] == [
        {
            "run_date": (FIRST_MONDAY + timedelta(weeks=week)).isoformat(),
            "alpha": f"{m:.6f}",
            "control_alpha": f"{c:.6f}",
            "difference": f"{m - c:.6f}",
        }
        for week, (m, c) in enumerate(zip(models, control, strict=True))
    ]
    differences = [m - c for m, c in zip(models, control, strict=True)]
    assert paired["mean_difference"] == f"{(sum(differences) / 4).quantize(SIX):.6f}"
    # And its interval and p-value are statsmodels' Newey-West at a one-week lag
    hac = newey_west_mean(differences)
    assert paired["mean_difference_interval"] == hac.interval
    assert paired["p_value_no_edge"] == hac.p_value
    # And four Mondays cannot say more than "could be chance"
    assert paired["verdict"] == "could be chance"
    # And the one model version's pairing is the same, Holm over a family of one
    (version,) = body["by_model"]
    assert version["against_control"] | {"p_value_holm": None} == paired | {"p_value_holm": None}
    assert version["against_control"]["p_value_holm"] == paired["p_value_no_edge"]


def test_without_a_control_there_is_nothing_to_pair(call_api: Call) -> None:
    body = call_api("/track-record").body
    assert (body["control"], body["against_control"]) == (None, None)
