"""The commitment: a SHA-256 of what a batch committed, computed when its picks are stored.

Published with the batch, it lets anyone check that the picks were not changed afterwards:
the canonical form below is rebuilt from the published fields (docs/commitment.md) and
hashed. The form is versioned; a new form gets a new version, old hashes keep theirs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Protocol

COMMITMENT_VERSION = 1


class CommittedPick(Protocol):
    @property
    def ticker(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def reasoning(self) -> str: ...


def commitment_time(instant: datetime) -> datetime:
    """The commit time as committed: UTC, to the second (as the API publishes it)."""
    return instant.astimezone(UTC).replace(microsecond=0)


def canonical_commitment(
    *,
    run_date: date,
    model: str | None,
    prompt_version: str | None,
    committed_at: datetime,
    picks: Iterable[CommittedPick],
) -> bytes:
    """The canonical JSON: keys sorted, no spaces, UTF-8, the picks by ticker."""
    document = {
        "version": COMMITMENT_VERSION,
        "run_date": run_date.isoformat(),
        "model": model,
        "prompt_version": prompt_version,
        "committed_at": commitment_time(committed_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "picks": [
            {"ticker": p.ticker, "action": p.action, "reasoning": p.reasoning}
            for p in sorted(picks, key=lambda p: p.ticker)
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def commitment_sha256(canonical: bytes) -> str:
    """The hex SHA-256 of a canonical commitment."""
    return hashlib.sha256(canonical).hexdigest()
