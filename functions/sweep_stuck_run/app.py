"""EventBridge target: an execution that failed, timed out or was aborted fails its batch."""

from alpha_monday.workflow.handler import task_handler
from alpha_monday.workflow.models import ExecutionEnded
from alpha_monday.workflow.sweeper import sweep_stuck_run

lambda_handler = task_handler(ExecutionEnded, sweep_stuck_run)
