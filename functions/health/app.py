"""Lambda handler for GET /health, served by the resolver of its resource's routes."""

from alpha_monday.api.handler import lambda_handler_for
from alpha_monday.api.health_routes import health_routes

lambda_handler = lambda_handler_for(health_routes)
