"""Lambda handler for GET /track-record, served by the shared read API resolver."""

from alpha_monday.api.handler import lambda_handler

__all__ = ["lambda_handler"]
