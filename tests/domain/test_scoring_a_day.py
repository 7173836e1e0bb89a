"""Scoring one day on in-memory values: the returns, splits, lost symbols, a benchmark jump,
and which close a move is judged against."""

from __future__ import annotations

from decimal import Decimal

from tests.domain.memory import SplitHistory, batch, computed, day, pick, score

AAPL = pick("AAPL", "BUY", "200.00")
MSFT = pick("MSFT", "SELL", "400.00")
PICKS = (AAPL, MSFT)


def test_a_day_scores_each_pick_against_the_benchmark_both_ways() -> None:
    # Given a BUY and a SELL, SPY at 500 on the baseline
    detail = batch(PICKS, "500.00")
    # When SPY rises 2 %, AAPL 5 % and MSFT 1 %
    result = score(detail, day(2), {"SPY": "510.00", "AAPL": "210.00", "MSFT": "404.00"})
    # Then the BUY scores +3 points and the SELL, which rose less than SPY, +1
    assert result.skip_reason is None
    assert result.benchmark_return_pct == Decimal("2.000000")
    scores = {s.ticker: (s.absolute_return_pct, s.vs_benchmark_pct) for s in result.scores}
    assert scores == {
        "AAPL": (Decimal("5.000000"), Decimal("3.000000")),
        "MSFT": (Decimal("-1.000000"), Decimal("1.000000")),
    }


def test_a_confirmed_split_divides_the_baseline_from_its_date_with_one_look_up() -> None:
    # Given AAPL splits 4:1 on day 3, and the provider reports it
    detail = batch(PICKS, "500.00")
    history = SplitHistory(("AAPL", day(3), "4"))
    # When AAPL's close falls to about a quarter
    result = score(detail, day(3), {"SPY": "500.00", "AAPL": "51.00", "MSFT": "400.00"}, history)
    # Then its return is +2 % on the split-adjusted baseline, and the split is recorded
    (aapl, _) = result.scores
    assert aapl.absolute_return_pct == Decimal("2.000000")
    assert [(n.ticker, n.split.factor) for n in result.new_splits] == [("AAPL", Decimal(4))]
    assert history.asked == ["AAPL"]


def test_an_unconfirmed_split_like_jump_leaves_the_pick_out_and_never_asks_for_others() -> None:
    # Given no split reported
    detail = batch(PICKS, "500.00")
    history = SplitHistory()
    # When AAPL halves
    result = score(detail, day(2), {"SPY": "500.00", "AAPL": "100.00", "MSFT": "400.00"}, history)
    # Then AAPL is left out with the ratio seen, MSFT is scored, one look-up was made
    assert [s.ticker for s in result.scores] == ["MSFT"]
    (left_out,) = result.left_out
    assert left_out.reason == "unconfirmed split: AAPL (close 0.5000x its last published close)"
    assert history.asked == ["AAPL"]


def test_an_ordinary_move_asks_for_no_split_history() -> None:
    history = SplitHistory()
    score(batch(PICKS, "500.00"), day(2), {"SPY": "501", "AAPL": "190", "MSFT": "410"}, history)
    assert history.asked == []


def test_a_pick_whose_symbol_is_unknown_is_left_out_alone() -> None:
    result = score(batch(PICKS, "500.00"), day(2), {"SPY": "500.00", "MSFT": "400.00"})
    assert [s.ticker for s in result.scores] == ["MSFT"]
    assert [(o.ticker, o.reason) for o in result.left_out] == [("AAPL", "symbol unknown: AAPL")]


def test_a_missing_or_jumping_benchmark_voids_the_whole_day() -> None:
    detail = batch(PICKS, "500.00")
    missing = score(detail, day(2), {"AAPL": "200.00", "MSFT": "400.00"})
    jumped = score(detail, day(2), {"SPY": "250.00", "AAPL": "200.00", "MSFT": "400.00"})
    assert missing.skip_reason == "symbol unknown: SPY"
    assert jumped.skip_reason == "unconfirmed split: SPY (close 0.5000x its last published close)"
    assert missing.scores == jumped.scores == ()


def test_a_move_is_judged_against_the_last_published_close_not_yesterday() -> None:
    # Given AAPL was published at 200 on day 2, then left out on day 3 (halved, unconfirmed)
    detail = batch(
        PICKS,
        "500.00",
        computed(day(2), "500.00", {AAPL: "200.00", MSFT: "400.00"}, {}),
        computed(
            day(3),
            "500.00",
            {MSFT: "400.00"},
            {AAPL: "unconfirmed split: AAPL (close 0.5000x its last published close)"},
        ),
    )
    # When day 4's close drifts to 104 (only 4 % above day 3's unpublished 100)
    result = score(detail, day(4), {"SPY": "500.00", "AAPL": "104.00", "MSFT": "400.00"})
    # Then it is still judged against the published 200: left out, never a -48 % return
    assert [s.ticker for s in result.scores] == ["MSFT"]
    assert result.left_out[0].reason.startswith("unconfirmed split: AAPL (close 0.5200x")
