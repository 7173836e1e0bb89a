"""Turns a workflow step into a Lambda handler: event in, one step, JSON-ready model out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from alpha_monday.config import database_settings, provider_settings
from alpha_monday.observability import logger

TaskT = TypeVar("TaskT", bound=BaseModel)
Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def task_handler(
    task_model: type[TaskT], step: Callable[[TaskT], BaseModel], *, uses_providers: bool
) -> Handler:
    # Read at cold start, so a missing setting fails the container with its name.
    database_settings()
    if uses_providers:
        provider_settings()

    @logger.inject_lambda_context(clear_state=True)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return step(task_model.model_validate(event)).model_dump(mode="json")

    return lambda_handler
