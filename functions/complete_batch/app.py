"""Step Functions task CompleteBatch: the batch is completed after its last checkpoint."""

from alpha_monday.workflow.finish import complete_batch
from alpha_monday.workflow.handler import task_handler
from alpha_monday.workflow.models import CompleteBatchTask

lambda_handler = task_handler(CompleteBatchTask, complete_batch, uses_providers=False)
