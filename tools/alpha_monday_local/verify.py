"""`alpha-monday verify`: recompute every published number from the open data alone.

From a folder of the open-data CSVs (docs/open-data.md) or a deployment's base URL, it
recomputes each day's total returns and scores from the published closes and corporate
actions, every commitment from the published picks, and the track record (batch alphas,
intervals, the verdict, every figure) from the published scores, and lists each number
that differs from what was published.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import httpx

from alpha_monday.api.track_record_models import track_record_out
from alpha_monday.domain.commitment import (
    CommittedEntry,
    canonical_commitment,
    commitment_sha256,
)
from alpha_monday.domain.corporate_actions import CorporateAction, CorporateActions
from alpha_monday.domain.metrics import pick_returns, rounded_return, total_return_pct
from alpha_monday.domain.model import BatchOrigin, EntryKind, PickAction, ScoredPick
from alpha_monday.domain.track_record import track_record

TABLES = ("batches", "entries", "picks", "checkpoints", "metrics", "corporate_actions", "closes")
ALL_ORIGINS: tuple[BatchOrigin, ...] = ("live", "retrospective", "simulated")
# The published track record over every origin, beside the CSVs of a folder.
TRACK_RECORD_FILE = "track-record.json"
Row = dict[str, str]


@dataclass(frozen=True)
class Mismatch:
    where: str
    published: str
    recomputed: str

    def __str__(self) -> str:
        return f"{self.where}: published {self.published}, recomputed {self.recomputed}"


@dataclass(frozen=True)
class OpenData:
    tables: Mapping[str, list[Row]]
    track_record: Mapping[str, Any] | None  # the published /track-record over every origin


@dataclass
class Report:
    mismatches: list[Mismatch]
    checked: dict[str, int]


def _rows(text: str) -> list[Row]:
    return list(csv.DictReader(io.StringIO(text)))


def load(source: str, get: Callable[[str], str] | None = None) -> OpenData:
    """The open data of a base URL (http/https) or a folder."""
    if source.startswith(("http://", "https://")):
        base = source.rstrip("/")
        fetch = get or (lambda url: httpx.get(url, timeout=30).raise_for_status().text)
        tables = {name: _rows(fetch(f"{base}/data/{name}.csv")) for name in TABLES}
        origins = ",".join(ALL_ORIGINS)
        return OpenData(tables, json.loads(fetch(f"{base}/track-record?origin={origins}")))
    folder = Path(source)
    tables = {name: _rows((folder / f"{name}.csv").read_text("utf-8")) for name in TABLES}
    record_file = folder / TRACK_RECORD_FILE
    record = json.loads(record_file.read_text("utf-8")) if record_file.exists() else None
    return OpenData(tables, record)


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _committed_entry(entry: Row, picks: list[Row]) -> CommittedEntry:
    return CommittedEntry(
        contender=entry["contender"],
        kind=entry["kind"],
        model=entry["model"] or None,
        prompt_version=entry["prompt_version"] or None,
        picks=tuple(_CommittedPick(p["ticker"], p["action"], p["reasoning"]) for p in picks),
        error=entry["error"] or None,
        control_seed=entry["control_seed"] or None,
        universe=entry["universe"] or None,
        universe_as_of=date.fromisoformat(entry["universe_as_of"])
        if entry["universe_as_of"]
        else None,
        redrawn=tuple(entry["redrawn"].split()),
    )


def _commitments(data: OpenData, report: Report) -> None:
    picks = defaultdict(list)
    for pick in data.tables["picks"]:
        picks[pick["entry_id"]].append(pick)
    entries = defaultdict(list)
    for entry in sorted(data.tables["entries"], key=lambda e: int(e["position"])):
        entries[entry["batch_id"]].append(_committed_entry(entry, picks[entry["id"]]))
    for batch in data.tables["batches"]:
        if not batch["commitment_sha256"]:
            continue  # stored before commitments were published
        canonical = canonical_commitment(
            run_date=date.fromisoformat(batch["run_date"]),
            committed_at=datetime.fromisoformat(batch["committed_at"]),
            entries=entries[batch["id"]],
        )
        recomputed = commitment_sha256(canonical)
        report.checked["commitments"] += 1
        if recomputed != batch["commitment_sha256"]:
            report.mismatches.append(
                Mismatch(
                    f"batch {batch['run_date']} commitment", batch["commitment_sha256"], recomputed
                )
            )


@dataclass(frozen=True)
class _CommittedPick:
    ticker: str
    action: str
    reasoning: str


def _actions(data: OpenData) -> dict[tuple[str, str], CorporateActions]:
    grouped: dict[tuple[str, str], list[CorporateAction]] = defaultdict(list)
    for row in data.tables["corporate_actions"]:
        grouped[(row["batch_id"], row["symbol"])].append(
            CorporateAction(
                row["symbol"],
                cast("Any", row["kind"]),
                date.fromisoformat(row["action_date"]),
                Decimal(row["value"]),
            )
        )
    return {key: CorporateActions.of(actions) for key, actions in grouped.items()}


def _returns(data: OpenData, report: Report) -> None:
    """Each computed day's published returns against those recomputed from the published
    closes (closes.csv) and corporate actions: docs/scoring.md's total return."""
    closes = {
        (row["batch_id"], row["symbol"], row["trading_date"]): Decimal(row["close"])
        for row in data.tables["closes"]
    }
    actions = _actions(data)
    batches = {row["id"]: row for row in data.tables["batches"]}
    picks = {row["id"]: row for row in data.tables["picks"]}
    baselines: dict[str, str] = {}
    for checkpoint in data.tables["checkpoints"]:
        day = checkpoint["checkpoint_date"]
        batch_id = checkpoint["batch_id"]
        baselines[batch_id] = min(baselines.get(batch_id, day), day)
    checkpoints = {row["id"]: row for row in data.tables["checkpoints"]}

    def total_return(batch_id: str, symbol: str, initial: Decimal, day: str) -> Decimal:
        baseline = date.fromisoformat(baselines[batch_id])
        through = date.fromisoformat(day)
        known = actions.get((batch_id, symbol), CorporateActions())
        return total_return_pct(
            initial,
            closes[(batch_id, symbol, day)],
            split_factor=known.split_factor(baseline, through),
            dividends=known.dividends_per_share(baseline, through),
        )

    benchmark_returns: dict[str, Decimal] = {}
    for checkpoint in checkpoints.values():
        batch = batches[checkpoint["batch_id"]]
        if checkpoint["status"] != "computed" or checkpoint["checkpoint_date"] < batch["run_date"]:
            continue
        r_spy = total_return(
            batch["id"],
            batch["benchmark_symbol"],
            Decimal(batch["benchmark_initial_price"]),
            checkpoint["checkpoint_date"],
        )
        benchmark_returns[checkpoint["id"]] = r_spy
        where = (
            f"batch {batch['run_date']} {batch['benchmark_symbol']} {checkpoint['checkpoint_date']}"
        )
        _compare(
            report,
            f"{where} benchmark_return_pct",
            checkpoint["benchmark_return_pct"],
            rounded_return(r_spy),
        )
        _compare(
            report,
            f"{where} close (checkpoints/metrics against closes.csv)",
            checkpoint["benchmark_price"],
            closes[(batch["id"], batch["benchmark_symbol"], checkpoint["checkpoint_date"])],
        )
    for metric in data.tables["metrics"]:
        checkpoint = checkpoints[metric["checkpoint_id"]]
        pick = picks[metric["pick_id"]]
        batch = batches[pick["batch_id"]]
        day = checkpoint["checkpoint_date"]
        r_pick = total_return(batch["id"], pick["ticker"], Decimal(pick["initial_price"]), day)
        absolute, vs = pick_returns(
            cast("PickAction", pick["action"]), r_pick, benchmark_returns[checkpoint["id"]]
        )
        where = f"batch {batch['run_date']} {pick['action']} {pick['ticker']} {day}"
        _compare(
            report,
            f"{where} close (checkpoints/metrics against closes.csv)",
            metric["current_price"],
            closes[(batch["id"], pick["ticker"], day)],
        )
        _compare(report, f"{where} absolute_return_pct", metric["absolute_return_pct"], absolute)
        _compare(report, f"{where} vs_benchmark_pct", metric["vs_benchmark_pct"], vs)


def _compare(report: Report, where: str, published: str, recomputed: Decimal) -> None:
    report.checked["numbers"] += 1
    if _decimal(published) != recomputed:
        report.mismatches.append(Mismatch(where, published, str(recomputed)))


def _scored_picks(data: OpenData) -> list[ScoredPick]:
    """The track record's input, from the CSVs: each pick of a completed batch with its
    score at its last computed checkpoint."""
    checkpoints = {row["id"]: row for row in data.tables["checkpoints"]}
    last: dict[str, tuple[str, Row, Row]] = {}
    for metric in data.tables["metrics"]:
        checkpoint = checkpoints[metric["checkpoint_id"]]
        if checkpoint["status"] == "computed":
            day = checkpoint["checkpoint_date"]
            if metric["pick_id"] not in last or last[metric["pick_id"]][0] < day:
                last[metric["pick_id"]] = (day, metric, checkpoint)
    batches = {row["id"]: row for row in data.tables["batches"]}
    entries = {row["id"]: row for row in data.tables["entries"]}
    rows = []
    for pick in data.tables["picks"]:
        batch = batches[pick["batch_id"]]
        if batch["status"] != "completed":
            continue
        entry = entries[pick["entry_id"]]
        day, metric, checkpoint = last.get(pick["id"], ("", {}, {}))
        rows.append(
            ScoredPick(
                batch_id=UUID(batch["id"]),
                run_date=date.fromisoformat(batch["run_date"]),
                contender=entry["contender"],
                kind=cast("EntryKind", entry["kind"]),
                model=entry["model"] or None,
                prompt_version=entry["prompt_version"] or None,
                ticker=pick["ticker"],
                action=cast("PickAction", pick["action"]),
                vs_benchmark_pct=_decimal(metric.get("vs_benchmark_pct", "")),
                absolute_return_pct=_decimal(metric.get("absolute_return_pct", "")),
                benchmark_return_pct=_decimal(checkpoint.get("benchmark_return_pct", "")),
                final_date=date.fromisoformat(day) if day else None,
            )
        )
    return sorted(rows, key=lambda r: (r.run_date, r.ticker))


def _differences(path: str, published: Any, recomputed: Any) -> Iterable[Mismatch]:
    if isinstance(published, dict) and isinstance(recomputed, dict):
        for key in sorted(set(published) | set(recomputed)):
            yield from _differences(f"{path}.{key}", published.get(key), recomputed.get(key))
    elif (
        isinstance(published, list)
        and isinstance(recomputed, list)
        and len(published) == len(recomputed)
    ):
        for index, (p, r) in enumerate(zip(published, recomputed, strict=True)):
            yield from _differences(f"{path}[{index}]", p, r)
    elif published != recomputed:
        yield Mismatch(path, json.dumps(published), json.dumps(recomputed))


def _track_record(data: OpenData, report: Report) -> None:
    if data.track_record is None:
        return
    edge = Decimal(data.track_record["power_edge_pct"])
    recomputed = track_record_out(ALL_ORIGINS, track_record(_scored_picks(data), edge))
    published = {k: v for k, v in data.track_record.items() if k != "origins"}
    mine = json.loads(recomputed.model_dump_json())
    mine.pop("origins")
    report.checked["track record figures"] += sum(1 for _ in _leaves(mine))
    report.mismatches.extend(_differences("track record", published, mine))


def _leaves(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def verify(data: OpenData) -> Report:
    report = Report([], defaultdict(int))
    _commitments(data, report)
    _returns(data, report)
    _track_record(data, report)
    return report
