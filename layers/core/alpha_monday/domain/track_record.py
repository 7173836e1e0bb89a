"""How good are the picks: hit rate, batch alpha, and whether it could be chance.

Computed from stored scores only (each pick's `vs_benchmark_pct` at its last computed
checkpoint), so every figure can be recomputed from the published rows. The batch is the
unit of the alpha statistics: its three picks share one market, so they are not three
independent draws.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import groupby
from typing import Literal
from uuid import UUID

from alpha_monday.domain.confidence_sequence import (
    SequenceBounds,
    Verdict,
    batches_for_power,
    confidence_sequence,
)
from alpha_monday.domain.equity import EquityPoint, FortnightResult, equity_curve
from alpha_monday.domain.metrics import rounded_return
from alpha_monday.domain.model import PickAction, ScoredPick
from alpha_monday.domain.power_edge import DEFAULT_POWER_EDGE_PCT
from alpha_monday.domain.statistics import (
    clustered_proportion,
    holm,
    newey_west_mean,
    sign_flip_test,
)

DAYS_PER_WEEK = 7
# Intervals and p-values are estimates: 4 decimal places say all they can.
ESTIMATE_PLACES = Decimal("0.0001")


def estimate(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(ESTIMATE_PLACES, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class SequenceInterval:
    """The confidence sequence's interval now; None on an unbounded side."""

    low: Decimal | None
    high: Decimal | None


@dataclass(frozen=True)
class BatchAlpha:
    batch_id: UUID
    run_date: date
    alpha: Decimal
    cumulative_alpha: Decimal


@dataclass(frozen=True)
class FinalScore:
    """A pick's score at its last computed checkpoint (what the track record counts)."""

    batch_id: UUID
    run_date: date
    ticker: str
    action: PickAction
    vs_benchmark_pct: Decimal
    # The same checkpoint's position return, SPY's return and date (the equity curve's).
    absolute_return_pct: Decimal | None = None
    benchmark_return_pct: Decimal | None = None
    final_date: date | None = None


@dataclass(frozen=True)
class ActionSplit:
    action: PickAction
    picks: int
    hits: int
    hit_rate: Decimal | None
    mean_vs_benchmark_pct: Decimal | None


@dataclass(frozen=True)
class Record:
    batches: int
    picks: int
    hits: int
    hit_rate: Decimal | None
    hit_rate_interval: Interval | None
    batch_alphas: tuple[BatchAlpha, ...]
    mean_alpha: Decimal | None
    median_alpha: Decimal | None
    # Fixed-sample (Newey-West): valid for one look, not for weekly reading.
    mean_alpha_interval: Interval | None
    p_value_no_skill: Decimal | None
    # Anytime-valid: the verdict comes from it.
    confidence_sequence: SequenceInterval | None
    verdict: Verdict | None
    # More completed batches needed for 80 % power against the stated edge.
    weeks_to_power: int | None
    # The sign-flip randomisation p-value of the mean batch alpha, and how it was found.
    sign_flip_p_value: Decimal | None
    sign_flip_exact: bool | None
    sign_flip_patterns: int | None
    best_pick: FinalScore | None
    worst_pick: FinalScore | None
    by_action: tuple[ActionSplit, ...]
    # $100 following the picks against $100 in SPY (domain/equity.py).
    equity_curve: tuple[EquityPoint, ...] = ()

    @property
    def could_be_chance(self) -> bool | None:
        """True when the verdict is "could be chance"; None when there is no verdict."""
        return None if self.verdict is None else self.verdict == "could be chance"


ControlVerdict = Literal["beats the control", "trails the control", "could be chance"]
_AGAINST_CONTROL: dict[Verdict, ControlVerdict] = {
    "beats SPY": "beats the control",
    "trails SPY": "trails the control",
    "could be chance": "could be chance",
}


@dataclass(frozen=True)
class PairedMonday:
    """A Monday both the models and the random control have a batch alpha for."""

    run_date: date
    alpha: Decimal
    control_alpha: Decimal
    difference: Decimal


@dataclass(frozen=True)
class AgainstControl:
    """Batch alphas minus the random control's of the same Monday (paired: the same days,
    the same market, the same scoring), with the intervals of the batch alpha: did the
    picks beat random picks from the same market?"""

    mondays: tuple[PairedMonday, ...]
    mean_difference: Decimal | None
    median_difference: Decimal | None
    # Fixed-sample (Newey-West, lag one week), for one look.
    mean_difference_interval: Interval | None
    p_value_no_edge: Decimal | None
    # Anytime-valid: the verdict comes from it.
    confidence_sequence: SequenceInterval | None
    verdict: ControlVerdict | None
    weeks_to_power: int | None
    # After Holm's adjustment across the model + prompt versions tried (per version only).
    p_value_holm: Decimal | None = None


@dataclass(frozen=True)
class ModelRecord:
    model: str | None
    prompt_version: str | None
    record: Record
    # The no-skill p-value after Holm's adjustment across every version tried.
    p_value_holm: Decimal | None = None
    # None when no Monday of this version has a control beside it.
    against_control: AgainstControl | None = None


@dataclass(frozen=True)
class TrackRecord:
    overall: Record
    by_model: tuple[ModelRecord, ...]
    # Every model + prompt version ever run (retired ones included): Holm's family.
    versions_tried: int = 0
    power_edge_pct: Decimal = DEFAULT_POWER_EDGE_PCT
    # The random control's own record, and the models' (all together) against it.
    control: Record | None = None
    against_control: AgainstControl | None = None


def _share(part: int, whole: int) -> Decimal | None:
    return rounded_return(Decimal(part) / Decimal(whole)) if whole else None


def mean_return(values: Sequence[Decimal]) -> Decimal | None:
    """The equal-weight mean of returns at the published scale (a batch's alpha is the
    mean of its picks' vs_benchmark_pct); None without values."""
    return rounded_return(sum(values, Decimal(0)) / len(values)) if values else None


def _batch_alphas(scores: Sequence[FinalScore]) -> tuple[BatchAlpha, ...]:
    """Each batch's equal-weight mean score, by run_date, and their running sum."""
    alphas: list[BatchAlpha] = []
    cumulative = Decimal(0)
    ordered = sorted(scores, key=lambda s: (s.run_date, s.batch_id))
    for (run_date, batch_id), picks in groupby(ordered, key=lambda s: (s.run_date, s.batch_id)):
        alpha = mean_return([pick.vs_benchmark_pct for pick in picks])
        assert alpha is not None  # groupby never yields an empty group
        cumulative += alpha
        alphas.append(BatchAlpha(batch_id, run_date, alpha, cumulative))
    return tuple(alphas)


def _interval(bounds: tuple[float, float] | None) -> Interval | None:
    return None if bounds is None else Interval(estimate(bounds[0]), estimate(bounds[1]))


def _action_split(action: PickAction, scores: Sequence[FinalScore]) -> ActionSplit:
    chosen = [s.vs_benchmark_pct for s in scores if s.action == action]
    hits = sum(1 for value in chosen if value > 0)
    return ActionSplit(action, len(chosen), hits, _share(hits, len(chosen)), mean_return(chosen))


def _week_apart(mondays: Sequence[date]) -> list[tuple[int, int]]:
    """Pairs of consecutive batches seven days apart: a missing week breaks the pair."""
    return [
        (i - 1, i)
        for i in range(1, len(mondays))
        if (mondays[i] - mondays[i - 1]).days == DAYS_PER_WEEK
    ]


def _hits_per_batch(scores: Sequence[FinalScore]) -> list[tuple[int, int]]:
    ordered = sorted(scores, key=lambda s: (s.run_date, s.batch_id))
    return [
        (sum(1 for s in group if s.vs_benchmark_pct > 0), len(group))
        for _, picks in groupby(ordered, key=lambda s: s.batch_id)
        if (group := list(picks))
    ]


def _contributions(scores: Sequence[FinalScore]) -> list[float]:
    """Each pick's share of the mean batch alpha: its score / (batches x its batch's picks)."""
    per_batch = Counter(s.batch_id for s in scores)
    return [float(s.vs_benchmark_pct) / (len(per_batch) * per_batch[s.batch_id]) for s in scores]


def _sequence_interval(bounds: SequenceBounds | None) -> SequenceInterval | None:
    if bounds is None:
        return None
    return SequenceInterval(
        None if math.isinf(bounds.low) else estimate(bounds.low),
        None if math.isinf(bounds.high) else estimate(bounds.high),
    )


def _weeks_to_power(batches: int, long_run_sd: float, edge: Decimal) -> int:
    return max(0, math.ceil(batches_for_power(long_run_sd, float(edge))) - batches)


def _fortnights(scores: Sequence[FinalScore]) -> list[FortnightResult]:
    """Each batch's final position returns, and SPY's at its latest final day."""
    results = []
    ordered = sorted(scores, key=lambda s: (s.run_date, s.batch_id))
    for (run_date, _), picks in groupby(ordered, key=lambda s: (s.run_date, s.batch_id)):
        known = [
            (s.final_date, s.absolute_return_pct, s.benchmark_return_pct)
            for s in picks
            if s.final_date is not None
            and s.absolute_return_pct is not None
            and s.benchmark_return_pct is not None
        ]
        if known:
            final_date, _, benchmark = max(known, key=lambda k: k[0])
            results.append(
                FortnightResult(run_date, final_date, tuple(k[1] for k in known), benchmark)
            )
    return results


def record_of(scores: Sequence[FinalScore], edge: Decimal = DEFAULT_POWER_EDGE_PCT) -> Record:
    hits = sum(1 for s in scores if s.vs_benchmark_pct > 0)
    alphas = _batch_alphas(scores)
    values = [float(a.alpha) for a in alphas]
    # Batches a week apart share a week of market: Newey-West at a one-week lag.
    hac = newey_west_mean(values, _week_apart([a.run_date for a in alphas]))
    flip = sign_flip_test(_contributions(scores))
    sequence = confidence_sequence([(a.run_date, float(a.alpha)) for a in alphas])
    return Record(
        batches=len(alphas),
        picks=len(scores),
        hits=hits,
        hit_rate=_share(hits, len(scores)),
        # A batch's picks share one market: the batch, not the pick, is the unit.
        hit_rate_interval=_interval(clustered_proportion(_hits_per_batch(scores))),
        batch_alphas=alphas,
        mean_alpha=mean_return([a.alpha for a in alphas]),
        median_alpha=(
            rounded_return(statistics.median([a.alpha for a in alphas])) if alphas else None
        ),
        mean_alpha_interval=_interval(hac.interval if hac else None),
        p_value_no_skill=None if hac is None else estimate(hac.p_value),
        confidence_sequence=_sequence_interval(sequence),
        verdict=None if sequence is None else sequence.verdict(),
        weeks_to_power=(
            None
            if hac is None
            else _weeks_to_power(len(alphas), hac.standard_error * math.sqrt(len(alphas)), edge)
        ),
        sign_flip_p_value=None if flip is None else estimate(flip.p_value),
        sign_flip_exact=None if flip is None else flip.exact,
        sign_flip_patterns=None if flip is None else flip.patterns,
        best_pick=max(scores, key=lambda s: s.vs_benchmark_pct, default=None),
        worst_pick=min(scores, key=lambda s: s.vs_benchmark_pct, default=None),
        by_action=(_action_split("BUY", scores), _action_split("SELL", scores)),
        equity_curve=equity_curve(_fortnights(scores)),
    )


def against_control(
    record: Record, control: Record, edge: Decimal = DEFAULT_POWER_EDGE_PCT
) -> AgainstControl | None:
    """`record`'s batch alphas minus `control`'s of the same batch, as the batch alpha's
    own statistics treat a series (docs/analysis-plan.md); None without a shared Monday."""
    theirs = {a.batch_id: a.alpha for a in control.batch_alphas}
    mondays = tuple(
        PairedMonday(a.run_date, a.alpha, theirs[a.batch_id], a.alpha - theirs[a.batch_id])
        for a in record.batch_alphas
        if a.batch_id in theirs
    )
    if not mondays:
        return None
    differences = [m.difference for m in mondays]
    values = [float(d) for d in differences]
    hac = newey_west_mean(values, _week_apart([m.run_date for m in mondays]))
    sequence = confidence_sequence([(m.run_date, float(m.difference)) for m in mondays])
    return AgainstControl(
        mondays=mondays,
        mean_difference=mean_return(differences),
        median_difference=rounded_return(statistics.median(differences)),
        mean_difference_interval=_interval(hac.interval if hac else None),
        p_value_no_edge=None if hac is None else estimate(hac.p_value),
        confidence_sequence=_sequence_interval(sequence),
        verdict=None if sequence is None else _AGAINST_CONTROL[sequence.verdict()],
        weeks_to_power=(
            None
            if hac is None
            else _weeks_to_power(len(mondays), hac.standard_error * math.sqrt(len(mondays)), edge)
        ),
    )


def _scores(rows: Iterable[ScoredPick]) -> list[FinalScore]:
    """Picks never scored (no computed checkpoint) have nothing to count."""
    return [
        FinalScore(
            row.batch_id,
            row.run_date,
            row.ticker,
            row.action,
            row.vs_benchmark_pct,
            row.absolute_return_pct,
            row.benchmark_return_pct,
            row.final_date,
        )
        for row in rows
        if row.vs_benchmark_pct is not None
    ]


def track_record(rows: Sequence[ScoredPick], edge: Decimal = DEFAULT_POWER_EDGE_PCT) -> TrackRecord:
    """Overall, and per model + prompt version (in order of first appearance); the power
    figure is for an `edge` in percentage points a batch. The models' record: the random
    control's entries are not a model's picks (docs/arena.md)."""
    models = [row for row in rows if row.kind == "model"]
    groups: dict[tuple[str | None, str | None], list[ScoredPick]] = {}
    for row in models:
        groups.setdefault((row.model, row.prompt_version), []).append(row)
    overall = record_of(_scores(models), edge)
    control_rows = _scores(row for row in rows if row.kind == "control")
    control = record_of(control_rows, edge) if control_rows else None
    # One version holds every row: its record is the overall one, computed once.
    records = [
        (model, prompt_version, overall if len(groups) == 1 else record_of(_scores(group), edge))
        for (model, prompt_version), group in groups.items()
    ]
    p_values = [
        None if r.p_value_no_skill is None else float(r.p_value_no_skill) for _, _, r in records
    ]
    adjusted = holm(p_values, tests=len(records))
    overall_paired = against_control(overall, control, edge) if control else None
    # As above: one version's pairing is the overall one.
    paired = [
        overall_paired if r is overall else against_control(r, control, edge) if control else None
        for _, _, r in records
    ]
    paired_adjusted = holm(
        [
            None if p is None or p.p_value_no_edge is None else float(p.p_value_no_edge)
            for p in paired
        ],
        tests=len(records),
    )
    return TrackRecord(
        overall=overall,
        by_model=tuple(
            ModelRecord(
                model,
                version,
                record,
                None if p is None else estimate(p),
                None
                if pair is None
                else dataclasses.replace(
                    pair, p_value_holm=None if pair_p is None else estimate(pair_p)
                ),
            )
            for (model, version, record), p, pair, pair_p in zip(
                records, adjusted, paired, paired_adjusted, strict=True
            )
        ),
        versions_tried=len(records),
        power_edge_pct=edge,
        control=control,
        against_control=overall_paired,
    )
