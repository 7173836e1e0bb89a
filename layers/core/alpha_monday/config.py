"""Typed settings, read once per process, so a warm Lambda container reads them once.

Secrets come from SSM Parameter Store or Secrets Manager on Lambda (the environment names
the parameter, `<SETTING>_PARAMETER`) and from plain environment variables locally. A
secret's value is fetched on first use, not at import, so a read handler's cold start does
not import boto3; its *presence* is checked at import, so a missing setting fails at cold
start with a message that names it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from alpha_monday.domain.confidence_sequence import DEFAULT_POWER_EDGE_PCT
from alpha_monday.domain.errors import ConfigurationError
from alpha_monday.domain.model import CONTROL_CONTENDER
from alpha_monday.domain.moves import (
    DEFAULT_BOUND,
    DEFAULT_RATIO_TOLERANCE,
    MoveRule,
    parse_ratios,
    split_like_ratios,
)
from alpha_monday.domain.picks import KNOWN_PROMPT_VERSIONS, PROMPT_VERSION

SettingsT = TypeVar("SettingsT", bound=BaseModel)

SECRETS_MANAGER_ARN_PREFIX = "arn:aws:secretsmanager:"
OPENAI_KEY_SETTING = "OPENAI_API_KEY"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
# The openai SDK sleeps what a 429's Retry-After asks, up to two minutes, between retries.
OPENAI_MAX_RETRY_AFTER_SECONDS = 120


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


def _validated(model: type[SettingsT], data: dict[str, object]) -> SettingsT:
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
    return _validated(DatabaseSettings, data)


@cache
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
    return _validated(
        ApiSettings,
        {
            "cors_allow_origins": origins or ("*",),
            "power_edge_pct": environ.get("POWER_EDGE_PCT", DEFAULT_POWER_EDGE_PCT),
        },
    )


@cache
def api_settings() -> ApiSettings:
    return load_api_settings(os.environ)


class MarketSettings(BaseModel):
    """Alpha Vantage and the market rules. A missing key locally means the offline market."""

    model_config = ConfigDict(frozen=True)

    alpha_vantage_api_key: SecretSource | None
    alpha_vantage_timeout_seconds: float = Field(default=10, gt=0, le=60)
    # Where the Alpha Vantage API lives (a local imitation in tests and probes).
    alpha_vantage_base_url: str = Field(
        default="https://www.alphavantage.co/query", pattern=r"^https?://"
    )
    alpha_vantage_daily_limit: int = Field(default=25, ge=1)
    alpha_vantage_min_interval_seconds: float = Field(default=1.0, ge=0)
    # A premium key: TIME_SERIES_DAILY_ADJUSTED brings the day's dividends and splits along.
    alpha_vantage_premium: bool = False
    # A move beyond this fraction either way must be explained before it is published.
    move_bound: Decimal = Field(default=DEFAULT_BOUND, gt=0, lt=10)
    # Split-like ratios p:q ("20:1,3:2,1:8"); empty means every p:q with p, q <= 20 at
    # least 15 % from 1:1 (docs/scoring.md).
    split_ratios: str = ""
    split_ratio_tolerance: Decimal = Field(default=DEFAULT_RATIO_TOLERANCE, gt=0, lt=Decimal("0.1"))
    benchmark_symbol: str = Field(default="SPY", pattern=r"^[A-Z]{1,5}$")
    # A bar for day D is D's close only if fetched at 16:00 New York + this margin or later.
    final_close_margin_minutes: int = Field(default=30, ge=0, le=360)
    # When a checkpoint wakes up, New York time; after the close is final.
    checkpoint_local_time: time = Field(default=time(17, 15))

    @property
    def final_close_margin(self) -> timedelta:
        return timedelta(minutes=self.final_close_margin_minutes)

    @property
    def move_rule(self) -> MoveRule:
        ratios = parse_ratios(self.split_ratios) if self.split_ratios else split_like_ratios()
        return MoveRule(self.move_bound, ratios, self.split_ratio_tolerance)

    @field_validator("split_ratios")
    @classmethod
    def _ratios_parse(cls, value: str) -> str:
        if value:
            parse_ratios(value)
        return value

    @model_validator(mode="after")
    def _checkpoints_wake_after_the_close_is_final(self) -> MarketSettings:
        final_at = datetime.combine(date.min, time(16, 0)) + self.final_close_margin
        if self.checkpoint_local_time < final_at.time():
            raise ValueError(
                f"CHECKPOINT_LOCAL_TIME {self.checkpoint_local_time:%H:%M} is before the close "
                f"is final ({final_at:%H:%M} New York, FINAL_CLOSE_MARGIN_MINUTES after 16:00)"
            )
        return self


class ContenderSettings(BaseModel):
    """One model of the arena (docs/arena.md): its name on the pages, the model asked, and
    for an OpenAI-compatible endpoint its base URL and the setting holding its own key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    model: str = Field(min_length=1, max_length=100)
    base_url: str | None = Field(default=None, pattern=r"^https?://")
    # Locally the key's value; on Lambda `<SETTING>_PARAMETER` names its SSM parameter.
    api_key_setting: str = Field(default=OPENAI_KEY_SETTING, pattern=r"^[A-Z][A-Z0-9_]*_API_KEY$")
    prompt_version: str = PROMPT_VERSION

    @field_validator("prompt_version")
    @classmethod
    def _a_known_prompt(cls, value: str) -> str:
        if value not in KNOWN_PROMPT_VERSIONS:
            raise ValueError(f"{value!r} is not a prompt this code has: {KNOWN_PROMPT_VERSIONS}")
        return value


class ArenaSettings(BaseModel):
    """Who competes (docs/arena.md): the model contenders in order, and the random control.
    No secret: the steps that plan and commit a week read it, only the asker reads keys."""

    model_config = ConfigDict(frozen=True)

    openai_model: str = DEFAULT_OPENAI_MODEL
    # The arena's model contenders, in order (default: the one model of OPENAI_MODEL).
    contenders: tuple[ContenderSettings, ...] = ()
    random_control: bool = True

    @model_validator(mode="before")
    @classmethod
    def _default_contender(cls, data: dict[str, object]) -> dict[str, object]:
        if not data.get("contenders"):
            model = data.get("openai_model") or DEFAULT_OPENAI_MODEL
            data = {**data, "contenders": ({"name": model, "model": model},)}
        return data

    @field_validator("contenders")
    @classmethod
    def _names_unique(
        cls, contenders: tuple[ContenderSettings, ...]
    ) -> tuple[ContenderSettings, ...]:
        names = [c.name for c in contenders]
        if len(set(names)) != len(names) or CONTROL_CONTENDER in names:
            raise ValueError(
                f"contender names must be unique and not {CONTROL_CONTENDER!r}: {names}"
            )
        return contenders

    def contender(self, name: str) -> ContenderSettings:
        """The configured contender of that name (a task naming another is forged)."""
        for contender in self.contenders:
            if contender.name == name:
                return contender
        raise ConfigurationError(f"no contender named {name!r} is configured")


class PickerSettings(BaseModel):
    """Asking the models: each contender's key (a missing one locally means a scripted
    offline picker), the OpenAI client's limits, and the asking task's timeout."""

    model_config = ConfigDict(frozen=True)

    arena: ArenaSettings
    # Each key setting a contender names, and where its value is (None: not set locally).
    api_keys: dict[str, SecretSource | None]
    openai_timeout_seconds: float = Field(default=20, gt=0, le=120)
    openai_max_retries: int = Field(default=1, ge=0, le=5)
    picker_max_reasks: int = Field(default=2, ge=0, le=5)
    # Pick stability: ask each model this many more times on Monday (0: off).
    pick_stability_asks: int = Field(default=0, ge=0, le=5)
    # The AskContender Lambda's timeout: one contender's worst case must fit inside it.
    ask_contender_timeout_seconds: int = Field(default=900, ge=30, le=900)

    def api_key(self, contender: ContenderSettings) -> SecretSource | None:
        return self.api_keys.get(contender.api_key_setting)

    @property
    def picker_worst_case_seconds(self) -> float:
        """One contender's every ask (the stability asks too) times out on every try, and
        the SDK waits the longest `Retry-After` it honours between tries (each contender is
        its own task)."""
        tries = self.openai_max_retries + 1
        one_ask = self.openai_timeout_seconds * tries + OPENAI_MAX_RETRY_AFTER_SECONDS * (tries - 1)
        return one_ask * (self.picker_max_reasks + 1) * (1 + self.pick_stability_asks)

    @model_validator(mode="after")
    def _picker_fits_in_the_lambda_timeout(self) -> PickerSettings:
        # Leave a third of the timeout for the ticker checks and the database writes.
        if self.picker_worst_case_seconds > self.ask_contender_timeout_seconds * 2 / 3:
            raise ValueError(
                f"OPENAI_TIMEOUT_SECONDS x attempts + Retry-After waits = "
                f"{self.picker_worst_case_seconds:.0f}s does not fit in two thirds of "
                f"ASK_CONTENDER_TIMEOUT_SECONDS ({self.ask_contender_timeout_seconds}s)"
            )
        return self


def _contenders(environ: Mapping[str, str]) -> list[object]:
    """CONTENDERS: a JSON list of {name, model, base_url?, api_key_setting?, prompt_version?}."""
    text = environ.get("CONTENDERS", "").strip()
    if not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"CONTENDERS is not JSON: {error.msg}") from None
    if not isinstance(value, list) or not value:
        raise ConfigurationError("CONTENDERS must be a non-empty JSON list of contenders")
    return value


def _tunables(model: type[BaseModel], environ: Mapping[str, str]) -> dict[str, object]:
    """Each field of `model` set in the environment under its upper-case name."""
    return {
        name: environ[name.upper()]
        for name in model.model_fields
        if name not in _NOT_TUNABLE and environ.get(name.upper())
    }


# Read by their own rules (secrets, JSON), never as a plain upper-case variable.
_NOT_TUNABLE = frozenset({"alpha_vantage_api_key", "api_keys", "arena"})


def load_market_settings(environ: Mapping[str, str]) -> MarketSettings:
    """On Lambda the key is required (the offline market never runs there)."""
    key = secret_source("ALPHA_VANTAGE_API_KEY", environ, required=running_on_lambda(environ))
    data = {"alpha_vantage_api_key": key, **_tunables(MarketSettings, environ)}
    return _validated(MarketSettings, data)


def load_arena_settings(environ: Mapping[str, str]) -> ArenaSettings:
    data: dict[str, object] = {"contenders": _contenders(environ)}
    for name in ("OPENAI_MODEL", "RANDOM_CONTROL"):
        if environ.get(name):
            data[name.lower()] = environ[name]
    return _validated(ArenaSettings, data)


def load_picker_settings(environ: Mapping[str, str]) -> PickerSettings:
    """On Lambda every contender's key is required (the scripted picker never runs there)."""
    arena = load_arena_settings(environ)
    # Another contender's key lives under CONTENDER_KEYS_PATH (template.yaml).
    under = environ.get("CONTENDER_KEYS_PATH") or None
    keys = {
        setting: secret_source(
            setting,
            environ,
            required=running_on_lambda(environ),
            under=None if setting == OPENAI_KEY_SETTING else under,
        )
        for setting in sorted({c.api_key_setting for c in arena.contenders})
    }
    data = {"arena": arena, "api_keys": keys, **_tunables(PickerSettings, environ)}
    return _validated(PickerSettings, data)


@cache
def arena_settings() -> ArenaSettings:
    return load_arena_settings(os.environ)


@cache
def market_settings() -> MarketSettings:
    return load_market_settings(os.environ)


@cache
def picker_settings() -> PickerSettings:
    return load_picker_settings(os.environ)


def reset_settings_cache() -> None:
    """Forget settings read so far (tests and the local runner change the environment)."""
    database_settings.cache_clear()
    api_settings.cache_clear()
    market_settings.cache_clear()
    picker_settings.cache_clear()
    arena_settings.cache_clear()
