"""Scoring one day on in-memory values: total returns, every kind of corporate action,
lost symbols, unexplained moves and how later sessions decide them."""

from __future__ import annotations

from decimal import Decimal

from tests.domain.memory import ActionHistory, batch, computed, day, pick, score, skipped

AAPL = pick("AAPL", "BUY", "200.00")
MSFT = pick("MSFT", "SELL", "400.00")
PICKS = (AAPL, MSFT)
FLAT = {"SPY": "500.00", "MSFT": "400.00"}


def _returns(result: object) -> dict[str, tuple[Decimal, Decimal]]:
    return {s.ticker: (s.absolute_return_pct, s.vs_benchmark_pct) for s in result.scores}  # type: ignore[attr-defined]


def test_a_day_scores_each_pick_against_the_benchmark_both_ways() -> None:
    # Given a BUY and a SELL, SPY at 500 on the baseline
    detail = batch(PICKS, "500.00")
    # When SPY rises 2 %, AAPL 5 % and MSFT 1 %
    result = score(detail, day(2), {"SPY": "510.00", "AAPL": "210.00", "MSFT": "404.00"})
    # Then the BUY scores +3 points and the SELL, which rose less than SPY, +1
    assert result.skip_reason is None
    assert result.benchmark_return_pct == Decimal("2.000000")
    assert _returns(result) == {
        "AAPL": (Decimal("5.000000"), Decimal("3.000000")),
        "MSFT": (Decimal("-1.000000"), Decimal("1.000000")),
    }


def test_a_20_for_1_split_with_a_move_on_the_day_is_adjusted_with_one_look_up() -> None:
    # Given AAPL splits 20:1 on day 3 (Amazon's and Alphabet's 2022 ratio), as reported
    detail = batch(PICKS, "500.00")
    history = ActionHistory(("AAPL", "split", day(3), "20"))
    # When AAPL closes at 10.50: a 5 % rise in today's shares
    result = score(detail, day(3), {**FLAT, "AAPL": "10.50"}, history)
    # Then it is published at +5 %, never -95 %; the split is counted; one look-up was made
    assert _returns(result)["AAPL"] == (Decimal("5.000000"), Decimal("5.000000"))
    assert [(a.symbol, a.kind, a.value) for a in result.applied] == [("AAPL", "split", Decimal(20))]
    assert history.asked == ["AAPL"]


def test_a_3_for_2_and_a_1_for_10_reverse_split_are_adjusted() -> None:
    detail = batch(PICKS, "500.00")
    forward = ActionHistory(("AAPL", "split", day(2), "1.5"))
    reverse = ActionHistory(("AAPL", "split", day(2), "0.1"))
    three_two = score(detail, day(2), {**FLAT, "AAPL": "136.00"}, forward)
    one_ten = score(detail, day(2), {**FLAT, "AAPL": "1960.00"}, reverse)
    assert _returns(three_two)["AAPL"][0] == Decimal("2.000000")
    assert _returns(one_ten)["AAPL"][0] == Decimal("-2.000000")


def test_a_spin_off_factor_already_known_adjusts_a_move_no_rule_would_question() -> None:
    # Given IBM-style: a spin-off reported as a split factor of 1.0460
    detail = batch(PICKS, "500.00")
    history = ActionHistory(known=(("AAPL", "split", day(2), "1.0460"),))
    # When AAPL closes at 191.20 (a 4.4 % drop that is the spin-off, not a loss)
    result = score(detail, day(2), {**FLAT, "AAPL": "191.20"}, history)
    # Then the baseline is 200 / 1.046 and the return is about zero; nothing was looked up
    assert _returns(result)["AAPL"][0] == Decimal("-0.002400")
    assert history.asked == []


def test_a_dividend_enters_the_total_return_of_a_buy_and_costs_a_sell() -> None:
    # Given MSFT (a SELL) goes ex-dividend 3.00 on day 2 and its close drops by it
    detail = batch((AAPL, MSFT), "500.00")
    history = ActionHistory(known=(("MSFT", "dividend", day(2), "3.00"),))
    closes = {"SPY": "500.00", "AAPL": "200.00", "MSFT": "397.00"}
    with_dividend = score(detail, day(2), closes, history)
    without = score(detail, day(2), closes)
    # Then the SELL scores 0 (the price drop is the dividend a short pays), not +0.75
    assert _returns(with_dividend)["MSFT"] == (Decimal("0.000000"), Decimal("0.000000"))
    assert _returns(without)["MSFT"] == (Decimal("0.750000"), Decimal("0.750000"))


def test_the_benchmark_dividend_enters_its_total_return_and_every_vs_score() -> None:
    detail = batch(PICKS, "500.00")
    history = ActionHistory(known=(("SPY", "dividend", day(2), "1.75"),))
    result = score(detail, day(2), {"SPY": "498.25", "AAPL": "200", "MSFT": "400"}, history)
    assert result.benchmark_return_pct == Decimal("0.000000")
    assert _returns(result)["AAPL"] == (Decimal("0.000000"), Decimal("0.000000"))


def test_a_dividend_paid_before_a_split_is_counted_in_todays_shares() -> None:
    detail = batch(PICKS, "500.00")
    history = ActionHistory(
        known=(("AAPL", "dividend", day(2), "2.00"), ("AAPL", "split", day(3), "2"))
    )
    # 100 + 2/2 against 200/2: +1 %
    result = score(detail, day(3), {**FLAT, "AAPL": "100.00"}, history)
    assert _returns(result)["AAPL"][0] == Decimal("1.000000")


def test_an_unexplained_move_is_held_back_alone_with_its_close() -> None:
    # Given no action reported
    detail = batch(PICKS, "500.00")
    history = ActionHistory()
    # When AAPL halves
    result = score(detail, day(2), {**FLAT, "AAPL": "100.00"}, history)
    # Then AAPL is held back with its close, MSFT is scored, one look-up was made
    assert [s.ticker for s in result.scores] == ["MSFT"]
    (held,) = result.left_out
    assert held.reason.startswith("unconfirmed move: AAPL (close 0.5000x")
    assert held.held_close == Decimal("100.00")
    assert history.asked == ["AAPL"]


def test_an_ordinary_move_asks_for_no_corporate_actions() -> None:
    history = ActionHistory()
    score(batch(PICKS, "500.00"), day(2), {"SPY": "501", "AAPL": "192", "MSFT": "410"}, history)
    assert history.asked == []


def test_the_1e_8_close_is_held_and_the_next_session_makes_it_an_outlier_for_good() -> None:
    # Given AAPL's close of 0.00000001 on day 2 was held back
    held_day = computed(
        day(2),
        "500.00",
        {MSFT: "400.00"},
        {AAPL: "unconfirmed move: AAPL (...)"},
        held={AAPL: "0.00000001"},
    )
    detail = batch(PICKS, "500.00", held_day)
    # When day 2 is scored again with day 3's close back at 201
    again = score(
        detail,
        day(2),
        {**FLAT, "AAPL": "0.00000001"},
        later=(day(3), {**FLAT, "AAPL": "201.00"}),
    )
    today = score(detail, day(3), {**FLAT, "AAPL": "201.00"})
    # Then day 2 stays unpublished for good (an outlier), and day 3 scores normally
    (outlier,) = again.left_out
    assert outlier.reason.startswith("outlier: AAPL (close 0.00000001")
    assert outlier.held_close is None
    assert _returns(today)["AAPL"][0] == Decimal("0.500000")


def test_a_real_move_is_published_once_a_later_session_holds_its_level() -> None:
    # Given AAPL fell to 140 on day 2 (-30 %, no action explains it) and was held
    held_day = computed(
        day(2), "500.00", {MSFT: "400.00"}, {AAPL: "unconfirmed move: AAPL (...)"},
        held={AAPL: "140.00"},
    )  # fmt: skip
    detail = batch(PICKS, "500.00", held_day)
    # When day 3 closes at 142: it stays at the new level
    today = score(detail, day(3), {**FLAT, "AAPL": "142.00"})
    healed = score(
        detail, day(2), {**FLAT, "AAPL": "140.00"}, later=(day(3), {**FLAT, "AAPL": "142.00"})
    )
    # Then both days are published with the real move, and the decision is said
    assert _returns(today)["AAPL"][0] == Decimal("-29.000000")
    assert _returns(healed)["AAPL"][0] == Decimal("-30.000000")
    (decision,) = healed.decisions
    assert "was real" in decision


def test_a_pick_whose_symbol_is_unknown_is_left_out_alone() -> None:
    result = score(batch(PICKS, "500.00"), day(2), {"SPY": "500.00", "MSFT": "400.00"})
    assert [s.ticker for s in result.scores] == ["MSFT"]
    assert [(o.ticker, o.reason) for o in result.left_out] == [("AAPL", "symbol unknown: AAPL")]


def test_a_missing_or_unexplained_benchmark_voids_the_whole_day() -> None:
    detail = batch(PICKS, "500.00")
    missing = score(detail, day(2), {"AAPL": "200.00", "MSFT": "400.00"})
    jumped = score(detail, day(2), {"SPY": "250.00", "AAPL": "200.00", "MSFT": "400.00"})
    assert missing.skip_reason == "symbol unknown: SPY"
    assert jumped.skip_reason is not None
    assert jumped.skip_reason.startswith("unconfirmed move: SPY (close 0.5000x")
    assert jumped.benchmark_close == Decimal("250.00")
    assert missing.scores == jumped.scores == ()


def test_a_move_is_judged_against_the_last_published_close_not_yesterday() -> None:
    # Given AAPL was published at 200 on day 2, then held on day 3 (halved, unexplained)
    detail = batch(
        PICKS,
        "500.00",
        computed(day(2), "500.00", {AAPL: "200.00", MSFT: "400.00"}, {}),
        computed(
            day(3), "500.00", {MSFT: "400.00"}, {AAPL: "unconfirmed move: AAPL (...)"},
            held={AAPL: "100.00"},
        ),
    )  # fmt: skip
    # When day 4's close is 130: neither near the held 100 nor near the published 200
    result = score(detail, day(4), {**FLAT, "AAPL": "130.00"})
    # Then it is judged against the published 200 and held too, never a -35 % return
    assert [s.ticker for s in result.scores] == ["MSFT"]
    assert result.left_out[0].reason.startswith("unconfirmed move: AAPL (close 0.6500x")


def test_a_day_scored_again_never_unpublishes_a_pick_whose_move_was_decided() -> None:
    # Given day 2 published AAPL at 140 (-30 %, confirmed by day 3's close)
    detail = batch(PICKS, "500.00", computed(day(2), "500.00", {AAPL: "140", MSFT: "400"}, {}))
    # When the completion audit scores day 2 again, day 10's close having moved on
    again = score(detail, day(2), {**FLAT, "AAPL": "140"}, later=(day(10), {**FLAT, "AAPL": "99"}))
    # Then AAPL stays published with the same value
    assert _returns(again)["AAPL"][0] == Decimal("-30.000000")
    assert again.left_out == ()


def test_a_benchmark_outlier_voids_its_day_for_good_and_keeps_no_close() -> None:
    # Given SPY's close of day 2 was held (it halved); day 3 is back at 501
    held = skipped(day(2), "unconfirmed move: SPY (...)").model_copy(
        update={"benchmark_price": Decimal("250.00")}
    )
    detail = batch(PICKS, "500.00", held)
    again = score(
        detail,
        day(2),
        {**FLAT, "SPY": "250.00", "AAPL": "200"},
        later=(day(3), {**FLAT, "AAPL": "200", "SPY": "501"}),
    )
    today = score(detail, day(3), {**FLAT, "SPY": "501.00", "AAPL": "200"})
    assert again.skip_reason is not None
    assert again.skip_reason.startswith("outlier: SPY")
    assert again.benchmark_close is None
    assert today.benchmark_return_pct == Decimal("0.200000")
