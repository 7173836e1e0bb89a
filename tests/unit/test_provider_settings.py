"""Provider settings and selection: required on Lambda, offline (and loud) locally."""

from __future__ import annotations

import logging
from datetime import time
from decimal import Decimal

import pytest

from alpha_monday.domain.errors import ConfigurationError
from alpha_monday.integrations.offline import ScriptedPicker, SyntheticMarket
from alpha_monday.integrations.openai_picker import OpenAIPicker
from alpha_monday.integrations.providers import announce_offline, build_market_data, build_picker
from alpha_monday.run_config import load_market_settings, load_picker_settings

LAMBDA = {"AWS_LAMBDA_FUNCTION_NAME": "alpha-monday-generate-picks"}


def _never_connect() -> None:
    raise AssertionError("building providers must not touch the database")


def test_defaults_follow_the_design() -> None:
    market = load_market_settings({})
    assert load_picker_settings({}).arena.openai_model == "gpt-4o-mini"
    assert market.alpha_vantage_daily_limit == 25
    assert market.alpha_vantage_min_interval_seconds == 1.0
    assert market.benchmark_symbol == "SPY"
    assert market.checkpoint_local_time == time(17, 15)
    assert market.final_close_margin_minutes == 30


def test_on_lambda_a_missing_key_fails_naming_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY_PARAMETER"):
        load_picker_settings(LAMBDA)
    with pytest.raises(ConfigurationError, match="ALPHA_VANTAGE_API_KEY_PARAMETER"):
        load_market_settings(LAMBDA)


def test_market_settings_never_read_the_openai_key() -> None:
    # The Checkpoint function has only the Alpha Vantage key: that is enough for the market.
    settings = load_market_settings({**LAMBDA, "ALPHA_VANTAGE_API_KEY_PARAMETER": "/am/av"})
    assert settings.alpha_vantage_api_key is not None
    assert "openai" not in repr(settings).lower()


def test_openai_time_budget_must_fit_the_lambda_timeout() -> None:
    environ = {"OPENAI_TIMEOUT_SECONDS": "60", "ASK_CONTENDER_TIMEOUT_SECONDS": "120"}
    with pytest.raises(ConfigurationError, match="does not fit"):
        load_picker_settings(environ)


def test_retry_after_waits_count_in_the_openai_time_budget() -> None:
    # One try of 10 s and one retry: 20 s of calls, but the SDK may wait a 429's Retry-After
    # (up to 120 s) between them, which does not fit in two thirds of 120 s.
    environ = {
        "OPENAI_TIMEOUT_SECONDS": "10",
        "OPENAI_MAX_RETRIES": "1",
        "PICKER_MAX_REASKS": "0",
        "ASK_CONTENDER_TIMEOUT_SECONDS": "120",
    }
    with pytest.raises(ConfigurationError, match="Retry-After waits = 140s does not fit"):
        load_picker_settings(environ)
    # And the defaults fit the template's 900 s
    assert load_picker_settings({}).picker_worst_case_seconds == 480


def test_the_checkpoint_time_is_configurable_but_not_before_the_close_is_out() -> None:
    assert load_market_settings({"CHECKPOINT_LOCAL_TIME": "18:00"}).checkpoint_local_time == (
        time(18, 0)
    )
    with pytest.raises(ConfigurationError, match="CHECKPOINT_LOCAL_TIME"):
        load_market_settings({"CHECKPOINT_LOCAL_TIME": "16:10"})


def test_the_move_rule_is_configured_and_a_bad_ratio_or_bound_is_named() -> None:
    # Given the bound and the ratio set as settings
    rule = load_market_settings({"MOVE_BOUND": "0.4", "SPLIT_RATIOS": "20:1,3:2"}).move_rule
    # Then they make the rule; the default set is the design's p:q <= 20
    assert rule.bound == Decimal("0.4")
    assert [str(r) for r in rule.ratios] == ["3/2", "20"]
    assert len(load_market_settings({}).move_rule.ratios) > 100
    for bad in ({"SPLIT_RATIOS": "20-1"}, {"MOVE_BOUND": "0"}, {"MOVE_BOUND": "lots"}):
        with pytest.raises(ConfigurationError, match=next(iter(bad))):
            load_market_settings(bad)


def test_a_malformed_tunable_is_named() -> None:
    with pytest.raises(ConfigurationError, match="ALPHA_VANTAGE_DAILY_LIMIT"):
        load_market_settings({"ALPHA_VANTAGE_DAILY_LIMIT": "lots"})


def test_without_keys_offline_providers_are_chosen_and_announced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    announce_offline.cache_clear()
    market = build_market_data(load_market_settings({}), _never_connect)  # type: ignore[arg-type]
    settings = load_picker_settings({})
    picker = build_picker(settings, settings.arena.contenders[0])
    assert isinstance(market.source, SyntheticMarket)
    assert isinstance(picker, ScriptedPicker)
    stderr = capsys.readouterr().err
    assert "OFFLINE: ALPHA_VANTAGE_API_KEY is not set" in stderr
    assert "OFFLINE: OPENAI_API_KEY is not set" in stderr


def test_with_keys_the_real_providers_are_chosen_and_keys_stay_out_of_logs(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    environ = {"OPENAI_API_KEY": "sk-SECRET-openai", "ALPHA_VANTAGE_API_KEY": "SECRET-av"}
    market_settings = load_market_settings(environ)
    picker_settings = load_picker_settings(environ)
    market = build_market_data(market_settings, _never_connect)  # type: ignore[arg-type]
    picker = build_picker(picker_settings, picker_settings.arena.contenders[0])
    assert market.source.name == "Alpha Vantage"
    assert isinstance(picker, OpenAIPicker)
    captured = capsys.readouterr()
    for text in (
        captured.out,
        captured.err,
        caplog.text,
        repr(market_settings),
        repr(picker_settings),
    ):
        assert "SECRET" not in text
