"""Which edge paths a write changes: pure rules, on in-memory values."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from alpha_monday.domain.capacity import (
    ConnectionBudgetExceeded,
    check_connection_budget,
    connections_needed,
)
from alpha_monday.domain.published_paths import (
    ChangeKind,
    PublishedChange,
    all_changed_paths,
    changed_paths,
)

BATCH = UUID(int=1)


def _change(kind: ChangeKind, *, newer: int = 0, origin: str = "live") -> PublishedChange:
    return PublishedChange(
        kind=kind,
        batch_id=BATCH,
        run_date=date(2026, 6, 8),
        origin=origin,  # type: ignore[arg-type]
        newer_batches=newer,
        previous_run_date=date(2026, 6, 1),
        next_run_date=None,
    )


def test_a_commit_changes_the_new_week_its_neighbour_the_lists_and_the_feed() -> None:
    paths = changed_paths(_change("committed"))
    assert paths[:2] == (f"/batches/{BATCH}", "/weeks/2026-06-08")
    assert {"/latest", "/batches", "/batches?*", "/", "/?*", "/feed.atom"} <= set(paths)
    assert "/weeks/2026-06-01" in paths
    assert {"/data/picks.csv", "/data/entries.csv", "/data/batches.csv"} <= set(paths)
    assert not any(p.startswith("/track-record") for p in paths)


def test_a_skipped_day_changes_the_batch_but_not_its_summary() -> None:
    paths = set(changed_paths(_change("day_skipped")))
    assert {f"/batches/{BATCH}", "/weeks/2026-06-08", "/latest", "/data/checkpoints.csv"} <= paths
    assert not paths & {"/batches", "/batches?*", "/", "/?*", "/data/metrics.csv"}


def test_an_older_batch_changes_neither_latest_nor_the_first_pages() -> None:
    paths = set(changed_paths(_change("day_computed", newer=25)))
    assert not paths & {"/latest", "/batches", "/"}
    assert {"/batches?*", "/?*"} <= paths


@pytest.mark.parametrize(("origin", "default_view"), [("live", True), ("simulated", False)])
def test_a_completion_changes_the_track_record_the_default_view_counts_live_only(
    origin: str, default_view: bool
) -> None:
    paths = set(changed_paths(_change("completed", newer=30, origin=origin)))
    assert "/track-record?*" in paths
    assert ("/track-record" in paths) is default_view
    assert ("/" in paths) is default_view
    assert "/feed.atom" in paths


def test_a_status_change_is_the_batch_its_summary_and_the_batches_table() -> None:
    paths = set(changed_paths(_change("status_changed")))
    assert "/data/batches.csv" in paths
    assert not any(p.startswith("/data/") and p != "/data/batches.csv" for p in paths)
    assert "/feed.atom" not in paths


def test_wildcards_are_only_at_the_end_and_the_union_keeps_each_path_once() -> None:
    changes = (_change("day_computed"), _change("completed"))
    paths = all_changed_paths(changes)
    assert len(paths) == len(set(paths))
    assert all("*" not in p[:-1] for p in paths)
    assert set(changed_paths(changes[0])) | set(changed_paths(changes[1])) == set(paths)


def test_the_connection_budget_counts_every_read_container_and_the_run() -> None:
    assert connections_needed(12) == 6 * 12 + 5
    assert check_connection_budget(15, 95) == 95
    with pytest.raises(ConnectionBudgetExceeded, match="lower ReadFunctionConcurrency to 15"):
        check_connection_budget(16, 95)
