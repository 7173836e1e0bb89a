"""Static checks of the state machine definition and its wiring in template.yaml."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from alpha_monday.domain import errors
from alpha_monday_local.paths import PROJECT_ROOT
from alpha_monday_local.sfn_runner import STATE_MACHINE_RESOURCE
from alpha_monday_local.statelint_check import lint_definition

LAMBDA_SERVICE_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}


@pytest.fixture(scope="module")
def properties(template: dict[str, Any]) -> dict[str, Any]:
    return dict(template["Resources"][STATE_MACHINE_RESOURCE]["Properties"])


@pytest.fixture(scope="module")
def definition_text(properties: dict[str, Any]) -> str:
    return (PROJECT_ROOT / properties["DefinitionUri"]).read_text()


@pytest.fixture(scope="module")
def states(definition_text: str) -> dict[str, Any]:
    return dict(json.loads(definition_text)["States"])


def test_statelint_accepts_the_definition() -> None:
    result = lint_definition()
    assert result.returncode == 0, result.stdout + result.stderr


def test_placeholders_and_substitutions_match(
    definition_text: str, properties: dict[str, Any]
) -> None:
    used = set(re.findall(r"\$\{(\w+)\}", definition_text))
    assert used == set(properties["DefinitionSubstitutions"])
    # Placeholders live only inside JSON strings: the file parses as it is.
    json.loads(definition_text)


def test_every_task_has_a_timeout_retries_with_jitter_and_a_catch(states: dict[str, Any]) -> None:
    tasks = {name: state for name, state in states.items() if state["Type"] == "Task"}
    assert tasks
    for name, task in tasks.items():
        assert task.get("TimeoutSeconds"), name
        retried = {error for retrier in task["Retry"] for error in retrier["ErrorEquals"]}
        assert retried >= LAMBDA_SERVICE_ERRORS, name
        for retrier in task["Retry"]:
            assert retrier["JitterStrategy"] == "FULL", name
            assert retrier["MaxDelaySeconds"] > 0, name
            assert retrier["BackoffRate"] >= 1, name
        caught = {error for catcher in task["Catch"] for error in catcher["ErrorEquals"]}
        assert "States.ALL" in caught, name


def test_error_names_are_exception_classes_of_the_code(states: dict[str, Any]) -> None:
    names = {
        error
        for state in states.values()
        for rule in state.get("Retry", []) + state.get("Catch", [])
        for error in rule["ErrorEquals"]
        if not error.startswith(("Lambda.", "States."))
    }
    assert names
    for name in names:
        assert isinstance(getattr(errors, name, None), type), (
            f"{name} is not in alpha_monday.domain.errors"
        )


def test_the_fortnight_is_one_loop_with_a_computed_wait(states: dict[str, Any]) -> None:
    waits = [s for s in states.values() if s["Type"] == "Wait"]
    assert len(waits) == 1
    assert waits[0]["TimestampPath"] == "$.loop.current.wake_at"
    checkpoint_tasks = [
        s for s in states.values() if s.get("Resource") == "${CheckpointFunctionArn}"
    ]
    assert len(checkpoint_tasks) == 2  # the checkpoint, and recording a close that never came
    (choice,) = [s for s in states.values() if s["Type"] == "Choice"]
    assert choice["Choices"][0]["NumericLessThanPath"] == "$.checkpoint_count"


def test_a_second_run_for_the_same_monday_does_not_mark_anything_failed(
    states: dict[str, Any],
) -> None:
    catches = states["GeneratePicks"]["Catch"]
    duplicate = next(c for c in catches if c["ErrorEquals"] == ["BatchAlreadyExists"])
    assert states[duplicate["Next"]]["Type"] == "Fail"


def test_a_proxy_page_is_retried_but_a_filtered_answer_is_not(states: dict[str, Any]) -> None:
    # Given the GeneratePicks state's retry rules
    retried = {name for rule in states["GeneratePicks"]["Retry"] for name in rule["ErrorEquals"]}
    # Then the transient failure (a proxy's HTML page) is retried, a filtered answer is not
    assert errors.PickerUnavailable.__name__ in retried
    for permanent in (
        errors.PickerRefused,
        errors.PickerRequestRejected,
        errors.MarketDataKeyRefused,
    ):
        assert permanent.__name__ not in retried
