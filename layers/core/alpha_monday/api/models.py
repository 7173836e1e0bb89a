"""Response bodies. Numeric database values travel as exact decimal strings."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from alpha_monday.domain import model as domain
from alpha_monday.domain.confidence_sequence import Verdict
from alpha_monday.domain.track_record import Record, TrackRecord

DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"

# Fixed-point text, never exponent notation ("0.00000001", not "1E-8").
DecimalString = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, "f"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["187.44"]}),
]


class ApiModel(BaseModel):
    # Built on first use: each read function answers one route and needs its models only.
    model_config = ConfigDict(frozen=True, defer_build=True)


BATCH_ID_EXAMPLE = "3f0c8a52-6f0e-4d8b-9a56-1b2f3c4d5e6f"
PICK_ID_EXAMPLE = "9b1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
ENTRY_ID_EXAMPLE = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
RETURN_NOTE = (
    "A total return: the close plus the cash dividends per share paid since the baseline "
    "(ex-date after the baseline date, on or before the day), against the baseline divided "
    "by every split since (docs/scoring.md). Percent, 6 decimal places (half-even), as stored."
)


class Health(ApiModel):
    status: Literal["ok", "unavailable"] = Field(
        description="`ok` when the service can answer with data", examples=["ok"]
    )
    database: Literal["ok", "unavailable"] = Field(
        description="whether the database answered a query just now", examples=["ok"]
    )


class SplitAdjustmentOut(ApiModel):
    effective_date: date = Field(
        description="the first session traded on the new share count", examples=["2026-06-10"]
    )
    split_factor: DecimalString = Field(
        description="shares after per share before (20 for a 20:1 split, 1.5 for 3:2, 0.1 "
        "for a 1:10 reverse split, about 1.05 for a spin-off); the baseline, and every "
        "dividend paid before, is divided by it from effective_date on",
        examples=["2.0000"],
    )
    first_counted_on: date = Field(
        description="the first day whose returns count it (a day counting it only later "
        "says so in its rescored_because)",
        examples=["2026-06-10"],
    )


class DividendOut(ApiModel):
    ex_date: date = Field(
        description="the ex-dividend date: from that day on the close no longer carries it",
        examples=["2026-06-08"],
    )
    amount: DecimalString = Field(
        description="cash per share, exactly as the provider sent it; added to the close "
        "from ex_date on (a SELL pays it)",
        examples=["0.2600"],
    )
    first_counted_on: date = Field(
        description="the first day whose returns count it", examples=["2026-06-08"]
    )


class CorporateActionsOut(ApiModel):
    split_adjustments: list[SplitAdjustmentOut] = Field(
        description="splits counted during the fortnight (usually none)"
    )
    dividends: list[DividendOut] = Field(description="cash dividends counted during the fortnight")


class _PickFields(ApiModel):
    id: UUID = Field(description="the pick's id", examples=[PICK_ID_EXAMPLE])
    entry_id: UUID = Field(
        description="the entry (contender) that made the pick", examples=[ENTRY_ID_EXAMPLE]
    )
    ticker: str = Field(description="US exchange ticker", examples=["AAPL"])
    action: domain.PickAction = Field(
        description="BUY: the model expects the stock to beat the benchmark over the "
        "fortnight; SELL: to trail it",
        examples=["SELL"],
    )
    reasoning: str = Field(
        description="the model's reasoning, as it gave it",
        examples=["Margins are under pressure into the holiday quarter."],
    )
    initial_price: DecimalString = Field(
        description="the baseline: the close of the last session before run_date, exactly as "
        "the provider sent it",
        examples=["187.4400"],
    )


class PickOut(CorporateActionsOut, _PickFields):
    """A pick of the model, with the splits and dividends its total return counts."""


class PickMetricOut(ApiModel):
    pick_id: UUID = Field(
        description="the pick these returns belong to", examples=[PICK_ID_EXAMPLE]
    )
    ticker: str = Field(description="the pick's ticker", examples=["AAPL"])
    current_price: DecimalString = Field(
        description="the day's final close, exactly as the provider sent it",
        examples=["190.0100"],
    )
    absolute_return_pct: DecimalString = Field(
        description="the position's own return since the baseline: the stock's return for a "
        "BUY, its negative (a short) for a SELL. " + RETURN_NOTE,
        examples=["-1.371100"],
    )
    vs_benchmark_pct: DecimalString = Field(
        description="the call's score against the benchmark: BUY = stock return - benchmark "
        "return; SELL = benchmark return - stock return, so a SELL scores positive exactly "
        "when the stock does worse than the benchmark, whatever the market did. " + RETURN_NOTE,
        examples=["0.628900"],
    )


class PickSkipOut(ApiModel):
    pick_id: UUID = Field(description="the pick left out that day", examples=[PICK_ID_EXAMPLE])
    ticker: str = Field(description="the pick's ticker", examples=["XYZ"])
    reason: str = Field(
        description="why it has no returns that day: `symbol unknown: <ticker>` (the data "
        "source lost it), `unconfirmed move: <ticker> (...)` (a move beyond the bound or "
        "near a split-like ratio that no corporate action explains: held back until a "
        "later session decides), `outlier: <ticker> (...)` (a held close the next session "
        "went back from: never published)",
        examples=["symbol unknown: XYZ"],
    )
    held_close: DecimalString | None = Field(
        description="the close held back as an unconfirmed move, exactly as sent (else null)",
        examples=["23.1594"],
    )


class CheckpointOut(ApiModel):
    checkpoint_date: date = Field(
        description="the day (New York) this checkpoint records", examples=["2026-06-02"]
    )
    status: domain.CheckpointStatus = Field(
        description="`computed` (closes and returns) or `skipped` (see skip_reason)",
        examples=["computed"],
    )
    is_baseline: bool = Field(
        description="true for the close before run_date that returns start from",
        examples=[False],
    )
    benchmark_price: DecimalString | None = Field(
        description="the benchmark's final close that day", examples=["661.2000"]
    )
    benchmark_return_pct: DecimalString | None = Field(
        description="the benchmark's return since the baseline (null on the baseline). "
        + RETURN_NOTE,
        examples=["2.000000"],
    )
    skip_reason: str | None = Field(
        description="why a skipped day has no prices: `weekend`, `holiday: <name>` (final), "
        "or a provider reason a later checkpoint fills in once the close is cached: "
        "`provider unavailable`, `rate limited`, `close never published`, `invalid price`, "
        "`provider refused the key`; `symbol unknown: <benchmark>` when the benchmark itself "
        "is missing; `unconfirmed move: <benchmark> (...)` until a later session decides, "
        "`outlier: <benchmark> (...)` for good",
        examples=["holiday: Thanksgiving Day"],
    )
    rescored_because: str | None = Field(
        description="why this day's published values were changed after it was first "
        "published (an event keeps the old and the new values); null if they never were",
        examples=["completion audit: counts the split of PG on 2026-06-09 (1.0460)"],
    )
    metrics: list[PickMetricOut] = Field(description="one row per scored pick, by ticker")
    skipped_picks: list[PickSkipOut] = Field(
        description="picks without returns on a computed day, with the reason"
    )


class ControlDrawOut(ApiModel):
    seed: str = Field(
        description="the draw's seed, fixed by run_date (docs/arena.md says how to redraw)",
        examples=["0f3a9c2e1b7d4a65"],
    )
    universe: str = Field(description="the list the control was drawn from", examples=["S&P 500"])
    universe_as_of: date = Field(
        description="the as-of date of that list, as its package ships it",
        examples=["2026-03-09"],
    )
    redrawn: list[str] = Field(
        description="tickers the market data source did not know, passed over in draw order"
    )


class PickStabilityOut(ApiModel):
    asks: int = Field(
        description="how many more times the model was asked that Monday (answers kept in the "
        "audit trail, never tracked)",
        examples=[3],
    )
    answered: int = Field(description="how many of them gave acceptable picks", examples=[3])
    ticker_overlap: DecimalString | None = Field(
        description="the mean share of the committed tickers those answers repeated, 6 places",
        examples=["0.666667"],
    )
    call_overlap: DecimalString | None = Field(
        description="the mean share of the committed calls (ticker and action) they repeated",
        examples=["0.333333"],
    )


class EntryOut(ApiModel):
    id: UUID = Field(description="the entry's id", examples=[ENTRY_ID_EXAMPLE])
    contender: str = Field(description="the contender's configured name", examples=["gpt-4o-mini"])
    kind: domain.EntryKind = Field(
        description="`model`: a language model's picks; `control`: random picks drawn from "
        "the same market, scored the same way (the yardstick of luck)",
        examples=["model"],
    )
    model: str | None = Field(
        description="the model that answered (null for the control)",
        examples=["gpt-4o-mini-2024-07-18"],
    )
    prompt_version: str | None = Field(
        description="the prompt's version (null for the control)", examples=["2026-12-02.1"]
    )
    error: str | None = Field(
        description="why the entry has no picks this week (a model that failed after its "
        "retries, a control the market data could not draw); null otherwise",
        examples=[None],
    )
    control: ControlDrawOut | None = Field(
        description="how the random control was drawn; null for a model"
    )
    stability: PickStabilityOut | None = Field(
        default=None,
        description="would the model pick the same again? Its extra answers of that Monday "
        "against the committed picks (PICK_STABILITY_ASKS); null when not asked",
    )


class BatchOut(ApiModel):
    id: UUID = Field(description="the batch's id", examples=[BATCH_ID_EXAMPLE])
    run_date: date = Field(
        description="the Monday (New York) the picks were made for", examples=["2026-06-01"]
    )
    created_at: datetime = Field(
        description="when the picks were recorded", examples=["2026-06-01T12:00:03Z"]
    )
    status: domain.BatchStatus = Field(
        description="`active` while tracked, `completed` after day 14, `failed` on an "
        "unrecoverable error",
        examples=["completed"],
    )
    model: str | None = Field(
        description="the language model that answered (the API's own name for it, which may "
        "be a dated snapshot)",
        examples=["gpt-4o-mini-2024-07-18"],
    )
    prompt_version: str | None = Field(
        description="the version of the prompt the model was given", examples=["2026-12-02.1"]
    )
    origin: domain.BatchOrigin = Field(
        description="`live`: the picks were committed by the real model and market data "
        "before the market opened (09:30 New York) on run_date; `retrospective`: made later "
        "(a manual run for a past Monday: the model may already know what happened); "
        "`simulated`: made by the offline stand-ins, not a real model's opinion",
        examples=["live"],
    )
    benchmark_symbol: str = Field(description="the benchmark ETF", examples=["SPY"])
    benchmark_initial_price: DecimalString = Field(
        description="the benchmark's baseline close, exactly as the provider sent it",
        examples=["651.8800"],
    )
    commitment_sha256: str | None = Field(
        description="the SHA-256 (hex) of the canonical JSON of what was committed: run_date, "
        "committed_at, and each entry's contender, model, prompt_version and picks' ticker, "
        "action and reasoning "
        "(docs/commitment.md has the form and a worked example); recompute it from this "
        "batch's detail to check that nothing was changed afterwards. Null for batches "
        "stored before commitments existed",
        examples=["5d0c8e0f4c8e3e1b1c1f6a2f0e9a7b3c4d5e6f708192a3b4c5d6e7f8091a2b3c"],
    )
    committed_at: datetime | None = Field(
        description="when the picks were committed (UTC, to the second), as hashed",
        examples=["2026-06-01T12:00:03Z"],
    )
    entries: list[EntryOut] = Field(
        description="one per contender, in the configured order; a batch stored before the "
        "arena has one model entry holding every pick"
    )


class BatchDetailOut(BatchOut):
    picks: list[PickOut] = Field(
        description="every entry's picks, in the entries' order, each entry's by ticker"
    )
    benchmark_corporate_actions: CorporateActionsOut = Field(
        description="the benchmark's splits and dividends counted in its total return"
    )
    checkpoints: list[CheckpointOut] = Field(description="in date order, the baseline first")


class PickBriefOut(ApiModel):
    entry_id: UUID = Field(
        description="the entry (contender) that made the pick", examples=[ENTRY_ID_EXAMPLE]
    )
    ticker: str = Field(description="US exchange ticker", examples=["AAPL"])
    action: domain.PickAction = Field(description="BUY or SELL (see PickOut)", examples=["BUY"])


class LatestReturnsOut(ApiModel):
    checkpoint_date: date = Field(
        description="the most recent computed day", examples=["2026-06-12"]
    )
    benchmark_return_pct: DecimalString | None = Field(
        description="the benchmark's return since the baseline. " + RETURN_NOTE,
        examples=["1.250000"],
    )
    metrics: list[PickMetricOut] = Field(description="each scored pick's returns that day")


class BatchSummaryOut(BatchOut):
    picks: list[PickBriefOut] = Field(
        description="every entry's picks, in the entries' order, each entry's by ticker"
    )
    latest_checkpoint: LatestReturnsOut | None = Field(
        description="the most recent computed checkpoint after the baseline, if any"
    )


class BatchListOut(ApiModel):
    items: list[BatchSummaryOut] = Field(description="newest run_date first")
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last page",
        examples=["2026-01-05"],
    )


def _metrics(checkpoint: domain.Checkpoint) -> list[PickMetricOut]:
    return [PickMetricOut.model_validate(m, from_attributes=True) for m in checkpoint.metrics]


def _counted(detail: domain.BatchDetail, symbol: str) -> dict[str, list[dict[str, object]]]:
    """The corporate actions the batch counts for `symbol`, as the API shows them."""
    actions = [a for a in detail.corporate_actions if a.symbol == symbol]
    return {
        "split_adjustments": [
            {
                "effective_date": a.action_date,
                "split_factor": a.value,
                "first_counted_on": a.first_counted_on,
            }
            for a in actions
            if a.kind == "split"
        ],
        "dividends": [
            {"ex_date": a.action_date, "amount": a.value, "first_counted_on": a.first_counted_on}
            for a in actions
            if a.kind == "dividend"
        ],
    }


def batch_detail_out(detail: domain.BatchDetail) -> BatchDetailOut:
    return BatchDetailOut.model_validate(
        {
            **detail.batch.model_dump(),
            "entries": [e.model_dump() for e in detail.entries],
            "picks": [
                PickOut.model_validate({**p.model_dump(), **_counted(detail, p.ticker)})
                for p in detail.picks
            ],
            "benchmark_corporate_actions": _counted(detail, detail.batch.benchmark_symbol),
            "checkpoints": [
                CheckpointOut(
                    checkpoint_date=c.checkpoint_date,
                    status=c.status,
                    # The baseline is the close of the last session before run_date.
                    is_baseline=c.checkpoint_date < detail.batch.run_date,
                    benchmark_price=c.benchmark_price,
                    benchmark_return_pct=c.benchmark_return_pct,
                    skip_reason=c.skip_reason,
                    rescored_because=c.rescored_because,
                    metrics=_metrics(c),
                    skipped_picks=[
                        PickSkipOut.model_validate(skip, from_attributes=True)
                        for skip in c.skipped_picks
                    ],
                )
                for c in detail.checkpoints
            ],
        }
    )


def batch_list_out(page: domain.BatchPage) -> BatchListOut:
    # One validation reading the summaries' attributes (their extra ones, like a pick's id,
    # are left out): the page was validated as it came from the database.
    return BatchListOut.model_validate(
        {
            "items": page.items,
            "next_cursor": (
                page.next_run_date_before.isoformat() if page.next_run_date_before else None
            ),
        },
        from_attributes=True,
    )


ESTIMATE_NOTE = "An estimate, rounded to 4 decimal places."


class IntervalOut(ApiModel):
    low: DecimalString = Field(description="lower bound", examples=["-0.4120"])
    high: DecimalString = Field(description="upper bound", examples=["1.3315"])


class SequenceIntervalOut(ApiModel):
    low: DecimalString | None = Field(
        description="lower bound; null while unbounded below", examples=["-2.8170"]
    )
    high: DecimalString | None = Field(
        description="upper bound; null while unbounded above", examples=["3.4525"]
    )


ANALYSIS_PLAN = "/analysis-plan"
PLAN_NOTE = f"The analysis plan ({ANALYSIS_PLAN}) states the formula and its assumptions."


class BatchAlphaOut(ApiModel):
    batch_id: UUID = Field(description="the batch", examples=[BATCH_ID_EXAMPLE])
    run_date: date = Field(description="its Monday", examples=["2026-06-01"])
    alpha: DecimalString = Field(
        description="the equal-weight mean of its picks' final vs_benchmark_pct. " + RETURN_NOTE,
        examples=["0.412500"],
    )
    cumulative_alpha: DecimalString = Field(
        description="the sum of the alphas of this and every earlier batch", examples=["1.3"]
    )


class EquityPointOut(ApiModel):
    day: date = Field(
        description="the end of a completed fortnight (the first point: the first Monday)",
        examples=["2026-06-12"],
    )
    picks_value: DecimalString = Field(
        description="$100 following the picks: two $50 sleeves (even and odd weeks), each "
        "holding one fortnight at a time equal-weight in its picks (a SELL is a short), "
        "compounded from the published final returns; 4 decimal places, half-even",
        examples=["103.2417"],
    )
    spy_value: DecimalString = Field(
        description="$100 in SPY over the same fortnights, the same way", examples=["101.8860"]
    )
    drawdown_pct: DecimalString = Field(
        description="picks_value against its running peak, in percent (0 or below), 6 places",
        examples=["-1.250000"],
    )


class PickScoreOut(ApiModel):
    batch_id: UUID = Field(description="the pick's batch", examples=[BATCH_ID_EXAMPLE])
    run_date: date = Field(description="its batch's Monday", examples=["2026-06-01"])
    ticker: str = Field(description="the pick's ticker", examples=["NVDA"])
    action: domain.PickAction = Field(description="BUY or SELL", examples=["BUY"])
    vs_benchmark_pct: DecimalString = Field(
        description="its score at its last computed checkpoint. " + RETURN_NOTE,
        examples=["4.210000"],
    )


class ActionSplitOut(ApiModel):
    action: domain.PickAction = Field(description="BUY or SELL", examples=["SELL"])
    picks: int = Field(description="scored picks with this action", examples=[12])
    hits: int = Field(
        description="of them, how many beat (BUY) or trailed (SELL) SPY", examples=[7]
    )
    hit_rate: DecimalString | None = Field(
        description="hits / picks, 6 decimal places; null without picks", examples=["0.583333"]
    )
    mean_vs_benchmark_pct: DecimalString | None = Field(
        description="their mean score; null without picks. " + RETURN_NOTE,
        examples=["0.215000"],
    )


class RecordOut(ApiModel):
    batches: int = Field(
        description="completed batches with at least one scored pick", examples=[9]
    )
    picks: int = Field(description="picks with a score (a computed checkpoint)", examples=[27])
    hits: int = Field(description="picks whose final vs_benchmark_pct is above 0", examples=[15])
    hit_rate: DecimalString | None = Field(
        description="hits / picks, 6 decimal places; null without picks", examples=["0.555556"]
    )
    hit_rate_interval: IntervalOut | None = Field(
        description="95 % interval of the hit rate with the batch as the unit (its picks "
        "share one market, so they are not independent draws): cluster-robust standard error "
        "with the G/(G-1) correction, t with G-1 degrees of freedom, clipped to [0, 1]; null "
        "below two batches or without spread. " + ESTIMATE_NOTE
    )
    batch_alphas: list[BatchAlphaOut] = Field(description="each batch's alpha, by run_date")
    mean_alpha: DecimalString | None = Field(
        description="the mean batch alpha; null without batches. " + RETURN_NOTE,
        examples=["0.318519"],
    )
    median_alpha: DecimalString | None = Field(
        description="the median batch alpha; null without batches. " + RETURN_NOTE,
        examples=["0.250000"],
    )
    mean_alpha_interval: IntervalOut | None = Field(
        description="fixed-sample 95 % interval of the mean batch alpha: Newey-West (HAC) "
        "standard error at a one-week lag (batches seven days apart share a week of market; "
        "a missing week breaks the pair; Bartlett weight 1/2, no small-sample correction), "
        "t with n-1 degrees of freedom; the batch is the unit. Null with fewer than two "
        "batches or no spread. Shown beside the confidence sequence, not used for the verdict. "
        + ESTIMATE_NOTE
    )
    p_value_no_skill: DecimalString | None = Field(
        description="two-sided p-value of mean batch alpha = 0 with the same Newey-West "
        "standard error and t with n-1 degrees of freedom (fixed-sample: not valid when "
        "looked at every week); null with fewer than two batches or no spread. " + ESTIMATE_NOTE,
        examples=["0.3127"],
    )
    confidence_sequence: SequenceIntervalOut | None = Field(
        description="anytime-valid 95 % confidence sequence of the mean batch alpha: it holds "
        "the true mean at every week at once with probability 95 %, however often it is read. "
        "Lai's t-mixture (a Gaussian mean, unknown variance) on each of two interleaved series "
        "of batches (even and odd weeks: batches two weeks apart share no market day) at "
        "2.5 % each, intersected; tuned to be narrowest at 52 batches. Unbounded (null sides) "
        "until the data bound it; null with fewer than two batches. "
        + PLAN_NOTE
        + " "
        + ESTIMATE_NOTE
    )
    verdict: Verdict | None = Field(
        description="from the confidence sequence: 'beats SPY' when it lies above 0, 'trails "
        "SPY' when below, else 'could be chance'; null with fewer than two batches",
        examples=["could be chance"],
    )
    weeks_to_power: int | None = Field(
        description="how many more completed weekly batches a two-sided 5 % test of mean batch "
        "alpha = 0 needs to detect the edge power_edge_pct with 80 % power, at the observed "
        "spread (the Newey-West long-run standard deviation of the batch alphas, normal "
        "approximation): ceil(((z_0.975 + z_0.8) sd / edge)^2) - batches, at least 0. Null "
        "with fewer than two batches or no spread. The confidence sequence, valid under weekly "
        "reading, needs more (the analysis plan says how many). " + PLAN_NOTE,
        examples=[262],
    )
    sign_flip_p_value: DecimalString | None = Field(
        description="could a coin have called these directions? The two-sided sign-flip "
        "randomisation p-value of the mean batch alpha: under no skill each pick's direction "
        "is a fair coin, which flips the sign of its score; the share of sign patterns whose "
        "mean batch alpha is at least as far from 0 as the observed one. Null without picks. "
        + ESTIMATE_NOTE,
        examples=["0.4102"],
    )
    sign_flip_exact: bool | None = Field(
        description="true when every sign pattern was enumerated (12 picks or fewer); false "
        "for seeded Monte Carlo draws (seed 20261202, p = (1 + hits) / (1 + draws))",
        examples=[False],
    )
    sign_flip_patterns: int | None = Field(
        description="sign patterns evaluated: 2^picks when exact, else the number of draws",
        examples=[2000],
    )
    could_be_chance: bool | None = Field(
        description="true when the verdict is 'could be chance' (the confidence sequence holds "
        "0): the record does not tell skill from luck; null when there is no verdict",
        examples=[True],
    )
    best_pick: PickScoreOut | None = Field(description="the highest final score")
    worst_pick: PickScoreOut | None = Field(description="the lowest final score")
    by_action: list[ActionSplitOut] = Field(description="BUY picks, then SELL picks")
    equity_curve: list[EquityPointOut] = Field(
        description="$100 following the picks against $100 in SPY, a point per completed "
        "fortnight; no costs or taxes, not a tradeable strategy (docs/api.md)"
    )


class PairedMondayOut(ApiModel):
    run_date: date = Field(description="the Monday", examples=["2026-06-01"])
    alpha: DecimalString = Field(
        description="the models' (or the version's) batch alpha that Monday", examples=["0.4125"]
    )
    control_alpha: DecimalString = Field(
        description="the random control's batch alpha the same Monday", examples=["-0.2500"]
    )
    difference: DecimalString = Field(
        description="alpha - control_alpha: the edge over random picks from the same market",
        examples=["0.6625"],
    )


class AgainstControlOut(ApiModel):
    """Paired against the random control: the same Mondays, market and scoring."""

    mondays: list[PairedMondayOut] = Field(
        description="every Monday with both a batch alpha and the control's, by date"
    )
    mean_difference: DecimalString | None = Field(
        description="the mean of the differences, 6 places", examples=["0.310000"]
    )
    median_difference: DecimalString | None = Field(
        description="their median, 6 places", examples=["0.150000"]
    )
    mean_difference_interval: IntervalOut | None = Field(
        description="fixed-sample 95 % interval of the mean difference (Newey-West, lag one "
        "week), valid for one look; null with fewer than two Mondays. " + ESTIMATE_NOTE
    )
    p_value_no_edge: DecimalString | None = Field(
        description="the p-value of a mean difference of 0 (no edge over random picks). "
        + ESTIMATE_NOTE,
        examples=["0.4210"],
    )
    confidence_sequence: SequenceIntervalOut | None = Field(
        description="anytime-valid 95 % confidence sequence of the mean difference: the "
        "verdict comes from it. " + PLAN_NOTE
    )
    verdict: Literal["beats the control", "trails the control", "could be chance"] | None = Field(
        description="`beats the control` when the confidence sequence lies above 0, `trails "
        "the control` when below, else `could be chance`; null without a paired Monday",
        examples=["could be chance"],
    )
    weeks_to_power: int | None = Field(
        description="more paired Mondays for 80 % power against power_edge_pct at the "
        "observed spread",
        examples=[40],
    )
    p_value_holm: DecimalString | None = Field(
        default=None,
        description="per version only: p_value_no_edge after Holm's adjustment across the "
        "versions tried. " + ESTIMATE_NOTE,
        examples=["0.8420"],
    )


class ModelRecordOut(RecordOut):
    model: str | None = Field(description="the model that answered", examples=["gpt-4o-mini"])
    prompt_version: str | None = Field(
        description="the prompt's version", examples=["2026-12-02.1"]
    )
    p_value_holm: DecimalString | None = Field(
        description="p_value_no_skill after Holm's step-down adjustment across every model + "
        "prompt version tried (versions_tried; one without a p-value still counts): the best "
        "of several versions looks skilled by chance otherwise. " + ESTIMATE_NOTE,
        examples=["0.6254"],
    )
    against_control: AgainstControlOut | None = Field(
        description="this version's batch alphas paired against the random control's; null "
        "when none of its Mondays had a control"
    )


class TrackRecordOut(ApiModel):
    origins: list[domain.BatchOrigin] = Field(
        description="the origins counted (see a batch's `origin`)", examples=[["live"]]
    )
    overall: RecordOut = Field(
        description="every model pick of the completed batches of those origins (a Monday "
        "with several model contenders: their picks together; the control's are not counted)"
    )
    by_model: list[ModelRecordOut] = Field(description="the same, per model + prompt version")
    control: RecordOut | None = Field(
        description="the random control's own record (docs/arena.md); null without one"
    )
    against_control: AgainstControlOut | None = Field(
        description="the models' batch alphas paired against the random control's of the same "
        "Monday: did they beat random picks from the same market? Null without a control"
    )
    versions_tried: int = Field(
        description="how many model + prompt versions have a completed batch of those "
        "origins: the family Holm's adjustment counts",
        examples=[2],
    )
    power_edge_pct: DecimalString = Field(
        description="the edge in percentage points of batch alpha that weeks_to_power is for "
        "(the POWER_EDGE_PCT setting)",
        examples=["0.5"],
    )
    analysis_plan: str = Field(
        description="where the analysis plan is published: every statistic here, its formula "
        "and assumptions, and the verdict's rule, fixed before the data",
        examples=[ANALYSIS_PLAN],
    )


def _record_fields(record: Record) -> dict[str, Any]:
    return {
        **{field.name: getattr(record, field.name) for field in fields(record)},
        "could_be_chance": record.could_be_chance,
    }


def track_record_out(
    origins: tuple[domain.BatchOrigin, ...], record: TrackRecord
) -> TrackRecordOut:
    return TrackRecordOut.model_validate(
        {
            "origins": list(origins),
            "overall": _record_fields(record.overall),
            "by_model": [
                {
                    "model": item.model,
                    "prompt_version": item.prompt_version,
                    "p_value_holm": item.p_value_holm,
                    "against_control": item.against_control,
                    **_record_fields(item.record),
                }
                for item in record.by_model
            ],
            "control": _record_fields(record.control) if record.control else None,
            "against_control": record.against_control,
            "versions_tried": record.versions_tried,
            "power_edge_pct": record.power_edge_pct,
            "analysis_plan": ANALYSIS_PLAN,
        },
        from_attributes=True,
    )
