"""The commitment: a SHA-256 of what a batch committed, computed when its picks are stored.

Published with the batch, it lets anyone check that the picks were not changed afterwards:
the canonical form below is rebuilt from the published fields (docs/commitment.md) and
hashed. The form is versioned; a new form gets a new version, old hashes keep theirs:
a batch of one model entry keeps form 1 (as before the arena), any other batch (several
contenders, or the random control) has form 2, which lists every entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from alpha_monday.domain.model import ControlDraw

ONE_MODEL_FORM = 1
ARENA_FORM = 2


class CommittedPick(Protocol):
    @property
    def ticker(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def reasoning(self) -> str: ...


@dataclass(frozen=True)
class CommittedEntry:
    """One contender's committed part: who it is, what answered, its picks or its error,
    and for the random control how it was drawn."""

    contender: str
    kind: str
    model: str | None
    prompt_version: str | None
    picks: tuple[CommittedPick, ...]
    error: str | None = None
    control_seed: str | None = None
    universe: str | None = None
    universe_as_of: date | None = None
    redrawn: tuple[str, ...] = ()


class EntryFields(Protocol):
    """What an entry commits besides its picks (a new entry, or a stored one)."""

    @property
    def contender(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def model(self) -> str | None: ...
    @property
    def prompt_version(self) -> str | None: ...
    @property
    def error(self) -> str | None: ...
    @property
    def control(self) -> ControlDraw | None: ...


def committed_entry(entry: EntryFields, picks: Iterable[CommittedPick]) -> CommittedEntry:
    control = entry.control
    return CommittedEntry(
        contender=entry.contender,
        kind=entry.kind,
        model=entry.model,
        prompt_version=entry.prompt_version,
        picks=tuple(picks),
        error=entry.error,
        control_seed=control.seed if control else None,
        universe=control.universe if control else None,
        universe_as_of=control.universe_as_of if control else None,
        redrawn=control.redrawn if control else (),
    )


def commitment_time(instant: datetime) -> datetime:
    """The commit time as committed: UTC, to the second (as the API publishes it)."""
    return instant.astimezone(UTC).replace(microsecond=0)


def _picks(picks: Iterable[CommittedPick]) -> list[dict[str, str]]:
    return [
        {"ticker": p.ticker, "action": p.action, "reasoning": p.reasoning}
        for p in sorted(picks, key=lambda p: p.ticker)
    ]


def _entry(entry: CommittedEntry) -> dict[str, Any]:
    return {
        "contender": entry.contender,
        "kind": entry.kind,
        "model": entry.model,
        "prompt_version": entry.prompt_version,
        "error": entry.error,
        "control_seed": entry.control_seed,
        "universe": entry.universe,
        "universe_as_of": entry.universe_as_of.isoformat() if entry.universe_as_of else None,
        "redrawn": list(entry.redrawn),
        "picks": _picks(entry.picks),
    }


def canonical_commitment(
    *, run_date: date, committed_at: datetime, entries: Sequence[CommittedEntry]
) -> bytes:
    """The canonical JSON: keys sorted, no spaces, UTF-8, entries in the contenders' order,
    each entry's picks by ticker."""
    document: dict[str, Any] = {
        "run_date": run_date.isoformat(),
        "committed_at": commitment_time(committed_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if len(entries) == 1 and entries[0].kind == "model":
        (only,) = entries
        document |= {
            "version": ONE_MODEL_FORM,
            "model": only.model,
            "prompt_version": only.prompt_version,
            "picks": _picks(only.picks),
        }
    else:
        document |= {"version": ARENA_FORM, "entries": [_entry(entry) for entry in entries]}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def commitment_sha256(canonical: bytes) -> str:
    """The hex SHA-256 of a canonical commitment."""
    return hashlib.sha256(canonical).hexdigest()
