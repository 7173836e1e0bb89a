"""Lambda handler for GET /health: always asks the database (never a stored answer)."""

from alpha_monday.api import resources
from alpha_monday.api.handler import lambda_handler_for

lambda_handler = lambda_handler_for(resources.health, store=False)
