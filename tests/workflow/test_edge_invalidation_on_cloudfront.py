"""The steps tell CloudFront (moto's) what they changed: one invalidation per step of a
fortnight, on the stack's distribution, each with the paths of that step; a distribution
that refuses leaves the step's committed work standing."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from datetime import date
from typing import Any
from unittest.mock import patch

import boto3
import psycopg
import pytest
from moto import mock_aws

from alpha_monday.domain.market_time import market_instant_utc
from alpha_monday.integrations.offline import ScriptedPicker, SyntheticMarket
from alpha_monday.run_config import EdgeSettings
from alpha_monday_local.sfn_runner import LocalWorkflow, SimulatedClock
from tests.workflow.conftest import SCHEDULED_START, workflow_factory

JUNE_1 = date(2026, 6, 1)
REGION = "us-east-1"


@pytest.fixture
def cloudfront() -> Iterator[Any]:
    aws = {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t", "AWS_DEFAULT_REGION": REGION}
    with patch.dict(os.environ, aws), mock_aws():
        yield boto3.client("cloudfront", region_name=REGION)


def _distribution(cloudfront: Any) -> str:
    origin = "abc123.execute-api.us-east-1.amazonaws.com"
    config = {
        "CallerReference": "alpha-monday-test",
        "Comment": "alpha monday",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "read-api",
                    "DomainName": origin,
                    "OriginPath": "/dev",
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "read-api",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
        },
    }
    answer = cloudfront.create_distribution(DistributionConfig=config)
    distribution_id: str = answer["Distribution"]["Id"]
    return distribution_id


def _run_fortnight(distribution_id: str) -> None:
    clock = SimulatedClock(market_instant_utc(JUNE_1, SCHEDULED_START))
    factory = workflow_factory(
        clock, source=SyntheticMarket(now=clock.now), picker=ScriptedPicker()
    )
    factory = dataclasses.replace(
        factory,
        edge_settings=lambda: EdgeSettings(edge_distribution_id=distribution_id),
        edge_client=lambda: boto3.client("cloudfront", region_name=REGION),
    )
    report = LocalWorkflow(clock=clock, factory=factory).run({"run_date": JUNE_1.isoformat()})
    assert report.status == "SUCCEEDED", report.cause


def _invalidated_paths(cloudfront: Any, distribution_id: str) -> list[list[str]]:
    listed = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"]
    batches = [
        cloudfront.get_invalidation(DistributionId=distribution_id, Id=item["Id"])
        for item in listed.get("Items", [])
    ]
    return [b["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] for b in batches]


def test_a_fortnight_invalidates_once_per_step_on_the_distribution(
    cloudfront: Any, database_url: str, conn: psycopg.Connection
) -> None:
    # Given the stack's distribution
    distribution_id = _distribution(cloudfront)
    # When a whole fortnight runs, its steps told where the edge is
    _run_fortnight(distribution_id)
    # Then the distribution holds one invalidation per step: the commit, 14 days, completion
    invalidated = _invalidated_paths(cloudfront, distribution_id)
    assert len(invalidated) == 16
    batch_id, run_date = conn.execute("SELECT id, run_date FROM batches").fetchone()
    # And the commit's names the new batch, its week, the lists, the feed and its tables
    commit = next(paths for paths in invalidated if "/data/picks.csv" in paths)
    assert {f"/batches/{batch_id}", f"/weeks/{run_date}", "/latest", "/feed.atom"} <= set(commit)
    # And the completion's the track record's views, whatever their query
    completion = next(paths for paths in invalidated if "/track-record?*" in paths)
    assert "/feed.atom" in completion
    # And no step invalidated everything
    assert not any("/*" in paths for paths in invalidated)


def test_a_refused_invalidation_leaves_the_step_done_and_is_logged(
    cloudfront: Any, database_url: str, conn: psycopg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a distribution id the account does not have (a deleted distribution)
    # When a fortnight runs
    _run_fortnight("E0000000000000")
    # Then it completed all the same: the writes stand, the edge keeps its copies an hour
    status = conn.execute("SELECT status FROM batches").fetchone()
    assert status == ("completed",)
    # And each refused invalidation was logged as an error with its paths
    refused = [r for r in caplog.records if r.getMessage() == "edge invalidation failed"]
    assert len(refused) == 16
    assert all(r.levelname == "ERROR" and r.paths for r in refused)  # type: ignore[attr-defined]
