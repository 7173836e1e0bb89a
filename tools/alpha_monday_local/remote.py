"""`alpha-monday migrate-remote`: apply migrations to a deployed stack's database, loudly."""

from __future__ import annotations

import json
from typing import Any

MIGRATE_OUTPUT = "MigrateFunctionName"


def migrate_remote(stack_name: str) -> tuple[bool, dict[str, Any]]:
    """Invoke the stack's MigrateFunction; (succeeded, what it returned or the error)."""
    import boto3  # noqa: PLC0415 - only this command talks to AWS

    stack = boto3.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    response = boto3.client("lambda").invoke(
        FunctionName=outputs[MIGRATE_OUTPUT], InvocationType="RequestResponse", Payload=b"{}"
    )
    payload: dict[str, Any] = json.loads(response["Payload"].read() or b"{}")
    return "FunctionError" not in response, payload
