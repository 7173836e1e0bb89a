"""Typed settings: clear failures naming the setting, secrets never shown."""

from __future__ import annotations

import pytest

from alpha_monday.config import load_api_settings, load_database_settings
from alpha_monday.domain.errors import ConfigurationError

LAMBDA = {"AWS_LAMBDA_FUNCTION_NAME": "alpha-monday-latest"}


def test_local_database_url_comes_from_the_environment() -> None:
    settings = load_database_settings({"DATABASE_URL": "postgresql://u:pw@db/x"})
    assert settings.database_url.reveal() == "postgresql://u:pw@db/x"
    assert settings.connect_timeout_seconds == 3


def test_missing_database_url_names_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="DATABASE_URL is not set"):
        load_database_settings({})


def test_on_lambda_the_database_url_must_name_a_parameter() -> None:
    # Given a Lambda environment with only a plain DATABASE_URL
    environ = {**LAMBDA, "DATABASE_URL": "postgresql://u:pw@db/x"}
    # Then the cold start fails, naming the parameter setting
    with pytest.raises(ConfigurationError, match="DATABASE_URL_PARAMETER must name"):
        load_database_settings(environ)


def test_on_lambda_the_parameter_name_is_kept_and_not_fetched_at_load() -> None:
    settings = load_database_settings({**LAMBDA, "DATABASE_URL_PARAMETER": "/am/dev/db"})
    assert settings.database_url.parameter_name == "/am/dev/db"
    assert settings.database_url.value is None


def test_a_bad_timeout_is_reported_by_name() -> None:
    with pytest.raises(ConfigurationError, match="CONNECT_TIMEOUT_SECONDS"):
        load_database_settings({"DATABASE_URL": "x", "DATABASE_CONNECT_TIMEOUT_SECONDS": "0"})


def test_secret_value_is_hidden_in_repr() -> None:
    settings = load_database_settings({"DATABASE_URL": "postgresql://u:pw@db/x"})
    assert "pw@db" not in repr(settings)
    assert "pw@db" not in str(settings.model_dump())


def test_cors_origins_are_a_list() -> None:
    settings = load_api_settings({"CORS_ALLOW_ORIGINS": "https://a.example, https://b.example"})
    assert settings.cors_allow_origins == ("https://a.example", "https://b.example")
    assert load_api_settings({}).cors_allow_origins == ("*",)


def test_the_power_edge_defaults_to_half_a_point_and_a_bad_one_names_itself() -> None:
    assert str(load_api_settings({}).power_edge_pct) == "0.5"
    assert str(load_api_settings({"POWER_EDGE_PCT": "1.25"}).power_edge_pct) == "1.25"
    for bad in ("0", "-0.5", "lots", "101"):
        with pytest.raises(ConfigurationError, match="POWER_EDGE_PCT"):
            load_api_settings({"POWER_EDGE_PCT": bad})
