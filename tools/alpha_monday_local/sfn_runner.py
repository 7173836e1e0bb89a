"""Runs the real state machine definition in-process with moto's Step Functions interpreter.

The definition comes from template.yaml's `DefinitionUri`, its `${...}` placeholders are
filled from `DefinitionSubstitutions`, every Lambda Task calls the real handler in this
process, and Wait states and retry back-offs are fast-forwarded (recorded, not slept).

moto internals this relies on (pinned to moto 5.2.x; tests/workflow/test_moto_seams.py
fails if they move):
- `LambdaSimpleBackend.invoke`, the Lambda backend used with `use_docker: False`;
- `WaitFunction._wait_interval`, where a Wait state sleeps;
- the `time` module as seen by `retrier_decl`, whose `time.sleep` is a retry back-off;
- the `random` module as seen by `jitter_strategy_decl`, whose `random.uniform` draws a
  back-off's full jitter.
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import threading
import time
import types
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.paths import PROJECT_ROOT
from alpha_monday_local.template import Handler, functions, load_handler, load_template

if TYPE_CHECKING:
    from alpha_monday.workflow.dependencies import DependencyFactory

REGION = "us-east-1"
STATE_MACHINE_RESOURCE = "WeeklyRunStateMachine"
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}

HistoryEvent = dict[str, Any]


class SimulatedClock:
    """The time the workflow believes it is: Waits and retry back-offs move it forward."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)

    def advance_to(self, instant: datetime) -> None:
        with self._lock:
            self._now = max(self._now, instant)


@dataclass
class ExecutionReport:
    status: str
    output: Any
    error: str | None
    cause: str | None
    events: list[HistoryEvent]
    invocations: Counter[str] = field(default_factory=Counter)
    waited_seconds: list[int] = field(default_factory=list)
    retry_sleeps: list[float] = field(default_factory=list)
    wall_seconds: float = 0.0

    @property
    def state_transitions(self) -> int:
        return sum(1 for event in self.events if event["type"].endswith("StateEntered"))

    def states_entered(self) -> list[str]:
        return [
            event["stateEnteredEventDetails"]["name"]
            for event in self.events
            if event["type"].endswith("StateEntered")
        ]


def state_machine_definition(
    template: dict[str, Any], substitutions: dict[str, str]
) -> tuple[str, dict[str, Any]]:
    """The definition file's text with placeholders filled, and the raw substitution map."""
    properties = template["Resources"][STATE_MACHINE_RESOURCE]["Properties"]
    text = (PROJECT_ROOT / properties["DefinitionUri"]).read_text()
    for key, value in substitutions.items():
        text = text.replace("${" + key + "}", value)
    return text, properties["DefinitionSubstitutions"]


def _function_name(name_or_arn: str) -> str:
    return name_or_arn.split(":")[6] if name_or_arn.startswith("arn:") else name_or_arn


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "# the real handler runs in-process\n")
    return buffer.getvalue()


class LocalWorkflow:
    """Executes WeeklyRun locally. `on_event` sees each history event as it happens."""

    def __init__(
        self,
        template: dict[str, Any] | None = None,
        on_event: Callable[[HistoryEvent], None] | None = None,
        clock: SimulatedClock | None = None,
        factory: DependencyFactory | None = None,
    ) -> None:
        self.template = template or load_template()
        # The dependencies every Task's step is given (None: each function's own default).
        self.factory = factory
        self.on_event = on_event or (lambda _: None)
        self.clock = clock or SimulatedClock(datetime.now(UTC))
        self._handlers: dict[str, Handler] = {}
        self._report: ExecutionReport | None = None

    # -- the patched moto seams ------------------------------------------------------
    def _invoke(
        self,
        _backend: Any,
        function_name: str,
        _qualifier: str | None,
        body: Any,
        _headers: Any,
        response_headers: dict[str, str],
    ) -> bytes:
        name = _function_name(function_name)
        assert self._report is not None
        self._report.invocations[name] += 1
        event = json.loads(body) if body else {}
        try:
            result = self._handlers[name](event, LocalLambdaContext(name, str(uuid.uuid4())))
        except Exception as error:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(
                {"errorType": type(error).__name__, "errorMessage": str(error)}
            ).encode()
        return json.dumps(result).encode()

    def _skip_wait(self, _wait_function: Any, env: Any, wait_seconds: int) -> None:
        # moto computed the seconds from the real clock (in UTC, see _mocked_aws).
        assert self._report is not None
        self._report.waited_seconds.append(wait_seconds)
        self.clock.advance_to(datetime.now(UTC) + timedelta(seconds=wait_seconds))

    def _fast_time(self) -> types.SimpleNamespace:
        def sleep(seconds: float) -> None:
            assert self._report is not None
            self._report.retry_sleeps.append(seconds)
            self.clock.advance(seconds)

        return types.SimpleNamespace(sleep=sleep, time=time.time, monotonic=time.monotonic)

    @staticmethod
    def _seeded_jitter(execution_input: dict[str, Any]) -> types.SimpleNamespace:
        # AWS draws each back-off's full jitter at random. Locally the draws are seeded by
        # the execution's input, so one Monday tells the same story on every run: the
        # back-offs move the simulated clock, and a retry that crosses midnight UTC finds
        # the day's call budget renewed (unseeded, the draws decided whether a day was
        # recorded on time or skipped and filled in later).
        draws = random.Random(json.dumps(execution_input, sort_keys=True))  # noqa: S311 - back-off jitter, not a secret
        return types.SimpleNamespace(uniform=draws.uniform)

    @contextmanager
    def _mocked_aws(self, execution_input: dict[str, Any]) -> Iterator[None]:
        from moto import mock_aws  # noqa: PLC0415 - dev-only dependency
        from moto.awslambda_simple.models import LambdaSimpleBackend  # noqa: PLC0415
        from moto.stepfunctions.parser.asl.component.common.retry import (  # noqa: PLC0415
            jitter_strategy_decl,
            retrier_decl,
        )
        from moto.stepfunctions.parser.asl.component.state.wait.wait_function import (  # noqa: PLC0415
            wait_function,
        )

        workflow = self

        def invoke(backend: Any, *args: Any) -> bytes:
            return workflow._invoke(backend, *args)

        def skip_wait(wait: Any, env: Any, wait_seconds: int) -> None:
            workflow._skip_wait(wait, env, wait_seconds)

        with ExitStack() as stack:
            # moto logs each Fail state as an exception; the runner reports failures itself.
            moto_logger = logging.getLogger("moto")
            stack.callback(moto_logger.setLevel, moto_logger.level)
            moto_logger.setLevel(logging.CRITICAL)
            # moto compares Wait timestamps (UTC) with the naive local time: make that UTC.
            # (Registered first, so the zone is reset after the environment is restored.)
            stack.callback(time.tzset)
            local_aws = {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": REGION,
                "TZ": "UTC",
            }
            stack.enter_context(patch.dict(os.environ, local_aws))
            time.tzset()
            stack.enter_context(
                mock_aws(
                    config={
                        "stepfunctions": {"execute_state_machine": True},
                        "lambda": {"use_docker": False},
                    }
                )
            )
            stack.enter_context(patch.object(LambdaSimpleBackend, "invoke", invoke))
            stack.enter_context(
                patch.object(wait_function.WaitFunction, "_wait_interval", skip_wait)
            )
            stack.enter_context(patch.object(retrier_decl, "time", self._fast_time()))
            stack.enter_context(
                patch.object(jitter_strategy_decl, "random", self._seeded_jitter(execution_input))
            )
            yield

    # -- running -------------------------------------------------------------------
    def _deploy(self) -> str:
        import boto3  # noqa: PLC0415 - only the local runner needs it

        iam = boto3.client("iam", region_name=REGION)
        role_arn = iam.create_role(
            RoleName="alpha-monday-local",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
        lambda_client = boto3.client("lambda", region_name=REGION)
        template_functions = functions(self.template)
        _, raw_substitutions = state_machine_definition(self.template, {})
        substitutions = {}
        for key, value in raw_substitutions.items():
            logical_id = value["Fn::GetAtt"][0]
            properties = template_functions[logical_id]
            if logical_id not in self._handlers:
                self._handlers[logical_id] = load_handler(properties, self.factory)
            arn = lambda_client.create_function(
                FunctionName=logical_id,
                Runtime="python3.11",
                Role=role_arn,
                Handler=properties["Handler"],
                Code={"ZipFile": _empty_zip()},
            )["FunctionArn"]
            substitutions[key] = arn
        definition, _ = state_machine_definition(self.template, substitutions)
        sfn = boto3.client("stepfunctions", region_name=REGION)
        return str(
            sfn.create_state_machine(
                name="WeeklyRun", definition=definition, roleArn=role_arn, type="STANDARD"
            )["stateMachineArn"]
        )

    def run(
        self,
        execution_input: dict[str, Any],
        timeout_seconds: float = 600,
        execution_name: str | None = None,
    ) -> ExecutionReport:
        """Execute once; like AWS, an execution without a name gets a UUID for one."""
        import boto3  # noqa: PLC0415

        self._report = ExecutionReport(
            status="RUNNING", output=None, error=None, cause=None, events=[]
        )
        started = time.monotonic()
        with self._mocked_aws(execution_input):
            state_machine_arn = self._deploy()
            sfn = boto3.client("stepfunctions", region_name=REGION)
            execution_arn = sfn.start_execution(
                stateMachineArn=state_machine_arn,
                name=execution_name or str(uuid.uuid4()),
                input=json.dumps(execution_input),
            )["executionArn"]
            seen = 0
            while True:
                description = sfn.describe_execution(executionArn=execution_arn)
                history = self._history(sfn, execution_arn)
                for event in history[seen:]:
                    self.on_event(event)
                seen = len(history)
                if description["status"] in TERMINAL:
                    break
                if time.monotonic() - started > timeout_seconds:
                    sfn.stop_execution(executionArn=execution_arn, cause="local timeout")
                    raise TimeoutError(f"the local execution ran over {timeout_seconds}s")
                time.sleep(0.05)
        report = self._report
        report.status = description["status"]
        report.output = json.loads(description["output"]) if description.get("output") else None
        report.error = description.get("error")
        report.cause = description.get("cause")
        report.events = history
        report.wall_seconds = time.monotonic() - started
        return report

    @staticmethod
    def _history(sfn: Any, execution_arn: str) -> list[HistoryEvent]:
        events: list[HistoryEvent] = []
        kwargs: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000}
        while True:
            page = sfn.get_execution_history(**kwargs)
            events.extend(page["events"])
            if not page.get("nextToken"):
                return events
            kwargs["nextToken"] = page["nextToken"]
