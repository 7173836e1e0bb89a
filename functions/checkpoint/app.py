"""Step Functions task Checkpoint: one day's closes and returns, or a skipped day."""

from alpha_monday.workflow.checkpoint import run_checkpoint
from alpha_monday.workflow.handler import task_handler
from alpha_monday.workflow.models import CheckpointTask

lambda_handler = task_handler(CheckpointTask, run_checkpoint, needs=frozenset({"market"}))
