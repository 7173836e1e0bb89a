"""Lambda handler for GET /track-record, served by the resolver of its resource's routes."""

from alpha_monday.api.handler import lambda_handler_for
from alpha_monday.api.track_record_routes import track_record_routes

lambda_handler = lambda_handler_for(track_record_routes)
