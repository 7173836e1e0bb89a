"""Step Functions task CompleteBatch: heal skipped days, then the batch is completed."""

from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.finish import complete_batch
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import CompleteBatchTask

step = WorkflowStep(CompleteBatchTask, complete_batch, needs=frozenset({"market"}))
lambda_handler = step.handler(DependencyFactory())
