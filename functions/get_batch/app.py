"""Lambda handler for GET /batches/{batch_id}, served by the resolver of its resource's routes."""

from alpha_monday.api.batch_routes import batch_routes
from alpha_monday.api.handler import lambda_handler_for

lambda_handler = lambda_handler_for(batch_routes)
