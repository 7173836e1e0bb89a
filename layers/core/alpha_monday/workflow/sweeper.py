"""The stuck-run sweeper: an execution that failed, timed out or was aborted never leaves
its batch `active` with nothing tracking it.

EventBridge sends every status change of the state machine's executions to FAILED,
TIMED_OUT or ABORTED here. A run whose MarkBatchFailed already ran finds its batch failed
and changes nothing.
"""

from __future__ import annotations

from alpha_monday.db.batches import batch_id_for_execution
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.failures import BATCH_MARKED_FAILED, record_run_failure
from alpha_monday.workflow.models import ExecutionEnded, SweepResult


def sweep_stuck_run(event: ExecutionEnded, deps: StepDependencies) -> SweepResult:
    execution = event.detail
    logger.append_keys(workflow_run_id=execution.name, execution_status=execution.status)
    conn = deps.conn
    batch_id = batch_id_for_execution(conn, execution.name)
    if batch_id is None:
        # Nothing to unstick: the run failed before any batch (MarkBatchFailed told it).
        return SweepResult(execution_name=execution.name, batch_id=None, outcome="no_batch")
    outcome = record_run_failure(
        conn,
        batch_id,
        {
            "error": f"Execution{execution.status.title().replace('_', '')}",
            "cause": execution.cause or f"the execution ended {execution.status}",
            "execution_name": execution.name,
            "execution_arn": execution.execution_arn,
            "source": "stuck-run sweeper",
        },
        execution_name=execution.name,
    )
    if outcome == BATCH_MARKED_FAILED:
        deps.published("status_changed", batch_id)
    logger.info("execution swept", extra={"batch_id": str(batch_id), "outcome": outcome})
    return SweepResult(execution_name=execution.name, batch_id=batch_id, outcome=outcome)
