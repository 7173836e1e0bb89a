"""Lambda handler for the pages (GET /, /weeks/{run_date}, /feed.atom, /data/*, ...),
served by the resolver of the pages' routes: Jinja2 ships with this function only."""

from alpha_monday.api.handler import lambda_handler_for
from alpha_monday.dashboard.handler import dashboard_routes

lambda_handler = lambda_handler_for(dashboard_routes)
