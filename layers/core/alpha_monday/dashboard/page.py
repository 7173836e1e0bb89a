"""The dashboard's HTML: the latest batch, the history and the track record, readable
without JavaScript and on a phone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from html import escape

from alpha_monday.api.models import ANALYSIS_PLAN
from alpha_monday.dashboard.charts import line_chart
from alpha_monday.domain.model import BatchDetail, BatchOrigin, BatchPage, BatchSummary
from alpha_monday.domain.schedule import CHECKPOINT_COUNT, final_checkpoint
from alpha_monday.domain.track_record import (
    Interval,
    Record,
    SequenceInterval,
    TrackRecord,
    mean_return,
)

CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
main{max-width:960px;margin:0 auto;padding:1rem}
h1{margin:.2rem 0}h2{margin-top:2rem;border-bottom:1px solid #ddd}
.lede{color:#555}.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{padding:.35rem .5rem;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
.up{color:#1a7f37}.down{color:#b42318}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;font-size:.8rem}
.badge-live{background:#d1f4dc}.badge-retrospective{background:#fde7c0}
.badge-simulated{background:#e4e4e4}
.chart svg{width:100%;height:auto}.verdict{font-size:1.05rem}
.notice{padding:1rem;background:#fff4e5;border:1px solid #f5c27a;border-radius:.4rem}
nav a{margin-right:1rem}
"""

ORIGIN_WORDS: dict[BatchOrigin, str] = {
    "live": "picked before the market opened",
    "retrospective": "picked after the fact",
    "simulated": "offline stand-ins",
}


def _pct(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "n/a"
    css = "up" if value > 0 else "down" if value < 0 else ""
    return f'<span class="{css}">{value:+.{places}f}&#8239;%</span>'


def _badge(origin: BatchOrigin) -> str:
    return (
        f'<span class="badge badge-{origin}" title="{escape(ORIGIN_WORDS[origin])}">{origin}</span>'
    )


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    def cell(tag: str, index: int, content: str) -> str:
        css = ' class="num"' if index in numeric else ""
        return f"<{tag}{css}>{content}</{tag}>"

    header = "".join(cell("th", i, escape(h)) for i, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    table = f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'


def _latest(detail: BatchDetail) -> str:
    batch = detail.batch
    days = [c for c in detail.checkpoints if c.checkpoint_date >= batch.run_date]
    computed = [c for c in days if c.status == "computed"]
    last = final_checkpoint(detail.checkpoints, batch.run_date)
    final = {m.pick_id: m for m in last.metrics} if last else {}
    rows = [
        (
            f"<strong>{escape(p.ticker)}</strong>",
            escape(p.action),
            escape(p.reasoning),
            f"{p.initial_price:.2f}",
            f"{final[p.id].current_price:.2f}" if p.id in final else "n/a",
            _pct(final[p.id].absolute_return_pct) if p.id in final else "n/a",
            _pct(final[p.id].vs_benchmark_pct) if p.id in final else "n/a",
        )
        for p in detail.picks
    ]
    rows.append(
        (
            escape(batch.benchmark_symbol),
            "",
            "the benchmark",
            f"{batch.benchmark_initial_price:.2f}",
            f"{last.benchmark_price:.2f}" if last and last.benchmark_price else "n/a",
            _pct(last.benchmark_return_pct) if last else "n/a",
            "",
        )
    )
    table = _table(
        ("ticker", "action", "reasoning", "baseline", "last close", "return", "vs SPY"),
        rows,
        {3, 4, 5, 6},
    )
    labels = [c.checkpoint_date.strftime("%a %d %b") for c in computed]
    series: list[tuple[str, list[Decimal | None]]] = []
    for pick in detail.picks:
        returns = {
            c.checkpoint_date: m.absolute_return_pct
            for c in computed
            for m in c.metrics
            if m.pick_id == pick.id
        }
        # A day the pick was left out of stays a gap, not a zero.
        series.append(
            (f"{pick.action} {pick.ticker}", [returns.get(c.checkpoint_date) for c in computed])
        )
    series.append((batch.benchmark_symbol, [c.benchmark_return_pct for c in computed]))
    chart = (
        '<div class="chart" id="latest-chart">'
        + line_chart("Return since the baseline close", labels, series)
        + "</div>"
        if computed
        else "<p>No trading day recorded yet: the chart starts after the first close.</p>"
    )
    return (
        f'<section id="latest"><h2>Latest batch: week of {batch.run_date:%d %B %Y}</h2>'
        f"<p>{_badge(batch.origin)} status <strong>{escape(batch.status)}</strong>, "
        f"model {escape(batch.model or 'unknown')}, last computed day "
        f"{last.checkpoint_date.isoformat() if last else 'none yet'} "
        f"({len(computed)} of the fortnight's trading days so far).</p>"
        f"{table}{chart}</section>"
    )


def _batch_alpha(item: BatchSummary) -> Decimal | None:
    metrics = item.latest_checkpoint.metrics if item.latest_checkpoint else ()
    return mean_return([m.vs_benchmark_pct for m in metrics])


def _history(page: BatchPage, origins: str) -> str:
    rows = [
        (
            f'<a href="batches/{item.id}">{item.run_date.isoformat()}</a>',
            f"{item.run_date:%d %b} to "
            f"{item.run_date + timedelta(days=CHECKPOINT_COUNT - 1):%d %b %Y}",
            escape(item.status),
            _badge(item.origin),
            ", ".join(f"{escape(p.action)} {escape(p.ticker)}" for p in item.picks),
            _pct(_batch_alpha(item)),
        )
        for item in page.items
    ]
    more = (
        f'<p><a rel="next" href="?before={page.next_run_date_before.isoformat()}'
        f'&amp;origin={escape(origins)}">Older batches &rarr;</a></p>'
        if page.next_run_date_before
        else ""
    )
    table = _table(("run date", "fortnight", "status", "origin", "picks", "batch alpha"), rows, {5})
    return f'<section id="history"><h2>History</h2>{table}{more}</section>'


def _share_words(share: Decimal | None) -> str:
    return "n/a" if share is None else f"{share * 100:.0f} %"


def _interval_words(interval: Interval, unit: str) -> str:
    return f"{interval.low:+.2f}{unit} to {interval.high:+.2f}{unit}"


def _bound_words(bound: Decimal | None, unbounded: str) -> str:
    return unbounded if bound is None else f"{bound:+.2f} %"


def _sequence_words(sequence: SequenceInterval) -> str:
    if sequence.low is None and sequence.high is None:
        return "not bounded yet (too few batches to pin the spread down)"
    return (
        f"{_bound_words(sequence.low, 'unbounded')} to {_bound_words(sequence.high, 'unbounded')}"
    )


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
        f"{mean}: <strong>{record.verdict}</strong>. 95 % confidence sequence (valid however "
        f"often this page is read): {_sequence_words(sequence)}"
        + (
            f"; fixed-sample 95 % interval (valid for one look only): "
            f"{_interval_words(fixed, ' %')}, p = {record.p_value_no_skill}"
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


def _track_record(record: TrackRecord, origins: Sequence[BatchOrigin]) -> str:
    overall = record.overall
    hit = (
        f"{overall.hits} of {overall.picks} picks were right ("
        f"{overall.hit_rate * 100:.0f} %"
        + (
            f", 95 % interval {overall.hit_rate_interval.low * 100:.0f} % to "
            f"{overall.hit_rate_interval.high * 100:.0f} %"
            if overall.hit_rate_interval
            else ""
        )
        + ")."
        if overall.hit_rate is not None
        else "No scored pick yet."
    )
    per_model = _table(
        (
            "model",
            "prompt",
            "batches",
            "hit rate",
            "mean alpha",
            "interval",
            "p-value",
            "Holm p-value",
        ),
        (
            (
                escape(item.model or "unknown"),
                escape(item.prompt_version or "unknown"),
                str(item.record.batches),
                f"{item.record.hit_rate * 100:.0f} %"
                if item.record.hit_rate is not None
                else "n/a",
                _pct(item.record.mean_alpha),
                _interval_words(item.record.mean_alpha_interval, " %")
                if item.record.mean_alpha_interval
                else "n/a",
                str(item.record.p_value_no_skill or "n/a"),
                str(item.p_value_holm or "n/a"),
            )
            for item in record.by_model
        ),
        {2, 3, 4, 6, 7},
    )
    coin = (
        f"<p>Could a coin have called these directions? Flipping each pick's direction at "
        f"random gives a mean batch alpha at least this far from 0 with probability "
        f"{overall.sign_flip_p_value} ("
        + (
            f"all {overall.sign_flip_patterns} patterns"
            if overall.sign_flip_exact
            else f"{overall.sign_flip_patterns} seeded draws"
        )
        + ").</p>"
        if overall.sign_flip_p_value is not None
        else ""
    )
    tried = (
        f"<p>{record.versions_tried} model + prompt version"
        f"{'s' if record.versions_tried != 1 else ''} tried: the Holm p-value adjusts each "
        f"version's p-value for having tried them all (the best of several versions looks "
        f"skilled by chance otherwise). Intervals are fixed-sample, with Newey-West standard "
        f"errors at a one-week lag.</p>"
    )
    alphas = overall.batch_alphas
    chart = (
        '<div class="chart" id="alpha-chart">'
        + line_chart(
            "Cumulative batch alpha vs SPY",
            [a.run_date.isoformat() for a in alphas],
            [("cumulative alpha", [a.cumulative_alpha for a in alphas])],
        )
        + "</div>"
        if alphas
        else ""
    )
    shown = ", ".join(origins)
    other = (
        '<a href="?origin=live,retrospective,simulated">include retrospective and simulated</a>'
        if tuple(origins) == ("live",)
        else '<a href="?origin=live">live batches only</a>'
    )
    summary = verdict(overall, record.power_edge_pct)
    return (
        f'<section id="track-record"><h2>Track record</h2>'
        f"<p>Counting completed <strong>{escape(shown)}</strong> batches ({other}).</p>"
        f'<p class="verdict">{summary}</p><p>{hit}</p>{coin}{chart}{per_model}{tried}'
        f"<p>How each figure is computed, and what this experiment will not claim: "
        f'<a href="{ANALYSIS_PLAN}">the analysis plan</a>.</p>'
        "</section>"
    )


def _document(body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Alpha Monday</title><style>{CSS}</style></head><body><main>"
        "<h1>Alpha Monday</h1>"
        '<p class="lede">Every Monday a language model picks three US stocks, BUY (will beat '
        "SPY over two weeks) or SELL (will trail it). Every number here is recomputed from "
        "the stored closes.</p>"
        '<nav><a href="#latest">Latest</a><a href="#history">History</a>'
        '<a href="#track-record">Track record</a></nav>'
        f"{body}</main></body></html>"
    )


def dashboard_html(
    latest: BatchDetail | None,
    page: BatchPage,
    record: TrackRecord,
    origins: Sequence[BatchOrigin],
) -> str:
    if latest is None:
        return _document(
            '<section id="empty"><p class="notice">No batches yet: the first one appears '
            "after the Monday run.</p></section>"
        )
    origin_list = ",".join(origins)
    return _document(_latest(latest) + _history(page, origin_list) + _track_record(record, origins))


def unavailable_html() -> str:
    return _document(
        '<section id="unavailable"><p class="notice">The results are unavailable right now '
        "(the database did not answer). Please try again in a minute.</p></section>"
    )
