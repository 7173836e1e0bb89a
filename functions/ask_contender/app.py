"""Step Functions task AskContender: one model contender's picks, every answer kept."""

from alpha_monday.workflow.asking import ask_contender
from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.handler import WorkflowStep
from alpha_monday.workflow.models import AskContenderTask

step = WorkflowStep(AskContenderTask, ask_contender, needs=frozenset({"market", "picker"}))
lambda_handler = step.handler(DependencyFactory())
