"""Which published paths a write changes: the edge cache forgets exactly these
(docs/edge-cache.md).

Every page and answer is a function of the stored batches; each write of the weekly run is
one of a few kinds, and each kind changes a known set of answers. The paths are the edge's
own: a path ending in `*` is a prefix (CloudFront's wildcard, allowed only at the end), so
`/batches?*` is every page of the list whatever its query, and never `/batches/{id}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal
from uuid import UUID

from alpha_monday.domain.model import BatchOrigin

# What a step wrote: the batch committed (its entries, picks and baseline), a day's returns
# computed (that day's, or a held day's healed), a day skipped (no returns: the batch's own
# page and its tables show it, the lists and the dashboard do not), the batch completed, or
# its status changed otherwise (failed, or resumed).
ChangeKind = Literal["committed", "day_computed", "day_skipped", "completed", "status_changed"]

# The answers that show the newest batches without a query: GET /batches' default page
# and the dashboard's history (dashboard/handler.py).
LIST_DEFAULT_LIMIT = 20
DASHBOARD_HISTORY = 10

# The open tables (GET /data/{table}.csv) each kind of write changes.
_TABLES: dict[ChangeKind, tuple[str, ...]] = {
    "committed": ("batches", "entries", "picks", "checkpoints", "closes"),
    "day_computed": ("checkpoints", "metrics", "skips", "corporate_actions", "closes"),
    "day_skipped": ("checkpoints", "skips"),
    # The completion audit rescores the stored days (a late corporate action, a heal).
    "completed": ("batches", "checkpoints", "metrics", "skips", "corporate_actions", "closes"),
    "status_changed": ("batches",),
}


@dataclass(frozen=True)
class PublishedChange:
    """One write to one batch, with where the batch stands among the published ones."""

    kind: ChangeKind
    batch_id: UUID
    run_date: date
    origin: BatchOrigin
    # How many batches have a later run date (0: this is GET /latest's batch).
    newer_batches: int
    # The weeks before and after this one: each week page links to its neighbours.
    previous_run_date: date | None
    next_run_date: date | None


def changed_paths(change: PublishedChange) -> tuple[str, ...]:
    """The edge paths whose answers `change` may have changed, each once, in a stable order."""
    paths = [f"/batches/{change.batch_id}", f"/weeks/{change.run_date.isoformat()}"]
    if change.newer_batches == 0:
        paths.append("/latest")
    if change.kind != "day_skipped":
        # A batch's summary (the lists, the dashboard's history) shows its latest returns.
        if change.newer_batches < LIST_DEFAULT_LIMIT:
            paths.append("/batches")
        paths.append("/batches?*")
        if change.newer_batches < DASHBOARD_HISTORY or _counts_in_track_record(change):
            paths.append("/")
        paths.append("/?*")
    if change.kind == "committed":
        neighbours = (change.previous_run_date, change.next_run_date)
        paths.extend(f"/weeks/{day.isoformat()}" for day in neighbours if day is not None)
    if change.kind in ("committed", "completed"):
        paths.append("/feed.atom")
    if change.kind == "completed":
        if change.origin == "live":
            paths.append("/track-record")
        paths.append("/track-record?*")
    paths.extend(f"/data/{table}.csv" for table in _TABLES[change.kind])
    return tuple(paths)


def _counts_in_track_record(change: PublishedChange) -> bool:
    # The default views count live batches, once they are completed.
    return change.kind == "completed" and change.origin == "live"


def all_changed_paths(changes: tuple[PublishedChange, ...]) -> tuple[str, ...]:
    """The union of each change's paths, in first-seen order."""
    return tuple(dict.fromkeys(path for change in changes for path in changed_paths(change)))
