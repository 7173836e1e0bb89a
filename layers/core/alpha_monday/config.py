"""Typed settings, read once per process, so a warm Lambda container reads them once: the
database's and the read API's here (what every read function imports), the weekly run's in
`alpha_monday.run_config`.

Secrets come from SSM Parameter Store or Secrets Manager on Lambda (the environment names
the parameter, `<SETTING>_PARAMETER`) and from plain environment variables locally. A
secret's value is fetched on first use, not at import, so a read handler's cold start does
not import boto3; its *presence* is checked at import, so a missing setting fails at cold
start with a message that names it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from alpha_monday.domain.errors import ConfigurationError
from alpha_monday.domain.power_edge import DEFAULT_POWER_EDGE_PCT

SettingsT = TypeVar("SettingsT", bound=BaseModel)
ReadT = TypeVar("ReadT")

SECRETS_MANAGER_ARN_PREFIX = "arn:aws:secretsmanager:"
# Every settings reader's cache, so that one reset forgets them all.
_SETTINGS_CACHES: list[Any] = []


def settings_cache(read: Callable[[], ReadT]) -> Callable[[], ReadT]:
    """`read` once per process (a warm container), forgotten by `reset_settings_cache`."""
    cached = cache(read)
    _SETTINGS_CACHES.append(cached)
    return cached


def running_on_lambda(environ: Mapping[str, str] | None = None) -> bool:
    return "AWS_LAMBDA_FUNCTION_NAME" in (os.environ if environ is None else environ)


class SecretSource(BaseModel):
    """Where a secret lives: a value given locally, or a parameter to fetch on AWS."""

    model_config = ConfigDict(frozen=True)

    setting: str
    value: SecretStr | None = None
    parameter_name: str | None = None
    cache_seconds: int = 300

    def reveal(self) -> str:
        if self.value is not None:
            return self.value.get_secret_value()
        if self.parameter_name is None:
            raise ConfigurationError(f"{self.setting} is not configured")
        return _fetch_secret(self.parameter_name, self.cache_seconds)


def _fetch_secret(parameter_name: str, cache_seconds: int) -> str:
    # Imported here so that importing a handler never pulls in boto3.
    from aws_lambda_powertools.utilities import parameters  # noqa: PLC0415

    try:
        if parameter_name.startswith(SECRETS_MANAGER_ARN_PREFIX):
            secret = parameters.get_secret(parameter_name, max_age=cache_seconds)
        else:
            secret = parameters.get_parameter(parameter_name, decrypt=True, max_age=cache_seconds)
    except parameters.exceptions.GetParameterError as error:
        # The message names the parameter, never its value.
        raise ConfigurationError(f"cannot read secret parameter {parameter_name!r}") from error
    return str(secret)


def secret_source(
    setting: str, environ: Mapping[str, str], *, required: bool, under: str | None = None
) -> SecretSource | None:
    """Locally `SETTING` holds the value; on Lambda `SETTING_PARAMETER` names where it is,
    or else (given `under`, an SSM path) it is the parameter `<under>/SETTING`."""
    parameter_setting = f"{setting}_PARAMETER"
    cache_seconds = int(environ.get("SECRETS_CACHE_SECONDS", "300"))
    if running_on_lambda(environ):
        default = f"{under.rstrip('/')}/{setting}" if under else ""
        parameter_name = environ.get(parameter_setting, default).strip()
        if parameter_name:
            return SecretSource(
                setting=setting, parameter_name=parameter_name, cache_seconds=cache_seconds
            )
        if required:
            raise ConfigurationError(
                f"{parameter_setting} must name the SSM parameter or Secrets Manager secret "
                f"holding {setting}"
            )
        return None
    value = environ.get(setting, "").strip()
    if value:
        return SecretSource(setting=setting, value=SecretStr(value))
    if required:
        raise ConfigurationError(f"{setting} is not set")
    return None


def validated(model: type[SettingsT], data: dict[str, object]) -> SettingsT:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']).upper()}: {issue['msg']}"
            for issue in error.errors()
        )
        raise ConfigurationError(f"invalid configuration: {problems}") from error


class DatabaseSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    database_url: SecretSource
    connect_timeout_seconds: int = Field(default=3, ge=1, le=30)
    # A read blocked by a lock must answer (503) well within the Lambda timeout; the
    # workflow sets its own, longer one.
    statement_timeout_seconds: float = Field(default=3, gt=0, le=300)


def load_database_settings(environ: Mapping[str, str]) -> DatabaseSettings:
    source = secret_source("DATABASE_URL", environ, required=True)
    data: dict[str, object] = {"database_url": source}
    if "DATABASE_CONNECT_TIMEOUT_SECONDS" in environ:
        data["connect_timeout_seconds"] = environ["DATABASE_CONNECT_TIMEOUT_SECONDS"]
    if "DATABASE_STATEMENT_TIMEOUT_SECONDS" in environ:
        data["statement_timeout_seconds"] = environ["DATABASE_STATEMENT_TIMEOUT_SECONDS"]
    return validated(DatabaseSettings, data)


@settings_cache
def database_settings() -> DatabaseSettings:
    return load_database_settings(os.environ)


class ApiSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    cors_allow_origins: tuple[str, ...] = ("*",)
    # The edge (percentage points of batch alpha) the track record's power figure is for.
    power_edge_pct: Decimal = Field(default=DEFAULT_POWER_EDGE_PCT, gt=0, le=100)


def load_api_settings(environ: Mapping[str, str]) -> ApiSettings:
    origins = tuple(
        origin.strip() for origin in environ.get("CORS_ALLOW_ORIGINS", "*").split(",") if origin
    )
    return validated(
        ApiSettings,
        {
            "cors_allow_origins": origins or ("*",),
            "power_edge_pct": environ.get("POWER_EDGE_PCT", DEFAULT_POWER_EDGE_PCT),
        },
    )


@settings_cache
def api_settings() -> ApiSettings:
    return load_api_settings(os.environ)


def reset_settings_cache() -> None:
    """Forget settings read so far (tests and the local runner change the environment)."""
    for cached in _SETTINGS_CACHES:
        cached.cache_clear()
