"""The moto internals the local runner patches. If moto moves them, this fails first."""

from __future__ import annotations

import inspect
import random
import time

import moto
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.stepfunctions.parser.asl.component.common.retry import (
    jitter_strategy_decl,
    retrier_decl,
)
from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function


def test_moto_is_the_pinned_minor_version() -> None:
    assert moto.__version__.startswith("5.2."), moto.__version__


def test_lambda_simple_backend_invoke_keeps_its_signature() -> None:
    parameters = list(inspect.signature(LambdaSimpleBackend.invoke).parameters)
    assert parameters == [
        "self",
        "function_name",
        "qualifier",
        "body",
        "headers",
        "response_headers",
    ]


def test_wait_states_sleep_in_wait_interval() -> None:
    parameters = list(inspect.signature(wait_function.WaitFunction._wait_interval).parameters)
    assert parameters == ["self", "env", "wait_seconds"]


def test_retry_backoff_sleeps_through_the_time_module_of_retrier_decl() -> None:
    assert retrier_decl.time is time
    assert "time.sleep(" in inspect.getsource(retrier_decl.RetrierDecl._eval_body)


def test_full_jitter_draws_through_the_random_module_of_jitter_strategy_decl() -> None:
    assert jitter_strategy_decl.random is random
    source = inspect.getsource(jitter_strategy_decl.JitterStrategyDecl._eval_body)
    assert "random.uniform(" in source
