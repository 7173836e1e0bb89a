"""The pages and the feed with several contenders: every entry shown as whose it is, the
random control drawn as the yardstick, the models' figures never mixed with its picks."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import feedparser
import psycopg

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.new_batch import create_batch
from tests.api.conftest import lambda_result
from tests.builders import FIRST_MONDAY, computed_checkpoint, new_arena_batch

# The model's AAPL, MSFT, NVDA, then the control's AAPL, KO.
SCORES = ("3.000000", "-1.000000", "1.000000", "-2.000000", "0.000000")


def _completed_arena_weeks(conn: psycopg.Connection, weeks: int) -> None:
    for week in range(weeks):
        detail = create_batch(conn, new_arena_batch(FIRST_MONDAY + timedelta(weeks=week)))
        day = detail.batch.run_date + timedelta(days=4)
        record_checkpoint(conn, detail.batch.id, computed_checkpoint(detail, day, scores=SCORES))
        set_batch_status(conn, detail.batch.id, "completed", from_status="active")


def _page(template: dict[str, Any], path: str) -> str:
    result = lambda_result(template, path)
    assert result["statusCode"] == 200
    return str(result["body"])


def test_the_week_page_shows_each_entry_and_the_models_alpha_alone(
    conn: psycopg.Connection, database_url: str, template: dict[str, Any]
) -> None:
    # Given a week with a model, a model that failed, and the control
    _completed_arena_weeks(conn, 1)
    # When its page is read
    page = _page(template, f"/weeks/{FIRST_MONDAY.isoformat()}")
    # Then each entry has its heading, the failed one says why, the control says what it is
    headings = re.findall(r'<tr class="entry entry-(\w+)"><th[^>]*>(.*?)</th>', page)
    assert [kind for kind, _ in headings] == ["model", "model", "control"]
    assert "no picks this week (PickerRefused: no)" in headings[1][1]
    assert "drawn at random from a test list" in headings[2][1]
    # And the batch alpha is the model's picks' alone: (3 - 1 + 1) / 3 = +1.00 %
    assert re.search(r"Batch alpha <span class=\"up\">\+1\.00\u202f%</span>", page)
    # And every call's column says whose call it is (AAPL is picked twice)
    assert "test-model: BUY AAPL" in page
    assert "random-control: SELL AAPL" in page


def test_the_dashboard_ranks_the_control_apart_and_pairs_the_models_against_it(
    conn: psycopg.Connection, database_url: str, template: dict[str, Any]
) -> None:
    # Given three completed arena weeks
    _completed_arena_weeks(conn, 3)
    # When the dashboard is read
    page = _page(template, "/")
    # Then the answer says how the models did against the control, paired by week:
    # the model's +1.00 against the control's -1.00, +2.00 points a week
    paired = re.search(r'<p class="verdict" id="against-control">(.*?)</p>', page, re.S)
    assert paired is not None
    assert "+2.00\u202f%" in paired.group(1)
    assert "3 paired weeks" in paired.group(1)
    # And the track record has the control as a row of its own, labelled the yardstick
    assert re.search(r'<tr class="control"><td>random control</td>', page)
    # And the equity chart draws the control dashed beside the models and SPY
    assert 'stroke-dasharray="6 4"' in page
    assert "random control (same market, drawn at random)" in page


def test_the_feed_tells_the_control_s_alpha_and_the_models_edge(
    conn: psycopg.Connection, database_url: str, template: dict[str, Any]
) -> None:
    _completed_arena_weeks(conn, 1)
    feed = feedparser.parse(lambda_result(template, "/feed.atom")["body"])
    completed = next(e for e in feed.entries if "completed" in e.title)
    assert "batch alpha +1.00 %" in completed.title
    text = completed.content[0].value
    assert "The random control: batch alpha -1.00 %; the models' edge over it: +2.00 points" in text
    committed = next(e for e in feed.entries if "completed" not in e.title)
    assert "beta: no picks (PickerRefused: no)" in committed.content[0].value
