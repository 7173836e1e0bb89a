"""The market-data budget of an arena: can every weekday be published on the key's tier?

Two fortnights overlap every week (each Monday starts one while the previous is in its
second week), so a weekday's checkpoints need the close of every pick of two batches and
SPY's: one call per symbol, shared by every entry that holds it. On top of that come the
corporate-action look-ups (once per symbol per day, only when a move or the Monday needs
them) and Monday's picking. What does not fit one day is healed by the next from the
cache (docs/arena.md has the measured table): a configuration whose closes alone exceed
the daily limit could never catch up, and is refused.
"""

from __future__ import annotations

from alpha_monday.domain.errors import ConfigurationError
from alpha_monday.domain.picks import PICKS_PER_BATCH

OVERLAPPING_BATCHES = 2


def weekday_closes(model_contenders: int, *, control: bool) -> int:
    """Calls for a weekday's closes at most: every pick of two batches (no two entries
    sharing a stock), and SPY."""
    entries = model_contenders + (1 if control else 0)
    return OVERLAPPING_BATCHES * entries * PICKS_PER_BATCH + 1


def check_daily_budget(
    model_contenders: int, *, control: bool, daily_limit: int, premium: bool
) -> None:
    """Refuse an arena whose weekday closes alone exceed the free tier's daily limit (a
    premium key has no daily limit)."""
    needed = weekday_closes(model_contenders, control=control)
    if not premium and needed > daily_limit:
        raise ConfigurationError(
            f"CONTENDERS: {model_contenders} model contender(s)"
            f"{' and the random control' if control else ''} need up to {needed} calls every "
            f"weekday for the closes alone, more than ALPHA_VANTAGE_DAILY_LIMIT={daily_limit}: "
            "no weekday could be published in full; use a premium key "
            "(ALPHA_VANTAGE_PREMIUM) or fewer contenders"
        )
