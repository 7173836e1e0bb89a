"""Step Functions task MarkBatchFailed: the error goes to events, the batch to `failed`."""

from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.finish import mark_batch_failed
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import MarkBatchFailedTask

step = WorkflowStep(MarkBatchFailedTask, mark_batch_failed)
lambda_handler = step.handler(DependencyFactory())
