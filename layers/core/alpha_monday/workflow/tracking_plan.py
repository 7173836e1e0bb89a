"""What the checkpoint loop needs of a batch: its picks and the fortnight's 14 wake-ups."""

from __future__ import annotations

from datetime import date, time

from alpha_monday.domain.model import BatchDetail
from alpha_monday.domain.schedule import fortnight_schedule
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.models import (
    CheckpointLoop,
    GeneratePicksResult,
    PickSummary,
    ScheduledCheckpoint,
)


def checkpoint_schedule(run_date: date, local_time: time) -> list[ScheduledCheckpoint]:
    """The fortnight's 14 wake-up instants, as the state machine's loop reads them."""
    return [
        ScheduledCheckpoint(
            index=day.index, checkpoint_date=day.checkpoint_date, wake_at=day.wake_at
        )
        for day in fortnight_schedule(run_date, local_time)
    ]


def tracking_plan(detail: BatchDetail, deps: StepDependencies) -> GeneratePicksResult:
    """The batch, its picks (by contender) and the 14 wake-up instants."""
    batch = detail.batch
    schedule = checkpoint_schedule(batch.run_date, deps.market_settings.checkpoint_local_time)
    contenders = {entry.id: entry.contender for entry in detail.entries}
    return GeneratePicksResult(
        batch_id=batch.id,
        run_date=batch.run_date,
        baseline_date=detail.checkpoints[0].checkpoint_date,
        model=batch.model or "unknown",
        benchmark_symbol=batch.benchmark_symbol,
        benchmark_initial_price=batch.benchmark_initial_price,
        picks=[
            PickSummary(
                contender=contenders[p.entry_id],
                ticker=p.ticker,
                action=p.action,
                initial_price=p.initial_price,
            )
            for p in detail.picks
        ],
        checkpoint_count=len(schedule),
        schedule=schedule,
        loop=CheckpointLoop(cursor=0, current=schedule[0]),
    )
