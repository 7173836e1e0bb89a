"""GET /track-record's response body, projected from the domain's track record."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from alpha_monday.api.models import (
    ANALYSIS_PLAN,
    BATCH_ID_EXAMPLE,
    PLAN_NOTE,
    RETURN_NOTE,
    ApiModel,
    DecimalString,
)
from alpha_monday.domain import model as domain
from alpha_monday.domain.confidence_sequence import Verdict
from alpha_monday.domain.track_record import Record, TrackRecord

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
