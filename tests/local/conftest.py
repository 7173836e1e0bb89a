"""The local tools run in this process: undo what each run sets for itself."""

from __future__ import annotations

import pytest

from alpha_monday.integrations.providers import announce_offline


@pytest.fixture(autouse=True)
def _each_cli_run_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    # run-week sets these for its own process; undo them so later tests see the defaults.
    for name in ("POWERTOOLS_LOG_LEVEL", "POWERTOOLS_METRICS_DISABLED"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    # A process announces its offline providers once: each test is a process of its own.
    announce_offline.cache_clear()
