"""Lambda handler for GET /batches: a stored answer, else the batches' routes."""

from alpha_monday.api import resources
from alpha_monday.api.handler import lambda_handler_for

lambda_handler = lambda_handler_for(resources.batches)
