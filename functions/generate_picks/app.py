"""Step Functions task GeneratePicks: a new batch (picks, baselines), or resuming one."""

from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.generate_picks import start_run
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import GeneratePicksTask

step = WorkflowStep(GeneratePicksTask, start_run, needs=frozenset({"market", "picker"}))
lambda_handler = step.handler(DependencyFactory())
