"""Business metrics of the weekly run, as CloudWatch embedded metric format (Powertools).

Only the workflow imports this module (the read handlers' cold start stays light). Each
workflow handler flushes what its step counted at the end of the invocation.
"""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

NAMESPACE = "AlphaMonday"
CHECKPOINTS_COMPUTED = "CheckpointsComputed"
CHECKPOINTS_SKIPPED_MARKET_CLOSED = "CheckpointsSkippedMarketClosed"
# A trading day without returns because of the provider: the template alarms on it.
SESSIONS_SKIPPED_PROVIDER = "SessionsSkippedForProviderReason"
# A day held because the provider refused the API key: an operator must fix the key.
SESSIONS_SKIPPED_KEY_REFUSED = "SessionsSkippedKeyRefused"
DAYS_HEALED = "DaysHealed"
PICKS_LEFT_OUT = "PicksLeftOut"
PROVIDER_CALLS = "ProviderCalls"
PICKER_REASKS = "PickerReasks"
# A step's committed change the edge cache was not told of: the template alarms on it.
EDGE_INVALIDATIONS_FAILED = "EdgeInvalidationsFailed"

metrics = Metrics(namespace=NAMESPACE, service="alpha-monday")


def count(name: str, value: int = 1) -> None:
    # Disabled metrics are not even collected: Powertools keeps them until it holds 100
    # values of one, then prints them anyway.
    if value and not is_metrics_disabled():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
