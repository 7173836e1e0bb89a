"""Step Functions task PlanRun: the Monday, who is asked; or a batch to track again."""

from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import PlanRunTask
from alpha_monday.workflow.plan_run import plan_run

step = WorkflowStep(PlanRunTask, plan_run, needs=frozenset({"market", "arena"}))
lambda_handler = step.handler(DependencyFactory())
