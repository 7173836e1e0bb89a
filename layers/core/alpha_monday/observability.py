"""Structured JSON logs (Powertools Logger) shared by every function."""

from aws_lambda_powertools import Logger

# POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL come from the template's Globals.
logger = Logger(service="alpha-monday")
