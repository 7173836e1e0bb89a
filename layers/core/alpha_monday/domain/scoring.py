"""A session day of a batch, scored: each pick's total return, or why a pick (or the day)
has none.

Plain rules over loaded values: the workflow step loads the batch and the closes, calls
`score_day`, and stores what it returns. A close is published only once its move since the
symbol's last published close is explained (docs/scoring.md):

1. an ordinary move (see `MoveRule`) needs no explaining;
2. otherwise the provider's corporate actions are looked up (at most once per symbol and
   day, by the `ActionBook`) and a split or dividend they hold may explain it;
3. otherwise, when the symbol's close was already held back since, and today's close stays
   at that held level, the move was real;
4. otherwise the close is held back ("unconfirmed move") and a later session decides it:
   scored again with that session as `later`, it is published if the later close stayed at
   its level, and an outlier for good if the later close went back to the earlier level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from alpha_monday.domain import skip_reasons
from alpha_monday.domain.corporate_actions import CorporateAction, CorporateActions
from alpha_monday.domain.market_data import SessionCloses
from alpha_monday.domain.metrics import pick_returns, rounded_return, total_return_pct
from alpha_monday.domain.model import BatchDetail, Checkpoint, Pick, PickAction, PickSkip
from alpha_monday.domain.moves import MoveRule


class ActionBook(Protocol):
    """A symbol's corporate actions, as the provider reports them."""

    def known(self, symbol: str) -> CorporateActions:
        """What is already known (no call)."""
        ...

    def look_up(self, symbol: str) -> CorporateActions:
        """Ask the provider (at most once per symbol and day; on failure, what is known)."""
        ...


@dataclass(frozen=True)
class PickScore:
    pick_id: UUID
    ticker: str
    action: PickAction
    close: Decimal
    absolute_return_pct: Decimal
    vs_benchmark_pct: Decimal


@dataclass(frozen=True)
class DayScore:
    """A computed day (`skip_reason` None) or a day skipped for the benchmark's sake."""

    trading_date: date
    skip_reason: str | None = None
    benchmark_close: Decimal | None = None
    benchmark_return_pct: Decimal | None = None
    scores: tuple[PickScore, ...] = ()
    left_out: tuple[PickSkip, ...] = ()
    # The corporate actions counted in this day's returns (the batch records them).
    applied: tuple[CorporateAction, ...] = ()
    # What a later session decided about a held move (for the rescoring's trace).
    decisions: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Judged:
    problem: str | None = None
    decision: str | None = None

    @property
    def holds_close(self) -> bool:
        """An unconfirmed move keeps its close for a later session to decide on."""
        return (
            self.problem is not None
            and skip_reasons.reason_kind(self.problem) == skip_reasons.UNCONFIRMED_MOVE
        )


@dataclass(frozen=True)
class _Symbol:
    """One symbol of the day: its close, the close it is judged against, a held one."""

    name: str
    close: Decimal
    reference: tuple[date, Decimal]
    held: tuple[date, Decimal] | None
    # Published on this day already with this very close (a day scored again): its move
    # was decided then.
    published: bool = False


def _ratio_text(growth: Decimal) -> str:
    """A price ratio readably: 4 decimals, or 3 significant digits when tiny."""
    return f"{growth:.4f}" if growth >= Decimal("0.001") else f"{growth:.3E}"


class _DayRules:
    def __init__(
        self,
        detail: BatchDetail,
        day: date,
        book: ActionBook,
        rule: MoveRule,
        later: SessionCloses | None,
    ) -> None:
        self.day = day
        self.book = book
        self.rule = rule
        self.later = later
        self.baseline_date = min(c.checkpoint_date for c in detail.checkpoints)
        counted: dict[str, list[CorporateAction]] = {}
        for a in detail.corporate_actions:
            counted.setdefault(a.symbol, []).append(
                CorporateAction(a.symbol, a.kind, a.action_date, a.value)
            )
        self._counted = {symbol: CorporateActions.of(rows) for symbol, rows in counted.items()}

    def actions(self, symbol: str, *, look_up: bool = False) -> CorporateActions:
        """What the batch counts for `symbol` already, with what the provider reports."""
        found = self.book.look_up(symbol) if look_up else self.book.known(symbol)
        return self._counted.get(symbol, CorporateActions()).merged(found)

    def judge(self, symbol: _Symbol) -> tuple[CorporateActions, _Judged]:
        """The actions to score `symbol` with, and why its close is not published, if so."""
        point = (self.day, symbol.close)
        actions = self.actions(symbol.name)
        if symbol.published or not self.rule.needs_explaining(
            actions.growth(symbol.reference, point)
        ):
            return actions, _Judged()
        actions = self.actions(symbol.name, look_up=True)
        if not self.rule.needs_explaining(actions.growth(symbol.reference, point)):
            return actions, _Judged()
        if symbol.held is not None and not self.rule.needs_explaining(
            actions.growth(symbol.held, point)
        ):
            return actions, _Judged()  # it stays at the level first seen on the held day
        move = _ratio_text(actions.growth(symbol.reference, point))
        if (
            self.later is not None
            and self.later.trading_date > self.day
            and symbol.name in self.later.closes
        ):
            later_point = (self.later.trading_date, self.later.closes[symbol.name])
            if not self.rule.needs_explaining(actions.growth(point, later_point)):
                return actions, _Judged(
                    decision=f"{symbol.name}: the move of {self.day} ({move}x) held at the "
                    f"close of {self.later.trading_date}, so it was real"
                )
            if not self.rule.needs_explaining(actions.growth(symbol.reference, later_point)):
                return actions, _Judged(
                    problem=skip_reasons.outlier(symbol.name, f"{symbol.close:f}", move),
                    decision=f"{symbol.name}: the close of {self.day} ({symbol.close:f}) is an "
                    f"outlier: the close of {self.later.trading_date} went back",
                )
        return actions, _Judged(problem=skip_reasons.unconfirmed_move(symbol.name, move))

    def total_return(self, actions: CorporateActions, initial: Decimal, close: Decimal) -> Decimal:
        return total_return_pct(
            initial,
            close,
            split_factor=actions.split_factor(self.baseline_date, self.day),
            dividends=actions.dividends_per_share(self.baseline_date, self.day),
        )

    def counted(self, actions: CorporateActions) -> tuple[CorporateAction, ...]:
        return actions.between(self.baseline_date, self.day)


def _published_before(detail: BatchDetail, day: date) -> list[Checkpoint]:
    return sorted(
        (c for c in detail.checkpoints if c.status == "computed" and c.checkpoint_date < day),
        key=lambda c: c.checkpoint_date,
        reverse=True,
    )


def _pick_reference(detail: BatchDetail, pick: Pick, day: date) -> tuple[date, Decimal]:
    """The pick's last published close before `day`, or its baseline."""
    for checkpoint in _published_before(detail, day):
        for metric in checkpoint.metrics:
            if metric.pick_id == pick.id:
                return checkpoint.checkpoint_date, metric.current_price
    return min(c.checkpoint_date for c in detail.checkpoints), pick.initial_price


def _latest_held(held: list[tuple[date, Decimal]]) -> tuple[date, Decimal] | None:
    return max(held) if held else None


def _pick_symbol(detail: BatchDetail, pick: Pick, close: Decimal, day: date) -> _Symbol:
    """The pick on `day`: judged against its last published close, with the close it had
    held back since, if any."""
    reference = _pick_reference(detail, pick, day)
    held = [
        (c.checkpoint_date, skip.held_close)
        for c in detail.checkpoints
        if reference[0] < c.checkpoint_date < day
        for skip in c.skipped_picks
        if skip.pick_id == pick.id
        and skip.held_close is not None
        and skip_reasons.reason_kind(skip.reason) == skip_reasons.UNCONFIRMED_MOVE
    ]
    published = any(
        m.pick_id == pick.id and m.current_price == close
        for c in detail.checkpoints
        if c.checkpoint_date == day
        for m in c.metrics
    )
    return _Symbol(pick.ticker, close, reference, _latest_held(held), published)


def _benchmark_symbol(detail: BatchDetail, close: Decimal, day: date) -> _Symbol:
    """The benchmark on `day`: judged against its last published close (the baseline at
    least), with the close a skipped day held back since, if any."""
    last = _published_before(detail, day)[0]
    reference = (last.checkpoint_date, last.benchmark_price or detail.batch.benchmark_initial_price)
    held = [
        (c.checkpoint_date, c.benchmark_price)
        for c in detail.checkpoints
        if reference[0] < c.checkpoint_date < day
        and c.status == "skipped"
        and c.benchmark_price is not None
        and skip_reasons.reason_kind(c.skip_reason or "") == skip_reasons.UNCONFIRMED_MOVE
    ]
    stored = next((c for c in detail.checkpoints if c.checkpoint_date == day), None)
    published = (
        stored is not None and stored.status == "computed" and stored.benchmark_price == close
    )
    return _Symbol(detail.batch.benchmark_symbol, close, reference, _latest_held(held), published)


def score_day(
    detail: BatchDetail,
    session: SessionCloses,
    book: ActionBook,
    rule: MoveRule,
    *,
    later: SessionCloses | None = None,
) -> DayScore:
    """Score `session`'s day of the batch; `later` is a later session's closes when a day is
    scored again, so that held moves can be decided."""
    batch = detail.batch
    day = session.trading_date
    benchmark = batch.benchmark_symbol
    if benchmark not in session.closes:
        return DayScore(day, skip_reason=skip_reasons.symbol_unknown(benchmark))
    rules = _DayRules(detail, day, book, rule, later)
    benchmark_close = session.closes[benchmark]
    benchmark_actions, judged = rules.judge(_benchmark_symbol(detail, benchmark_close, day))
    decisions = [judged.decision] if judged.decision else []
    if judged.problem is not None:
        # The benchmark's move is unexplained: a trading day without returns. A held close is
        # kept for the next sessions to decide on; an outlier's is not.
        return DayScore(
            day,
            skip_reason=judged.problem,
            benchmark_close=benchmark_close if judged.holds_close else None,
            decisions=tuple(decisions),
        )
    r_benchmark = rules.total_return(
        benchmark_actions, batch.benchmark_initial_price, benchmark_close
    )
    applied = list(rules.counted(benchmark_actions))
    scores: list[PickScore] = []
    left_out: list[PickSkip] = []
    for pick in detail.picks:
        if pick.ticker not in session.closes:
            reason = skip_reasons.symbol_unknown(pick.ticker)
            left_out.append(PickSkip(pick_id=pick.id, ticker=pick.ticker, reason=reason))
            continue
        close = session.closes[pick.ticker]
        actions, judged = rules.judge(_pick_symbol(detail, pick, close, day))
        if judged.decision:
            decisions.append(judged.decision)
        if judged.problem is not None:
            skip = PickSkip(
                pick_id=pick.id,
                ticker=pick.ticker,
                reason=judged.problem,
                held_close=close if judged.holds_close else None,
            )
            left_out.append(skip)
            continue
        applied.extend(rules.counted(actions))
        absolute, versus = pick_returns(
            pick.action, rules.total_return(actions, pick.initial_price, close), r_benchmark
        )
        scores.append(PickScore(pick.id, pick.ticker, pick.action, close, absolute, versus))
    return DayScore(
        day,
        benchmark_close=benchmark_close,
        benchmark_return_pct=rounded_return(r_benchmark),
        scores=tuple(scores),
        left_out=tuple(left_out),
        applied=tuple(dict.fromkeys(applied)),
        decisions=tuple(decisions),
    )
