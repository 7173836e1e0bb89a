"""Step Functions task GeneratePicks: a new batch (picks, baselines), or resuming one."""

from alpha_monday.workflow.generate_picks import start_run
from alpha_monday.workflow.handler import task_handler
from alpha_monday.workflow.models import GeneratePicksTask

lambda_handler = task_handler(GeneratePicksTask, start_run, needs=frozenset({"market", "picker"}))
