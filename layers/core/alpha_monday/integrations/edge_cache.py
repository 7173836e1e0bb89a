"""The edge cache in front of the read API: CloudFront, told which paths to forget once a
step's write is committed (docs/edge-cache.md), or nothing at all where there is none."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from alpha_monday.observability import logger


class EdgeCache(Protocol):
    def invalidate(self, paths: Sequence[str], reference: str) -> str | None:
        """Forget `paths` at the edge; the invalidation's id, or None without an edge."""
        ...


class NoEdgeCache:
    """Locally (and in a stack without a distribution): every answer is read afresh."""

    def invalidate(self, paths: Sequence[str], reference: str) -> str | None:
        logger.debug("no edge cache to invalidate", extra={"paths": list(paths)})
        return None


class CloudFrontEdgeCache:
    """One invalidation per step, its paths exactly the ones the step changed. Its caller
    reference is the invocation's: a retried request is the same invalidation, not two."""

    def __init__(self, distribution_id: str, client: Callable[[], Any]) -> None:
        self._distribution_id = distribution_id
        self._client = client

    def invalidate(self, paths: Sequence[str], reference: str) -> str | None:
        # The reference names the paths too: the same request with other paths is another.
        digest = hashlib.sha256("\n".join(paths).encode()).hexdigest()[:16]
        answer = self._client().create_invalidation(
            DistributionId=self._distribution_id,
            InvalidationBatch={
                "Paths": {"Quantity": len(paths), "Items": list(paths)},
                "CallerReference": f"{reference}:{digest}",
            },
        )
        invalidation_id: str = answer["Invalidation"]["Id"]
        return invalidation_id


def cloudfront_client() -> Any:
    # Imported here: only the steps that publish load the SDK, and only when they do.
    import boto3  # noqa: PLC0415

    return boto3.client("cloudfront")
