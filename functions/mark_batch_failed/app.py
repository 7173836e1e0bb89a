"""Step Functions task MarkBatchFailed: the error goes to events, the batch to `failed`."""

from alpha_monday.workflow.finish import mark_batch_failed
from alpha_monday.workflow.handler import task_handler
from alpha_monday.workflow.models import MarkBatchFailedTask

lambda_handler = task_handler(MarkBatchFailedTask, mark_batch_failed)
