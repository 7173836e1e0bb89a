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


def _nested(states: dict[str, Any]) -> dict[str, Any]:
    """Every state, those inside a Map's iteration too."""
    found = dict(states)
    for state in states.values():
        if state["Type"] == "Map":
            found |= _nested(state["ItemProcessor"]["States"])
    return found


def _ask_contender(states: dict[str, Any]) -> dict[str, Any]:
    return dict(states["AskContenders"]["ItemProcessor"]["States"]["AskContender"])


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
    # An iteration's task may leave errors to its Map, which catches everything.
    tasks = {name: state for name, state in states.items() if state["Type"] in ("Task", "Map")}
    assert tasks
    for name, task in tasks.items():
        caught = {error for catcher in task["Catch"] for error in catcher["ErrorEquals"]}
        assert "States.ALL" in caught, name
    for name, task in _nested(states).items():
        if task["Type"] != "Task":
            continue
        assert task.get("TimeoutSeconds"), name
        retried = {error for retrier in task["Retry"] for error in retrier["ErrorEquals"]}
        assert retried >= LAMBDA_SERVICE_ERRORS, name
        for retrier in task["Retry"]:
            assert retrier["JitterStrategy"] == "FULL", name
            assert retrier["MaxDelaySeconds"] > 0, name
            assert retrier["BackoffRate"] >= 1, name
        assert task["Catch"], name


def test_error_names_are_exception_classes_of_the_code(states: dict[str, Any]) -> None:
    names = {
        error
        for state in _nested(states).values()
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
    (loop,) = [
        s
        for s in states.values()
        if s["Type"] == "Choice" and "NumericLessThanPath" in s["Choices"][0]
    ]
    assert loop["Choices"][0]["NumericLessThanPath"] == "$.checkpoint_count"


def test_a_second_run_for_the_same_monday_does_not_mark_anything_failed(
    states: dict[str, Any],
) -> None:
    for name in ("PlanRun", "GeneratePicks"):
        catches = states[name]["Catch"]
        duplicate = next(c for c in catches if c["ErrorEquals"] == ["BatchAlreadyExists"])
        assert states[duplicate["Next"]]["Type"] == "Fail", name


def test_a_proxy_page_is_retried_but_a_filtered_answer_is_not(states: dict[str, Any]) -> None:
    # Given the AskContender state's retry rules
    retried = {name for rule in _ask_contender(states)["Retry"] for name in rule["ErrorEquals"]}
    # Then the transient failure (a proxy's HTML page) is retried, a filtered answer is not
    assert errors.PickerUnavailable.__name__ in retried
    for permanent in (
        errors.PickerRefused,
        errors.PickerRequestRejected,
        errors.MarketDataKeyRefused,
    ):
        assert permanent.__name__ not in retried


def test_each_contender_is_asked_on_its_own_and_a_failed_one_does_not_stop_the_week(
    states: dict[str, Any],
) -> None:
    # Given the Map over the contenders PlanRun lists
    ask_all = states["AskContenders"]
    assert ask_all["ItemsPath"] == "$.contenders"
    assert ask_all["ItemSelector"]["contender.$"] == "$$.Map.Item.Value"
    assert ask_all["ResultPath"] == "$.answers"
    assert ask_all["Next"] == "GeneratePicks"
    # Then each contender is its own task with its own timeout and retries
    ask = _ask_contender(states)
    assert ask["Resource"] == "${AskContenderFunctionArn}"
    assert ask["TimeoutSeconds"] > 900
    # And a contender's own failure, after its retries, becomes its outcome (no picks) ...
    (catch,) = ask["Catch"]
    failed = ask_all["ItemProcessor"]["States"][catch["Next"]]
    assert failed["Type"] == "Pass"
    assert failed["Parameters"]["answered"] is False
    picker_errors = {
        name for name, cls in vars(errors).items()
        if isinstance(cls, type) and issubclass(cls, errors.PickerError)
    } - {"PickerError", "PickerCheckInterrupted", "NoContenderAnswered"}  # fmt: skip
    assert set(catch["ErrorEquals"]) == picker_errors | {"States.Timeout"}
    # ... while the market's errors (a refused key) stop the run as before
    assert errors.MarketDataKeyRefused.__name__ not in catch["ErrorEquals"]
