"""Turns a workflow step into a Lambda handler: event in, one step, JSON-ready model out.

Each step declares what it uses (`needs`), once: its settings are checked at cold start, so
a missing one fails the container with its name, nothing else is read, and the template
test checks the same declaration against the function's SSM rights. Database errors are
translated into domain errors here, once, for every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError

from alpha_monday.business_metrics import metrics
from alpha_monday.config import database_settings
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.domain.errors import AlphaMondayError, InvalidRunInput
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import DependencyFactory, Need, StepDependencies

TaskT = TypeVar("TaskT", bound=BaseModel)
Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def _invalid_input(error: ValidationError) -> InvalidRunInput:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in issue['loc']) or 'input'}: {issue['msg']}"
        for issue in error.errors()
    )
    return InvalidRunInput(f"invalid task input: {problems}")


def _correlation_keys(event: dict[str, Any]) -> dict[str, Any]:
    """workflow_run_id, step_name, retry_count and batch_id for every log line of the step."""
    context = event.get("context")
    context = context if isinstance(context, dict) else {}
    state = event.get("state")
    batch_id = event.get("batch_id") or (state.get("batch_id") if isinstance(state, dict) else None)
    return {
        "workflow_run_id": context.get("workflow_run_id"),
        "step_name": context.get("step_name"),
        "retry_count": context.get("retry_count"),
        "batch_id": batch_id,
    }


def parse_task(task_model: type[TaskT], event: dict[str, Any]) -> TaskT:
    try:
        return task_model.model_validate(event)
    except ValidationError as error:
        raise _invalid_input(error) from None


@dataclass(frozen=True)
class WorkflowStep(Generic[TaskT]):
    """A Lambda of the workflow: the input it takes, the step it runs, what the step uses."""

    task_model: type[TaskT]
    run: Callable[[TaskT, StepDependencies], BaseModel]
    needs: frozenset[Need] = frozenset()

    def handler(self, factory: DependencyFactory) -> Handler:
        """The Lambda handler running this step with dependencies made by `factory`."""
        # Read at cold start, so a missing setting fails the container with its name.
        database_settings()
        factory.check_settings(self.needs)

        @logger.inject_lambda_context(clear_state=True)
        @metrics.log_metrics
        def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            logger.append_keys(**_correlation_keys(event))
            deps = factory.for_step(self.needs)
            try:
                task = parse_task(self.task_model, event)
                with translated_database_errors():
                    result = self.run(task, deps)
                return result.model_dump(mode="json")
            except AlphaMondayError as error:
                # Logged once, here, with the name the state machine matches on.
                logger.warning(
                    "step failed", extra={"error": type(error).__name__, "reason": str(error)}
                )
                raise
            except Exception as error:
                logger.exception("step failed", extra={"error": type(error).__name__})
                raise
            finally:
                # What the step committed is published, even when it then failed.
                deps.invalidate_published(context.aws_request_id)

        return lambda_handler
