"""Step Functions task GeneratePicks: the model's picks, their baselines, the new batch."""

from alpha_monday.workflow.generate_picks import generate_picks
from alpha_monday.workflow.handler import task_handler
from alpha_monday.workflow.models import GeneratePicksTask

lambda_handler = task_handler(GeneratePicksTask, generate_picks, uses_providers=True)
