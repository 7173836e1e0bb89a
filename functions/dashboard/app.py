"""Lambda handler for the pages (GET /, /weeks/{run_date}, ...): Jinja2 ships with this
function only."""

from alpha_monday.dashboard.handler import lambda_handler

__all__ = ["lambda_handler"]
