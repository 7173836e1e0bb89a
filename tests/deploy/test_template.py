"""template.yaml read with CloudFormation tags: wiring, privileges, logs, tracing, alarms."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from alpha_monday_local.template import functions, handler_file, load_module

Template = dict[str, Any]


def _resources(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {n: r for n, r in template["Resources"].items() if r["Type"] == kind}


def _statements(template: Template) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, resource in template["Resources"].items():
        for policy in resource.get("Properties", {}).get("Policies", []) or []:
            if isinstance(policy, dict) and "Statement" in policy:
                for statement in policy["Statement"]:
                    yield name, statement
        if resource["Type"] == "AWS::IAM::Policy":
            yield from ((name, s) for s in resource["Properties"]["PolicyDocument"]["Statement"])


def test_every_function_handler_file_exists(template: Template) -> None:
    for name, properties in functions(template).items():
        path, function = handler_file(properties)
        assert path.is_file(), name
        assert f"{function}" in path.read_text(), name


def test_functions_share_the_one_layer_and_the_runtime(template: Template) -> None:
    globals_ = template["Globals"]["Function"]
    assert globals_["Runtime"] == "python3.11"
    assert globals_["Layers"] == [{"Ref": "CoreLayer"}]
    layer = template["Resources"]["CoreLayer"]
    assert layer["Properties"]["ContentUri"] == "layers/core/"
    # Built by its Makefile with python3.11 bytecode (tests/deploy/test_layer_build.py)
    assert layer["Metadata"]["BuildMethod"] == "makefile"
    assert layer["Metadata"]["BuildArchitecture"] == "arm64"
    assert len(_resources(template, "AWS::Serverless::LayerVersion")) == 1


def test_no_wildcard_action_anywhere(template: Template) -> None:
    statements = list(_statements(template))
    assert statements  # the state machine's log delivery statement at least
    for name, statement in statements:
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            assert action != "*", name
            assert not action.endswith(":*"), (name, action)


# The steps that change published answers (docs/edge-cache.md), each allowed one action on
# the stack's own distribution.
PUBLISHING_STEPS = {
    "PlanRunFunction",
    "GeneratePicksFunction",
    "CheckpointFunction",
    "CompleteBatchFunction",
    "MarkBatchFailedFunction",
    "SweepStuckRunFunction",
}
INVALIDATE_THE_STACKS_DISTRIBUTION = {
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "cloudfront:CreateInvalidation",
            "Resource": {
                "Fn::Sub": "arn:aws:cloudfront::${AWS::AccountId}:distribution/${EdgeDistribution}"
            },
        }
    ]
}


def test_permissions_come_from_sam_policy_templates(template: Template) -> None:
    for name, properties in functions(template).items():
        policies = [p for p in properties["Policies"] if p != INVALIDATE_THE_STACKS_DISTRIBUTION]
        kinds = {next(iter(p)) for p in policies if isinstance(p, dict)}
        assert kinds == {"SSMParameterReadPolicy"}, name
    machine = template["Resources"]["WeeklyRunStateMachine"]["Properties"]
    invoked = {
        p["LambdaInvokePolicy"]["FunctionName"]["Ref"]
        for p in machine["Policies"]
        if "LambdaInvokePolicy" in p
    }
    substituted = {v["Fn::GetAtt"][0] for v in machine["DefinitionSubstitutions"].values()}
    assert invoked == substituted


def test_every_log_group_has_a_retention_and_every_function_logs_to_one(
    template: Template,
) -> None:
    log_groups = _resources(template, "AWS::Logs::LogGroup")
    for name, group in log_groups.items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
    for name, properties in functions(template).items():
        assert properties["LoggingConfig"]["LogGroup"]["Ref"] in log_groups, name
    machine = template["Resources"]["WeeklyRunStateMachine"]["Properties"]
    destination = machine["Logging"]["Destinations"][0]["CloudWatchLogsLogGroup"]
    assert destination["LogGroupArn"]["Fn::GetAtt"][0] in log_groups


def test_tracing_is_on_for_functions_state_machine_and_api(template: Template) -> None:
    assert template["Globals"]["Function"]["Tracing"] == "Active"
    machine = template["Resources"]["WeeklyRunStateMachine"]["Properties"]
    assert machine["Tracing"] == {"Enabled": True}
    assert template["Resources"]["ReadApi"]["Properties"]["TracingEnabled"] is True


def test_the_schedule_is_monday_morning_in_new_york_with_retries_and_a_dead_letter_queue(
    template: Template,
) -> None:
    machine = template["Resources"]["WeeklyRunStateMachine"]["Properties"]
    schedule = machine["Events"]["MondayMorning"]
    assert schedule["Type"] == "ScheduleV2"
    properties = schedule["Properties"]
    assert properties["ScheduleExpression"] == "cron(0 8 ? * MON *)"
    assert properties["ScheduleExpressionTimezone"] == "America/New_York"
    assert properties["State"] == {"Ref": "ScheduleState"}
    assert properties["RetryPolicy"]["MaximumRetryAttempts"] > 0
    assert properties["DeadLetterConfig"]["Type"] == "SQS"


def test_the_api_stage_is_throttled(template: Template) -> None:
    (settings,) = template["Resources"]["ReadApi"]["Properties"]["MethodSettings"]
    assert settings["ThrottlingRateLimit"] > 0
    assert settings["ThrottlingBurstLimit"] > 0


def test_migrations_run_on_every_deploy_that_changes_them(template: Template) -> None:
    migrations = template["Resources"]["DatabaseMigrations"]
    assert migrations["Properties"]["ServiceToken"] == {"Fn::GetAtt": ["MigrateFunction", "Arn"]}
    # The layer carries migrations/; a new layer version re-runs the custom resource.
    assert migrations["Properties"]["CoreLayerVersion"] == {"Ref": "CoreLayer"}


@pytest.mark.parametrize(
    ("namespace", "metric"),
    [
        ("AWS/States", "ExecutionsFailed"),
        ("AWS/States", "ExecutionsTimedOut"),
        ("AWS/Lambda", "Errors"),
        ("AWS/Lambda", "Throttles"),
        ("AWS/ApiGateway", "5XXError"),
    ],
)
def test_alarms_notify_the_alarm_topic(template: Template, namespace: str, metric: str) -> None:
    # Every alarm watching this metric notifies the topic, and together they watch every
    # function (for Lambda metrics).
    watched: set[str] = set()
    found = 0
    for alarm in _resources(template, "AWS::CloudWatch::Alarm").values():
        properties = alarm["Properties"]
        stats = [
            m["MetricStat"]["Metric"] for m in properties.get("Metrics", []) if "MetricStat" in m
        ]
        if properties.get("MetricName") == metric and properties.get("Namespace") == namespace:
            found += 1
            assert properties["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        mine = [s for s in stats if s["MetricName"] == metric and s["Namespace"] == namespace]
        if mine:
            found += 1
            assert properties["AlarmActions"] == [{"Ref": "AlarmTopic"}]
            watched |= {s["Dimensions"][0]["Value"]["Ref"] for s in mine}
    assert found >= 1
    if namespace == "AWS/Lambda":
        assert watched == set(functions(template))


@pytest.mark.parametrize(
    "name",
    ["SessionsSkippedForProviderReasonAlarm", "MarketDataKeyRefusedAlarm", "WeeklyRunAbortedAlarm"],
)
def test_operators_hear_of_skipped_sessions_and_aborted_runs(template: Template, name: str) -> None:
    alarm = template["Resources"][name]["Properties"]
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert alarm["Threshold"] == 1


READ_FUNCTIONS = {
    "HealthFunction",
    "LatestBatchFunction",
    "ListBatchesFunction",
    "GetBatchFunction",
    "TrackRecordFunction",
    "DashboardFunction",
}
SECRET_OF_NEED = {
    "market": ("ALPHA_VANTAGE_API_KEY_PARAMETER", "AlphaVantageApiKeyParameterName"),
    "picker": ("OPENAI_API_KEY_PARAMETER", "OpenAiApiKeyParameterName"),
}
# The other contenders' keys (docs/arena.md): one SSM path, read by the models' asker only.
CONTENDER_KEYS = "${ContenderKeysPath}/*"


def _parameter(policy: dict[str, Any]) -> str:
    name = policy["SSMParameterReadPolicy"]["ParameterName"]
    return name["Ref"] if "Ref" in name else name["Fn::Sub"]


def test_each_function_may_read_exactly_the_secrets_its_code_reads(
    template: Template, database_url: str
) -> None:
    for name, properties in functions(template).items():
        # What the code reads: a workflow handler declares what its step uses.
        step = getattr(load_module(properties), "step", None)
        needs = step.needs if step is not None else frozenset()
        database = (
            "ReadOnlyDatabaseUrlParameterName"
            if name in READ_FUNCTIONS
            else "DatabaseUrlParameterName"
        )
        secret_needs = needs & set(SECRET_OF_NEED)  # the arena is no secret
        expected_env = {SECRET_OF_NEED[need][0] for need in secret_needs}
        expected_parameters = {database} | {SECRET_OF_NEED[need][1] for need in secret_needs}
        if "picker" in needs:
            expected_parameters.add(CONTENDER_KEYS)
        # What the template gives it
        environment = properties.get("Environment", {}).get("Variables", {})
        secret_env = {key for key in environment if key.endswith("_API_KEY_PARAMETER")}
        parameters = {
            _parameter(policy)
            for policy in properties["Policies"]
            if "SSMParameterReadPolicy" in policy
        }
        assert secret_env == expected_env, name
        assert parameters == expected_parameters, name
        assert ("CONTENDER_KEYS_PATH" in environment) == ("picker" in needs), name
        # Who competes is configuration every step that lists, asks or commits them reads.
        if needs & {"picker", "arena"}:
            assert {"CONTENDERS", "RANDOM_CONTROL", "OPENAI_MODEL"} <= set(environment), name
    # The read functions connect with the read-only URL
    for name in READ_FUNCTIONS:
        variables = functions(template)[name]["Environment"]["Variables"]
        assert variables["DATABASE_URL_PARAMETER"] == {
            "Fn::Sub": "/${ReadOnlyDatabaseUrlParameterName}"
        }


def test_the_sweeper_hears_every_failed_timed_out_or_aborted_execution(template: Template) -> None:
    sweeper = functions(template)["SweepStuckRunFunction"]
    (event,) = sweeper["Events"].values()
    assert event["Type"] == "EventBridgeRule"
    pattern = event["Properties"]["Pattern"]
    assert pattern["source"] == ["aws.states"]
    assert pattern["detail"]["status"] == ["FAILED", "TIMED_OUT", "ABORTED"]
    assert pattern["detail"]["stateMachineArn"] == [{"Ref": "WeeklyRunStateMachine"}]
    assert event["Properties"]["DeadLetterConfig"] == {"Type": "SQS"}


def test_secrets_are_parameter_names_not_values(template: Template) -> None:
    parameters = template["Parameters"]
    for name in (
        "DatabaseUrlParameterName",
        "OpenAiApiKeyParameterName",
        "AlphaVantageApiKeyParameterName",
    ):
        assert parameters[name]["Default"].startswith("alpha-monday/")
    environment = template["Globals"]["Function"]["Environment"]["Variables"]
    assert "DATABASE_URL" not in environment
    assert environment["DATABASE_URL_PARAMETER"] == {"Fn::Sub": "/${DatabaseUrlParameterName}"}


def test_the_gateways_own_answers_are_never_cached_and_carry_cors(template: Template) -> None:
    responses = template["Resources"]["ReadApi"]["Properties"]["GatewayResponses"]
    for name, response in responses.items():
        headers = response["ResponseParameters"]["Headers"]
        assert headers["Cache-Control"] == "'no-store'", name
        assert headers["Vary"] == "'Origin'", name
        assert "Access-Control-Allow-Origin" in headers, name


def test_only_the_steps_that_publish_may_invalidate_and_only_the_stacks_distribution(
    template: Template,
) -> None:
    for name, properties in functions(template).items():
        # Given each function's rights and settings
        may_invalidate = INVALIDATE_THE_STACKS_DISTRIBUTION in properties["Policies"]
        environment = properties.get("Environment", {}).get("Variables", {})
        # Then exactly the publishing steps may invalidate, and they are told where
        assert may_invalidate == (name in PUBLISHING_STEPS), name
        told = environment.get("EDGE_DISTRIBUTION_ID") == {"Ref": "EdgeDistribution"}
        assert told == (name in PUBLISHING_STEPS), name
    # And no other resource grants CloudFront rights
    text = json.dumps(template["Resources"])
    assert text.count('"cloudfront:') == len(PUBLISHING_STEPS)


def test_the_edge_honours_the_functions_cache_control_per_origin_and_compresses(
    template: Template,
) -> None:
    # Given the edge's cache policy and its one behaviour
    policy = template["Resources"]["EdgeCachePolicy"]["Properties"]["CachePolicyConfig"]
    distribution = template["Resources"]["EdgeDistribution"]["Properties"]["DistributionConfig"]
    behaviour = distribution["DefaultCacheBehavior"]
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    # Then an answer without Cache-Control is not kept, and the functions' s-maxage is
    assert policy["MinTTL"] == 0
    assert policy["DefaultTTL"] == 0
    assert policy["MaxTTL"] >= 2592000
    # And a copy is kept per Origin (CORS) and per query, never per cookie
    assert key["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Origin"]}
    assert key["QueryStringsConfig"] == {"QueryStringBehavior": "all"}
    assert key["CookiesConfig"] == {"CookieBehavior": "none"}
    # And it compresses, gzip and brotli, and caches only reads
    assert key["EnableAcceptEncodingGzip"]
    assert key["EnableAcceptEncodingBrotli"]
    assert behaviour["Compress"] is True
    assert behaviour["CachedMethods"] == ["GET", "HEAD"]
    assert behaviour["CachePolicyId"] == {"Ref": "EdgeCachePolicy"}
    # And its origin is the read API's stage, over HTTPS, and its URL is an output
    (origin,) = distribution["Origins"]
    assert origin["OriginPath"] == {"Fn::Sub": "/${Stage}"}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    outputs = template["Outputs"]
    assert outputs["SiteUrl"]["Value"] == {"Fn::Sub": "https://${EdgeDistribution.DomainName}/"}


def test_each_read_function_reserves_the_concurrency_the_database_can_hold(
    template: Template,
) -> None:
    from alpha_monday.domain.capacity import READ_FUNCTIONS as COUNTED
    from alpha_monday.domain.capacity import connections_needed

    # Given the read functions (those behind the API)
    parameters = template["Parameters"]
    # Then each reserves the ReadFunctionConcurrency parameter
    for name in READ_FUNCTIONS:
        reserved = functions(template)[name]["ReservedConcurrentExecutions"]
        assert reserved == {"Ref": "ReadFunctionConcurrency"}, name
    # And the capacity rule counts them all
    assert len(READ_FUNCTIONS) == COUNTED
    # And the defaults fit the default connection budget
    default = int(parameters["ReadFunctionConcurrency"]["Default"])
    assert connections_needed(default) <= int(parameters["DatabaseMaxConnections"]["Default"])
    # And the deploy checks both against each other
    migrations = template["Resources"]["DatabaseMigrations"]["Properties"]
    assert migrations["ReadFunctionConcurrency"] == {"Ref": "ReadFunctionConcurrency"}
    assert migrations["DatabaseMaxConnections"] == {"Ref": "DatabaseMaxConnections"}
