"""Answers a CloudFormation custom resource request (a PUT of JSON to its pre-signed URL)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any, Literal

RESPONSE_TIMEOUT_SECONDS = 10


def send_response(
    event: dict[str, Any],
    status: Literal["SUCCESS", "FAILED"],
    physical_resource_id: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    body = json.dumps(
        {
            "Status": status,
            # CloudFormation shows at most 4 KiB of the reason in the stack events.
            "Reason": reason[:3500],
            "PhysicalResourceId": physical_resource_id,
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data or {},
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - CloudFormation's pre-signed https URL
        event["ResponseURL"],
        data=body,
        method="PUT",
        headers={"Content-Type": "", "Content-Length": str(len(body))},
    )
    with urllib.request.urlopen(request, timeout=RESPONSE_TIMEOUT_SECONDS):  # noqa: S310
        pass
