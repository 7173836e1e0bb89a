"""Step Functions task GeneratePicks: every entry, the control, the baselines, the batch."""

from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.generate_picks import generate_picks
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import GeneratePicksTask

step = WorkflowStep(GeneratePicksTask, generate_picks, needs=frozenset({"market", "arena"}))
lambda_handler = step.handler(DependencyFactory())
