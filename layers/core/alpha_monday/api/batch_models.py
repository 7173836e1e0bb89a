"""The batches' response bodies (GET /latest, /batches, /batches/{batch_id}) and their
projections from the domain's types. Numeric database values travel as exact decimal
strings."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from alpha_monday.api.models import (
    BATCH_ID_EXAMPLE,
    ENTRY_ID_EXAMPLE,
    PICK_ID_EXAMPLE,
    RETURN_NOTE,
    ApiModel,
    DecimalString,
)
from alpha_monday.domain import model as domain


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
