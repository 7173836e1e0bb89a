"""Lambda handler for GET /: the dashboard page (pygal ships with this function only)."""

from alpha_monday.dashboard.handler import lambda_handler

__all__ = ["lambda_handler"]
