"""Step Functions task CompleteBatch: heal skipped days, then the batch is completed."""

from alpha_monday.workflow.finish import complete_batch
from alpha_monday.workflow.handler import task_handler
from alpha_monday.workflow.models import CompleteBatchTask

lambda_handler = task_handler(CompleteBatchTask, complete_batch, needs=frozenset({"market"}))
