"""Step Functions task Checkpoint: one day's closes and returns, or a skipped day."""

from alpha_monday.workflow.checkpoint import run_checkpoint
from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import CheckpointTask

step = WorkflowStep(CheckpointTask, run_checkpoint, needs=frozenset({"market"}))
lambda_handler = step.handler(DependencyFactory())
