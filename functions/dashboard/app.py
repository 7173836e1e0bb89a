"""Lambda handler for the pages (GET /, /weeks/{run_date}, /feed.atom, /data/*, ...): a
stored answer, else the pages' routes render it (Jinja2 ships with this function only)."""

from alpha_monday.api import resources
from alpha_monday.api.handler import lambda_handler_for

lambda_handler = lambda_handler_for(resources.pages)
