"""The LambdaContext attributes Powertools reads, for handlers invoked in-process."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LocalLambdaContext:
    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:local:000000000000:function:local"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000
