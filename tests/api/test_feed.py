"""GET /feed.atom: valid Atom (read back by feedparser), an entry when a week's picks are
committed (the picks, their reasons and the commitment) and one when the week completes."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import feedparser
import psycopg

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.new_batch import create_batch
from tests.api.conftest import lambda_result
from tests.builders import FIRST_MONDAY, computed_checkpoint, new_batch


def test_the_feed_announces_each_commitment_and_each_completion(
    conn: psycopg.Connection, database_url: str, template: dict[str, Any]
) -> None:
    # Given a completed week and, a week later, one just committed
    done = create_batch(conn, new_batch(FIRST_MONDAY))
    record_checkpoint(
        conn,
        done.batch.id,
        computed_checkpoint(done, FIRST_MONDAY + timedelta(days=11), "2.000000"),
    )
    set_batch_status(conn, done.batch.id, "completed", from_status="active")
    fresh = create_batch(conn, new_batch(FIRST_MONDAY + timedelta(weeks=1)))
    # When the feed is read
    result = lambda_result(template, "/feed.atom")
    feed = feedparser.parse(result["body"])
    # Then it is well-formed Atom: three entries, newest first
    assert result["statusCode"] == 200
    assert result["multiValueHeaders"]["Content-Type"] == ["application/atom+xml; charset=utf-8"]
    assert (feed.bozo, feed.version) == (0, "atom10")
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Week of 5 Jan 2026 completed: batch alpha +1.00 %",  # on 16 Jan, after both commits
        "Week of 12 Jan 2026: BUY AAPL, SELL MSFT, BUY NVDA",
        "Week of 5 Jan 2026: BUY AAPL, SELL MSFT, BUY NVDA",
    ]
    # And each commitment entry carries the picks' reasons and the published hash
    for entry, detail in ((feed.entries[1], fresh), (feed.entries[2], done)):
        published = json.loads(lambda_result(template, f"/batches/{detail.batch.id}")["body"])
        assert published["commitment_sha256"] in entry.content[0].value
        assert "AAPL looks buy-worthy" in entry.content[0].value
        assert entry.link.endswith(f"/weeks/{detail.batch.run_date.isoformat()}")
    # And the completion entry is dated at the close it completed with (16:00 New York)
    assert feed.entries[0].updated == "2026-01-16T21:00:00Z"
    assert "BUY AAPL: score" in feed.entries[0].content[0].value


def test_a_reason_with_markup_stays_text_in_the_feed_and_on_the_pages(
    conn: psycopg.Connection, database_url: str, template: dict[str, Any]
) -> None:
    # Given a pick whose reasoning holds markup
    batch = new_batch(FIRST_MONDAY)
    (entry,) = batch.entries
    hostile = entry.picks[0].model_copy(update={"reasoning": "<script>alert(1)</script> & more"})
    entry = entry.model_copy(update={"picks": (hostile, *entry.picks[1:])})
    create_batch(conn, batch.model_copy(update={"entries": (entry,)}))
    # Then the feed reads it back as the very text, and no page carries a script element
    feed = feedparser.parse(lambda_result(template, "/feed.atom")["body"])
    assert "<script>alert(1)</script> & more" in feed.entries[0].content[0].value
    for path in ("/", f"/weeks/{FIRST_MONDAY.isoformat()}"):
        body = lambda_result(template, path)["body"]
        assert "<script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in body


def test_an_empty_feed_is_still_valid_atom(database_url: str, template: dict[str, Any]) -> None:
    feed = feedparser.parse(lambda_result(template, "/feed.atom")["body"])
    assert (feed.bozo, feed.version, feed.entries) == (0, "atom10", [])
