"""The arena's contenders as configuration: validated at cold start, each error named."""

from __future__ import annotations

import json

import pytest

from alpha_monday.domain.budget import weekday_closes
from alpha_monday.domain.errors import ConfigurationError
from alpha_monday.integrations.offline import ScriptedPicker
from alpha_monday.integrations.openai_picker import OpenAIPicker
from alpha_monday.integrations.providers import build_picker
from alpha_monday.run_config import load_arena_settings, load_market_settings, load_picker_settings
from alpha_monday.workflow.dependencies import DependencyFactory

LAMBDA = {
    "AWS_LAMBDA_FUNCTION_NAME": "alpha-monday-generate-picks",
    "OPENAI_API_KEY_PARAMETER": "/alpha-monday/dev/openai-api-key",
    "CONTENDER_KEYS_PATH": "/alpha-monday/dev/contender-keys",
}
TWO = [
    {"name": "gpt", "model": "gpt-4o-mini"},
    {
        "name": "llama",
        "model": "llama-3.3-70b",
        "base_url": "https://api.groq.com/openai/v1",
        "api_key_setting": "GROQ_API_KEY",
    },
]


def test_by_default_the_one_model_of_openai_model_and_the_control() -> None:
    settings = load_arena_settings({"OPENAI_MODEL": "gpt-4.1-mini"})
    ((contender),) = settings.contenders
    assert (contender.name, contender.model, contender.base_url) == (
        "gpt-4.1-mini",
        "gpt-4.1-mini",
        None,
    )
    assert settings.random_control is True
    assert load_arena_settings({"RANDOM_CONTROL": "false"}).random_control is False


def test_each_contender_reads_its_own_key_and_endpoint() -> None:
    # Given two contenders, the second on an OpenAI-compatible endpoint with its own key
    settings = load_picker_settings(
        {"CONTENDERS": json.dumps(TWO), "OPENAI_API_KEY": "sk-a", "GROQ_API_KEY": "gsk-b"}
    )
    gpt, llama = settings.arena.contenders
    # When their pickers are built
    first, second = build_picker(settings, gpt), build_picker(settings, llama)
    # Then each is a real client with its own model and key
    assert isinstance(first, OpenAIPicker)
    assert isinstance(second, OpenAIPicker)
    assert (first.model, second.model) == ("gpt-4o-mini", "llama-3.3-70b")
    assert settings.api_key(llama) is not None
    assert settings.api_key(llama).reveal() == "gsk-b"  # type: ignore[union-attr]
    assert str(second._client.base_url) == "https://api.groq.com/openai/v1/"


def test_a_contender_without_its_key_locally_gets_a_scripted_picker_of_its_own() -> None:
    settings = load_picker_settings({"CONTENDERS": json.dumps(TWO)})
    gpt, llama = settings.arena.contenders
    assert isinstance(build_picker(settings, gpt), ScriptedPicker)
    assert isinstance(build_picker(settings, llama), ScriptedPicker)


def test_on_lambda_another_contender_s_key_is_read_under_the_contender_keys_path() -> None:
    settings = load_picker_settings({**LAMBDA, "CONTENDERS": json.dumps(TWO)})
    _, llama = settings.arena.contenders
    source = settings.api_key(llama)
    assert source is not None
    assert source.parameter_name == "/alpha-monday/dev/contender-keys/GROQ_API_KEY"
    openai = settings.api_key(settings.arena.contenders[0])
    assert openai is not None
    assert openai.parameter_name == "/alpha-monday/dev/openai-api-key"


@pytest.mark.parametrize(
    ("contenders", "named"),
    [
        ("not json", "CONTENDERS is not JSON"),
        ("[]", "CONTENDERS must be a non-empty JSON list"),
        ('{"name": "gpt"}', "CONTENDERS must be a non-empty JSON list"),
        ('[{"name": "gpt", "model": "m", "temperature": 0}]', "CONTENDERS.0.TEMPERATURE"),
        ('[{"name": "gpt"}]', "CONTENDERS.0.MODEL"),
        ('[{"name": "a b", "model": "m"}]', "CONTENDERS.0.NAME"),
        ('[{"name": "a", "model": "m"}, {"name": "a", "model": "n"}]', "must be unique"),
        ('[{"name": "random-control", "model": "m"}]', "must be unique and not"),
        ('[{"name": "a", "model": "m", "prompt_version": "v0"}]', "not a prompt this code has"),
        ('[{"name": "a", "model": "m", "api_key_setting": "PASSWORD"}]', "API_KEY_SETTING"),
        ('[{"name": "a", "model": "m", "base_url": "ftp://x"}]', "CONTENDERS.0.BASE_URL"),
    ],
)
def test_a_bad_contender_is_refused_at_cold_start_with_a_named_error(
    contenders: str, named: str
) -> None:
    with pytest.raises(ConfigurationError, match=named):
        load_arena_settings({"CONTENDERS": contenders})


def test_each_contender_has_the_asking_task_s_whole_timeout() -> None:
    # Each contender is its own AskContender task: two fit with the default retries
    settings = load_picker_settings({"CONTENDERS": json.dumps(TWO)})
    assert settings.picker_worst_case_seconds == 480


def _factory(environ: dict[str, str]) -> DependencyFactory:
    return DependencyFactory(
        market_settings=lambda: load_market_settings(environ),
        arena_settings=lambda: load_arena_settings(environ),
    )


def _models(count: int) -> str:
    return json.dumps([{"name": f"m{n}", "model": "gpt-4o-mini"} for n in range(count)])


def test_three_models_and_the_control_fit_the_free_tier_s_weekdays_exactly() -> None:
    # 2 fortnights x 4 entries x 3 picks + SPY = 25 closes: published every weekday
    assert weekday_closes(3, control=True) == 25
    _factory({"CONTENDERS": _models(3)}).check_settings(frozenset({"market", "arena"}))


def test_an_arena_the_free_tier_can_never_publish_is_refused_at_cold_start() -> None:
    # Four models and the control: 31 closes a weekday, over the free tier's 25 for good
    with pytest.raises(ConfigurationError, match="up to 31 calls every weekday"):
        _factory({"CONTENDERS": _models(4)}).check_settings(frozenset({"market", "arena"}))
    # And a premium key, without a daily limit, takes them
    premium = {"CONTENDERS": _models(4), "ALPHA_VANTAGE_PREMIUM": "true"}
    _factory(premium).check_settings(frozenset({"market", "arena"}))
    # And without the control four fit (2 x 4 x 3 + 1 = 25)
    no_control = {"CONTENDERS": _models(4), "RANDOM_CONTROL": "false"}
    _factory(no_control).check_settings(frozenset({"market", "arena"}))


def test_the_stability_asks_count_in_the_asking_task_s_time_budget() -> None:
    # Two more asks at the default retries: 3 x 480 s does not fit in two thirds of 900 s
    with pytest.raises(ConfigurationError, match="= 1440s does not fit"):
        load_picker_settings({"PICK_STABILITY_ASKS": "2"})
    fits = load_picker_settings({"PICK_STABILITY_ASKS": "2", "OPENAI_MAX_RETRIES": "0"})
    assert fits.picker_worst_case_seconds == 3 * 60
    with pytest.raises(ConfigurationError, match="PICK_STABILITY_ASKS"):
        load_picker_settings({"PICK_STABILITY_ASKS": "9"})
