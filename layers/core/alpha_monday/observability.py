"""Structured JSON logs (Powertools Logger) shared by every function."""

import logging
import sys

from aws_lambda_powertools import Logger


class _CurrentStdout(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stdout` is when a line is logged, not the one at import: a
    process that swaps it (the local tools, a test's capture) never logs to a closed one."""

    @property
    def stream(self) -> object:
        return sys.stdout

    @stream.setter
    def stream(self, _: object) -> None:
        pass


# POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL come from the template's Globals.
logger = Logger(service="alpha-monday", logger_handler=_CurrentStdout())
