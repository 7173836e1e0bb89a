"""Provider settings and selection: required on Lambda, offline (and loud) locally."""

from __future__ import annotations

import logging
from datetime import time

import pytest

from alpha_monday.config import load_provider_settings
from alpha_monday.errors import ConfigurationError
from alpha_monday.integrations.offline import ScriptedPicker, SyntheticMarket
from alpha_monday.integrations.openai_picker import OpenAIPicker
from alpha_monday.integrations.providers import build_market_data, build_picker

LAMBDA = {"AWS_LAMBDA_FUNCTION_NAME": "alpha-monday-generate-picks"}


def _never_connect() -> None:
    raise AssertionError("building providers must not touch the database")


def test_defaults_follow_the_design() -> None:
    settings = load_provider_settings({})
    assert settings.openai_model == "gpt-4o-mini"
    assert settings.alpha_vantage_daily_limit == 25
    assert settings.alpha_vantage_min_interval_seconds == 1.0
    assert settings.benchmark_symbol == "SPY"
    assert settings.checkpoint_local_time == time(17, 15)


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({**LAMBDA, "ALPHA_VANTAGE_API_KEY_PARAMETER": "/am/av"}, "OPENAI_API_KEY_PARAMETER"),
        ({**LAMBDA, "OPENAI_API_KEY_PARAMETER": "/am/openai"}, "ALPHA_VANTAGE_API_KEY_PARAMETER"),
    ],
)
def test_on_lambda_a_missing_key_fails_naming_the_setting(
    environ: dict[str, str], missing: str
) -> None:
    with pytest.raises(ConfigurationError, match=missing):
        load_provider_settings(environ)


def test_openai_time_budget_must_fit_the_lambda_timeout() -> None:
    environ = {"OPENAI_TIMEOUT_SECONDS": "60", "GENERATE_PICKS_TIMEOUT_SECONDS": "120"}
    with pytest.raises(ConfigurationError, match="does not fit"):
        load_provider_settings(environ)


def test_the_checkpoint_time_is_configurable_but_not_before_the_close_is_out() -> None:
    assert load_provider_settings({"CHECKPOINT_LOCAL_TIME": "18:00"}).checkpoint_local_time == (
        time(18, 0)
    )
    with pytest.raises(ConfigurationError, match="CHECKPOINT_LOCAL_TIME"):
        load_provider_settings({"CHECKPOINT_LOCAL_TIME": "15:00"})


def test_a_malformed_tunable_is_named() -> None:
    with pytest.raises(ConfigurationError, match="ALPHA_VANTAGE_DAILY_LIMIT"):
        load_provider_settings({"ALPHA_VANTAGE_DAILY_LIMIT": "lots"})


def test_without_keys_offline_providers_are_chosen_and_announced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = load_provider_settings({})
    market = build_market_data(settings, _never_connect)  # type: ignore[arg-type]
    picker = build_picker(settings)
    assert isinstance(market.source, SyntheticMarket)
    assert isinstance(picker, ScriptedPicker)
    stderr = capsys.readouterr().err
    assert "OFFLINE: ALPHA_VANTAGE_API_KEY is not set" in stderr
    assert "OFFLINE: OPENAI_API_KEY is not set" in stderr


def test_with_keys_the_real_providers_are_chosen_and_keys_stay_out_of_logs(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = load_provider_settings(
        {"OPENAI_API_KEY": "sk-SECRET-openai", "ALPHA_VANTAGE_API_KEY": "SECRET-av"}
    )
    market = build_market_data(settings, _never_connect)  # type: ignore[arg-type]
    picker = build_picker(settings)
    assert market.source.name == "Alpha Vantage"
    assert isinstance(picker, OpenAIPicker)
    captured = capsys.readouterr()
    for text in (captured.out, captured.err, caplog.text, repr(settings)):
        assert "SECRET" not in text
