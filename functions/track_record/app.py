"""Lambda handler for GET /track-record: a stored answer, else the track record's routes."""

from alpha_monday.api import resources
from alpha_monday.api.handler import lambda_handler_for

lambda_handler = lambda_handler_for(resources.track_record)
