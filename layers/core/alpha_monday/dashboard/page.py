"""The pages' content: what each template shows, computed from the published rows. The
HTML itself is in templates/ (autoescaped); nothing here builds markup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from alpha_monday.api.models import ANALYSIS_PLAN
from alpha_monday.dashboard.charts import Chart, Series, day_label, time_chart
from alpha_monday.dashboard.rendering import render
from alpha_monday.domain.market_time import market_instant_utc
from alpha_monday.domain.model import (
    BatchDetail,
    BatchOrigin,
    BatchPage,
    BatchSummary,
    Checkpoint,
    Entry,
    FeedWeek,
    Pick,
    PickBrief,
    Week,
)
from alpha_monday.domain.schedule import (
    CHECKPOINT_COUNT,
    MARKET_CLOSE,
    checkpoint_date,
    final_checkpoint,
)
from alpha_monday.domain.track_record import Record, SequenceInterval, TrackRecord, mean_return

ALL_ORIGINS: tuple[BatchOrigin, ...] = ("live", "retrospective", "simulated")
CONTROL_NAME = "random control (same market, drawn at random)"
ORIGIN_WORDS: dict[BatchOrigin, str] = {
    "live": "picked before the market opened",
    "retrospective": "picked after the fact",
    "simulated": "offline stand-ins",
}


def _bound_words(bound: Decimal | None) -> str:
    return "unbounded" if bound is None else f"{bound:+.2f} %"


def _sequence_words(sequence: SequenceInterval) -> str:
    if sequence.low is None and sequence.high is None:
        return "not bounded yet (too few batches to pin the spread down)"
    return f"{_bound_words(sequence.low)} to {_bound_words(sequence.high)}"


def verdict(record: Record, power_edge_pct: Decimal) -> str:
    """The track record in plain words: the verdict from the confidence sequence, the
    fixed-sample interval beside it, and the weeks a test would need for an edge of
    `power_edge_pct` points a batch."""
    if record.batches == 0:
        return "No completed batch yet: nothing to judge."
    mean = f"Mean batch alpha {record.mean_alpha:+.2f} % over {record.batches} batch" + (
        "es" if record.batches != 1 else ""
    )
    sequence = record.confidence_sequence
    if sequence is None or record.verdict is None:
        return f"{mean}. Fewer than two batches: no interval yet, so no verdict."
    fixed = record.mean_alpha_interval
    words = (
        f"{mean}: {record.verdict}. 95 % confidence sequence (valid however often this page "
        f"is read): {_sequence_words(sequence)}"
        + (
            f"; fixed-sample 95 % interval (valid for one look only): "
            f"{fixed.low:+.2f} % to {fixed.high:+.2f} %, p = {record.p_value_no_skill}"
            if fixed
            else ""
        )
        + "."
    )
    power = f"80 % power to tell an edge of {power_edge_pct} points a batch from luck"
    if record.weeks_to_power == 0:
        words += f" The batches so far already give a fixed-sample test {power}."
    elif record.weeks_to_power is not None:
        words += (
            f" About {record.weeks_to_power} more week"
            f"{'s' if record.weeks_to_power != 1 else ''} would give a fixed-sample test {power}."
        )
    return words


def _entries_of(entries: Sequence[Entry]) -> dict[UUID, Entry]:
    return {entry.id: entry for entry in entries}


def call_label(pick: Pick | PickBrief, entries: Mapping[UUID, Entry]) -> str:
    """ "BUY AAPL"; with several entries, whose call it is: "gpt-4o-mini: BUY AAPL"."""
    call = f"{pick.action} {pick.ticker}"
    return f"{entries[pick.entry_id].contender}: {call}" if len(entries) > 1 else call


def models_alpha(
    picks: Iterable[Pick | PickBrief], entries: Mapping[UUID, Entry], scores: Mapping[UUID, Decimal]
) -> Decimal | None:
    """The batch alpha of the models' picks (the random control's are its yardstick, not
    part of it): the equal-weight mean of their scores."""
    return mean_return(
        [scores[p.id] for p in picks if p.id in scores and entries[p.entry_id].kind == "model"]
    )


def entry_alpha(
    picks: Iterable[Pick | PickBrief], entry_id: UUID, scores: Mapping[UUID, Decimal]
) -> Decimal | None:
    """One entry's batch alpha: the equal-weight mean of its scored picks."""
    return mean_return([scores[p.id] for p in picks if p.entry_id == entry_id and p.id in scores])


@dataclass(frozen=True)
class PickRow:
    label: str
    ticker: str
    action: str
    reasoning: str
    baseline: Decimal
    last_close: Decimal | None
    return_pct: Decimal | None
    score_pct: Decimal | None


@dataclass(frozen=True)
class EntryView:
    """One contender's part of the week: its calls and their alpha, or why it has none."""

    entry: Entry
    picks: tuple[PickRow, ...]
    alpha: Decimal | None


@dataclass(frozen=True)
class DayRow:
    day: date
    status: str
    reason: str | None
    benchmark_return_pct: Decimal | None
    scores: tuple[Decimal | None, ...]  # each pick's, in the order of the picks
    left_out: tuple[str, ...]  # "TICKER: reason" for each pick without a score that day
    rescored_because: str | None


@dataclass(frozen=True)
class WeekView:
    """One batch as its page (and the dashboard's latest week) shows it."""

    detail: BatchDetail
    fortnight_end: date
    last: Checkpoint | None
    computed_days: int
    picks: tuple[PickRow, ...]
    entries: tuple[EntryView, ...]
    benchmark_last_close: Decimal | None
    benchmark_return_pct: Decimal | None
    batch_alpha: Decimal | None
    chart: Chart | None
    days: tuple[DayRow, ...]
    progress: str


def _progress(detail: BatchDetail, computed_days: int) -> str:
    status = detail.batch.status
    if status == "completed":
        return f"Completed: {computed_days} trading days scored over the fortnight."
    if status == "failed":
        return f"Stopped by a failure after {computed_days} trading days (it can be resumed)."
    return f"In progress: {computed_days} trading days scored so far."


def _score_chart(detail: BatchDetail) -> Chart | None:
    """Each call's score against SPY, from 0 on the baseline close: 0 is level with SPY."""
    baseline = [c for c in detail.checkpoints if c.checkpoint_date < detail.batch.run_date]
    computed = [
        c
        for c in detail.checkpoints
        if c.status == "computed" and c.checkpoint_date >= detail.batch.run_date
    ]
    if not computed:
        return None
    start = baseline[0].checkpoint_date if baseline else None
    entries = _entries_of(detail.entries)
    series = []
    for pick in detail.picks:
        scores = {
            c.checkpoint_date: m.vs_benchmark_pct
            for c in computed
            for m in c.metrics
            if m.pick_id == pick.id
        }
        points: list[tuple[date, Decimal | None]] = [(start, Decimal(0))] if start else []
        points += [(c.checkpoint_date, scores.get(c.checkpoint_date)) for c in computed]
        series.append(Series(call_label(pick, entries), points))
    return time_chart(
        "Each call's score against SPY since the baseline close (0 = level with SPY)", series
    )


def _day_rows(detail: BatchDetail) -> tuple[DayRow, ...]:
    rows = []
    for checkpoint in detail.checkpoints:
        if checkpoint.checkpoint_date < detail.batch.run_date:
            continue
        scores = {m.pick_id: m.vs_benchmark_pct for m in checkpoint.metrics}
        rows.append(
            DayRow(
                day=checkpoint.checkpoint_date,
                status=checkpoint.status,
                reason=checkpoint.skip_reason,
                benchmark_return_pct=checkpoint.benchmark_return_pct,
                scores=tuple(scores.get(p.id) for p in detail.picks),
                left_out=tuple(f"{s.ticker}: {s.reason}" for s in checkpoint.skipped_picks),
                rescored_because=checkpoint.rescored_because,
            )
        )
    return tuple(rows)


def week_view(detail: BatchDetail) -> WeekView:
    batch = detail.batch
    last = final_checkpoint(detail.checkpoints, batch.run_date)
    final = {m.pick_id: m for m in last.metrics} if last else {}
    computed_days = sum(
        1
        for c in detail.checkpoints
        if c.status == "computed" and c.checkpoint_date >= batch.run_date
    )
    entries = _entries_of(detail.entries)
    rows = {
        p.id: PickRow(
            label=call_label(p, entries),
            ticker=p.ticker,
            action=p.action,
            reasoning=p.reasoning,
            baseline=p.initial_price,
            last_close=final[p.id].current_price if p.id in final else None,
            return_pct=final[p.id].absolute_return_pct if p.id in final else None,
            score_pct=final[p.id].vs_benchmark_pct if p.id in final else None,
        )
        for p in detail.picks
    }
    scores = {pick_id: m.vs_benchmark_pct for pick_id, m in final.items()}
    return WeekView(
        detail=detail,
        fortnight_end=checkpoint_date(batch.run_date, CHECKPOINT_COUNT),
        last=last,
        computed_days=computed_days,
        picks=tuple(rows.values()),
        entries=tuple(
            EntryView(
                entry=entry,
                picks=tuple(rows[p.id] for p in detail.picks if p.entry_id == entry.id),
                alpha=entry_alpha(detail.picks, entry.id, scores),
            )
            for entry in detail.entries
        ),
        benchmark_last_close=last.benchmark_price if last else None,
        benchmark_return_pct=last.benchmark_return_pct if last else None,
        batch_alpha=models_alpha(detail.picks, entries, scores),
        chart=_score_chart(detail),
        days=_day_rows(detail),
        progress=_progress(detail, computed_days),
    )


def _batch_alpha(item: BatchSummary) -> Decimal | None:
    metrics = item.latest_checkpoint.metrics if item.latest_checkpoint else ()
    scores = {m.pick_id: m.vs_benchmark_pct for m in metrics}
    return models_alpha(item.picks, _entries_of(item.entries), scores)


def _alpha_chart(record: Record) -> Chart | None:
    return time_chart(
        "Cumulative batch alpha against SPY, by Monday",
        [
            Series(
                "cumulative alpha", [(a.run_date, a.cumulative_alpha) for a in record.batch_alphas]
            )
        ],
        unit=" pts",
    )


def _equity_charts(record: TrackRecord) -> tuple[Chart | None, Chart | None]:
    """$100 following each contender's picks against $100 in SPY, and each one's drawdown."""
    contenders = [
        (f"{item.model or 'unknown'} {item.prompt_version or ''}".strip(), item.record.equity_curve)
        for item in record.by_model
    ]
    spy = record.overall.equity_curve
    control = record.control.equity_curve if record.control else ()
    equity = time_chart(
        "$100 following the picks against $100 in SPY, at the end of each fortnight",
        [
            *(Series(name, [(p.day, p.picks_value) for p in curve]) for name, curve in contenders),
            Series("$100 in SPY", [(p.day, p.spy_value) for p in spy]),
            *(
                [Series(CONTROL_NAME, [(p.day, p.picks_value) for p in control], dashed=True)]
                if control
                else []
            ),
        ],
        money=True,
    )
    drawdown = time_chart(
        "Drawdown: below the best value so far",
        [Series(name, [(p.day, p.drawdown_pct) for p in curve]) for name, curve in contenders],
    )
    return equity, drawdown


def _origin_query(origins: Sequence[BatchOrigin]) -> str:
    return ",".join(origins)


def dashboard_html(
    latest: BatchDetail | None,
    page: BatchPage,
    record: TrackRecord,
    origins: Sequence[BatchOrigin],
    *,
    elsewhere: Record | None,
    newer: date | None,
    newest_page: bool,
) -> str:
    """`elsewhere` is every origin's record, given when the asked origins have no completed
    batch, so the page can say what exists instead; `newer` is where the page of newer
    weeks begins (None: the first page)."""
    return render(
        "dashboard.html",
        latest=week_view(latest) if latest else None,
        history=[
            (
                item,
                [call_label(p, _entries_of(item.entries)) for p in item.picks],
                _batch_alpha(item),
                checkpoint_date(item.run_date, CHECKPOINT_COUNT),
            )
            for item in page.items
        ],
        older=page.next_run_date_before,
        newer=newer,
        newest_page=newest_page,
        record=record,
        summary=verdict(record.overall, record.power_edge_pct),
        alpha_chart=_alpha_chart(record.overall),
        equity_charts=_equity_charts(record),
        origins=_origin_query(origins),
        all_origins=tuple(origins) == ALL_ORIGINS,
        elsewhere=elsewhere,
        origin_words=ORIGIN_WORDS,
        analysis_plan=ANALYSIS_PLAN,
    )


def week_html(week: Week) -> str:
    return render(
        "week.html",
        week=week_view(week.detail),
        previous=week.previous_run_date,
        next=week.next_run_date,
        origin_words=ORIGIN_WORDS,
        analysis_plan=ANALYSIS_PLAN,
    )


def error_html(status: int, title: str, message: str) -> str:
    return render("error.html", status=status, title=title, message=message)


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: datetime
    link: str
    lines: tuple[str, ...]


def _committed_entry(week: FeedWeek) -> FeedEntry:
    batch = week.summary
    when = batch.committed_at or batch.created_at
    entries = _entries_of(batch.entries)
    lines = [f"{call_label(p, entries)}: {p.reasoning}" for p in week.picks]
    lines += [f"{e.contender}: no picks ({e.error})" for e in batch.entries if e.error]
    lines.append(
        f"Commitment (SHA-256, docs/commitment.md): {batch.commitment_sha256}, "
        f"committed at {batch.committed_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}."
        if batch.commitment_sha256 and batch.committed_at
        else "Stored before commitments were published: no commitment."
    )
    lines.append(f"Origin: {batch.origin} ({ORIGIN_WORDS[batch.origin]}).")
    return FeedEntry(
        id=f"tag:alpha-monday,2026:batch/{batch.id}/committed",
        title=f"Week of {day_label(batch.run_date)}: "
        + ", ".join(call_label(p, entries) for p in week.picks),
        updated=when.astimezone(UTC),
        link=f"/weeks/{batch.run_date.isoformat()}",
        lines=tuple(lines),
    )


def _completed_entry(week: FeedWeek) -> FeedEntry | None:
    batch, last = week.summary, week.summary.latest_checkpoint
    if batch.status != "completed" or last is None:
        return None
    alpha = _batch_alpha(batch)
    scores = {m.pick_id: m.vs_benchmark_pct for m in last.metrics}
    entries = _entries_of(batch.entries)
    lines = [
        f"{call_label(p, entries)}: score {scores[p.id]:+.2f} % against SPY"
        if p.id in scores
        else f"{call_label(p, entries)}: not scored"
        for p in week.picks
    ]
    lines.append(f"SPY: {last.benchmark_return_pct:+.2f} % (total return).")
    control = next((e for e in batch.entries if e.kind == "control"), None)
    control_alpha = entry_alpha(week.picks, control.id, scores) if control else None
    if alpha is not None and control_alpha is not None:
        lines.append(
            f"The random control: batch alpha {control_alpha:+.2f} %; the models' edge over "
            f"it: {alpha - control_alpha:+.2f} points."
        )
    return FeedEntry(
        id=f"tag:alpha-monday,2026:batch/{batch.id}/completed",
        title=f"Week of {day_label(batch.run_date)} completed: batch alpha "
        + ("n/a" if alpha is None else f"{alpha:+.2f} %"),
        # The close it completed with: the last scored session's 16:00 in New York.
        updated=market_instant_utc(last.checkpoint_date, MARKET_CLOSE),
        link=f"/weeks/{batch.run_date.isoformat()}",
        lines=tuple(lines),
    )


def feed_atom(weeks: Sequence[FeedWeek], now: datetime) -> str:
    """The Atom feed: an entry when a week's picks are committed, one when it completes;
    updated at its newest entry (at `now` while there is none)."""
    entries = [
        entry
        for week in weeks
        for entry in (_committed_entry(week), _completed_entry(week))
        if entry is not None
    ]
    entries.sort(key=lambda entry: entry.updated, reverse=True)
    return render(
        "feed.atom",
        entries=entries,
        updated=entries[0].updated if entries else now.astimezone(UTC),
    )
