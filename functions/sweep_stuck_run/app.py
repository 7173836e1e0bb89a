"""EventBridge target: an execution that failed, timed out or was aborted fails its batch."""

from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import ExecutionEnded
from alpha_monday.workflow.sweeper import sweep_stuck_run

step = WorkflowStep(ExecutionEnded, sweep_stuck_run)
lambda_handler = step.handler(DependencyFactory())
