"""The weekly run's settings (docs/settings.md): the market, the arena of contenders and
how they are asked. Read by the workflow's steps only; the read functions never import it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alpha_monday.config import (
    SecretSource,
    running_on_lambda,
    secret_source,
    settings_cache,
    validated,
)
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

OPENAI_KEY_SETTING = "OPENAI_API_KEY"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
# The openai SDK sleeps what a 429's Retry-After asks, up to two minutes, between retries.
OPENAI_MAX_RETRY_AFTER_SECONDS = 120


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
    return validated(MarketSettings, data)


def load_arena_settings(environ: Mapping[str, str]) -> ArenaSettings:
    data: dict[str, object] = {"contenders": _contenders(environ)}
    for name in ("OPENAI_MODEL", "RANDOM_CONTROL"):
        if environ.get(name):
            data[name.lower()] = environ[name]
    return validated(ArenaSettings, data)


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
    return validated(PickerSettings, data)


@settings_cache
def arena_settings() -> ArenaSettings:
    return load_arena_settings(os.environ)


@settings_cache
def market_settings() -> MarketSettings:
    return load_market_settings(os.environ)


@settings_cache
def picker_settings() -> PickerSettings:
    return load_picker_settings(os.environ)


class EdgeSettings(BaseModel):
    """The CloudFront distribution in front of the read API (template.yaml): the steps
    that change published answers invalidate them there. Unset locally: no edge cache."""

    model_config = ConfigDict(frozen=True)

    edge_distribution_id: str | None = Field(default=None, pattern=r"^[A-Z0-9]{1,64}$")


def load_edge_settings(environ: Mapping[str, str]) -> EdgeSettings:
    return validated(EdgeSettings, _tunables(EdgeSettings, environ))


@settings_cache
def edge_settings() -> EdgeSettings:
    return load_edge_settings(os.environ)
