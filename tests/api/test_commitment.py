"""The commitment: recomputed by anyone from the API's own answer, as docs/commitment.md
says, and fixed once stored."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from alpha_monday.db.new_batch import create_batch
from alpha_monday.domain.commitment import (
    canonical_commitment,
    commitment_sha256,
    committed_entry,
)
from alpha_monday.domain.model import NewEntry, NewPick
from tests.api.conftest import Call
from tests.builders import FIRST_MONDAY, new_arena_batch, new_batch, seed_batches

DOC = Path(__file__).resolve().parents[2] / "docs" / "commitment.md"


def _recomputed(batch: dict[str, Any]) -> str:
    """The reader's recomputation, written from the documentation, not from the code."""
    form = {
        "version": 1,
        "run_date": batch["run_date"],
        "model": batch["model"],
        "prompt_version": batch["prompt_version"],
        "committed_at": batch["committed_at"],
        "picks": [
            {"ticker": p["ticker"], "action": p["action"], "reasoning": p["reasoning"]}
            for p in sorted(batch["picks"], key=lambda p: p["ticker"])
        ],
    }
    text = json.dumps(form, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_anyone_recomputes_the_commitment_from_the_published_detail(
    call_api: Call, conn: psycopg.Connection
) -> None:
    # Given batches stored through the repository
    seeded = seed_batches(conn, 2, checkpoints_each=1)
    for detail in seeded:
        # When a reader fetches the detail
        body = call_api(f"/batches/{detail.batch.id}").body
        # Then the published hash is the hash of the published fields, and the list shows it
        assert re.fullmatch(r"[0-9a-f]{64}", body["commitment_sha256"])
        assert body["committed_at"].endswith("Z")
        assert _recomputed(body) == body["commitment_sha256"]
    listed = call_api("/batches").body["items"]
    assert {item["commitment_sha256"] for item in listed} == {
        d.batch.commitment_sha256 for d in seeded
    }


def _documented_checker() -> Any:
    """The "for any batch" recomputation of docs/commitment.md, run as a reader would."""
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    return namespace["commitment"]


def test_the_documented_check_recomputes_every_form_from_the_published_detail(
    call_api: Call, conn: psycopg.Connection
) -> None:
    # Given a one-model batch and an arena batch (a model, a failed model, the control)
    create_batch(conn, new_batch(FIRST_MONDAY))
    create_batch(conn, new_arena_batch(FIRST_MONDAY + timedelta(weeks=1)))
    commitment = _documented_checker()
    for item in call_api("/batches").body["items"]:
        # When a reader recomputes the hash from the published detail as documented
        body = call_api(f"/batches/{item['id']}").body
        # Then it is the published hash
        assert commitment(body) == body["commitment_sha256"]


def test_the_documented_example_hashes_as_documented() -> None:
    text = DOC.read_text()
    (canonical,) = re.findall(r"^\{\"committed_at\".*\}$", text, flags=re.MULTILINE)
    (documented,) = re.findall(r"SHA-256 is `([0-9a-f]{64})`", text)
    picks = (
        NewPick(ticker="MSFT", action="SELL", reasoning="Cloud growth is priced in.",
                initial_price=1),
        NewPick(ticker="AAPL", action="BUY", reasoning="Services margins keep rising.",
                initial_price=1),
    )  # fmt: skip
    entry = NewEntry(
        contender="gpt-4o-mini",
        kind="model",
        model="gpt-4o-mini-2024-07-18",
        prompt_version="2026-12-02.1",
        picks=picks,
    )
    ours = canonical_commitment(
        run_date=date(2026, 6, 1),
        committed_at=datetime(2026, 6, 1, 12, 0, 3, 456789, tzinfo=UTC),
        entries=[committed_entry(entry, entry.picks)],
    )
    assert ours.decode() == canonical
    assert commitment_sha256(ours) == documented == hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE picks SET reasoning = 'edited later' WHERE batch_id = %s",
        "DELETE FROM picks WHERE batch_id = %s",
        "UPDATE batches SET model = 'another-model' WHERE id = %s",
        "UPDATE batches SET commitment_sha256 = repeat('0', 64) WHERE id = %s",
        "UPDATE entries SET contender = 'another' WHERE batch_id = %s",
        "DELETE FROM entries WHERE batch_id = %s",
    ],
)
def test_a_committed_batch_refuses_any_change_to_what_it_committed(
    conn: psycopg.Connection, change: str
) -> None:
    (detail,) = seed_batches(conn, 1, checkpoints_each=0)
    with pytest.raises(psycopg.DatabaseError, match="never change"):
        conn.execute(change, (detail.batch.id,))  # type: ignore[arg-type]
