"""The dashboard in a real browser: headless Chromium (Debian's package, no download) opens
the page `alpha-monday serve` serves, and checks what a person sees."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import feedparser
import psycopg
import pytest

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.new_batch import create_batch
from alpha_monday.db.open_data import OPEN_TABLES
from alpha_monday.domain.model import BatchOrigin
from alpha_monday_local.paths import PROJECT_ROOT
from tests.builders import FIRST_MONDAY, computed_checkpoint, new_batch, skipped_checkpoint

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
SCREENSHOTS = PROJECT_ROOT / ".screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)
# The latest batch's computed days: Mon to Fri, then Mon and Tue (the weekend skipped)
LATEST_DAYS = (0, 1, 2, 3, 4, 7, 8)

if CHROMIUM is None or CHROMEDRIVER is None:
    missing = "Chromium is not installed: apt-get install chromium chromium-driver (see README)"
    if os.environ.get("ALPHA_MONDAY_REQUIRE_BROWSER"):
        raise RuntimeError(missing)  # CI: .ci/run installs it, so this is a failure
    pytest.skip(missing, allow_module_level=True)

from selenium import webdriver  # noqa: E402 - only with a browser to drive
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


Serve = Callable[..., str]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Starts `alpha-monday serve` on a free port with the given environment."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**environ: str) -> str:
        port = _free_port()
        log = (tmp_path / f"serve-{port}.log").open("wb")
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "alpha-monday"), "serve", "--port", str(port)],
            env={**os.environ, **environ},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/health", timeout=2)
                return base
            except urllib.error.HTTPError:
                return base  # it answers (a 503 when its database is down)
            except OSError:
                time.sleep(0.2)
        raise AssertionError((tmp_path / f"serve-{port}.log").read_text())

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _completed(conn: psycopg.Connection, week: int, returns: str, origin: BatchOrigin) -> None:
    detail = create_batch(conn, new_batch(FIRST_MONDAY + timedelta(weeks=week), origin=origin))
    for day in (0, 4, 8, 11):
        record_checkpoint(
            conn,
            detail.batch.id,
            computed_checkpoint(detail, detail.batch.run_date + timedelta(days=day), returns),
        )
    set_batch_status(conn, detail.batch.id, "completed", from_status="active")


def _seed(conn: psycopg.Connection) -> None:
    # Three completed live batches (vs SPY +0.5, -0.5, +0.25: could be chance), one
    # simulated, and this week's batch, active, with seven trading days recorded
    for week, returns in enumerate(("1.500000", "0.500000", "1.250000")):
        _completed(conn, week, returns, "live")
    _completed(conn, 3, "3.000000", "simulated")
    latest = create_batch(conn, new_batch(FIRST_MONDAY + timedelta(weeks=4), origin="live"))
    for offset in range(9):
        day = latest.batch.run_date + timedelta(days=offset)
        if offset in LATEST_DAYS:
            record = computed_checkpoint(latest, day, f"{offset / 4:.6f}")
        else:
            record = skipped_checkpoint(day)
        record_checkpoint(conn, latest.batch.id, record)


def _screenshot(browser: webdriver.Chrome, name: str, size: tuple[int, int]) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    browser.set_window_size(*size)
    path = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


@pytest.fixture
def seeded_dashboard(
    browser: webdriver.Chrome, serve: Serve, conn: psycopg.Connection, database_url: str
) -> webdriver.Chrome:
    """The seeded batches served by `alpha-monday serve`, the dashboard open on a desktop."""
    _seed(conn)
    base = serve(DATABASE_URL=database_url)
    browser.set_window_size(*DESKTOP)
    browser.get(f"{base}/")
    return browser


def test_the_dashboard_answers_first_then_shows_the_latest_week_the_history_and_the_record(
    seeded_dashboard: webdriver.Chrome,
) -> None:
    # Given seeded batches, when a person opens the dashboard
    browser = seeded_dashboard
    # Then the answer comes first: the verdict in words, the mean batch alpha, last updated
    answer = browser.find_element(By.ID, "answer")
    assert browser.find_element(By.ID, "verdict-words").text == "Could be chance"
    assert "Mean batch alpha +0.08\u202f% over 3 completed weeks (live)" in answer.text
    assert "Last updated with the close of" in answer.text
    sections = browser.find_elements(By.CSS_SELECTOR, "main > section")
    assert [s.get_attribute("id") for s in sections][:3] == ["answer", "equity", "latest"]
    # And the latest week shows its three picks, each with its action and reasoning
    latest = browser.find_element(By.ID, "latest")
    rows = latest.find_elements(By.CSS_SELECTOR, "table.picks tbody tr")
    assert [row.find_elements(By.TAG_NAME, "td")[0].text for row in rows] == [
        "AAPL",
        "MSFT",
        "NVDA",
        "SPY",
    ]
    assert "AAPL looks buy-worthy" in latest.text
    assert "In progress: 7 trading days scored so far." in latest.text
    # And its chart has a line per call, from 0 on the baseline day, a point per trading day
    for serie in range(3):
        dots = latest.find_elements(By.CSS_SELECTOR, f"#latest-chart .serie-{serie} circle.dot")
        assert len(dots) == len(LATEST_DAYS) + 1, serie
        first = dots[0].find_element(By.TAG_NAME, "title").get_attribute("textContent")
        assert first.endswith(": +0.00 %"), first
    x_labels = [t.text for t in latest.find_elements(By.CSS_SELECTOR, "#latest-chart .x-axis text")]
    assert x_labels
    assert all(label.split()[0].isdigit() for label in x_labels)  # dates, e.g. "2 Feb"
    y_labels = [t.text for t in latest.find_elements(By.CSS_SELECTOR, "#latest-chart .y-axis text")]
    assert y_labels
    assert all(label.endswith("%") for label in y_labels)
    # And the history badges each batch with its origin and links to its week's page
    badges = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#history .badge")]
    assert badges == ["live", "simulated", "live", "live", "live"]
    links = [
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#history td a")
    ]
    assert len(links) == 5
    assert all("/weeks/" in link for link in links)
    desktop = _screenshot(browser, "dashboard-desktop", DESKTOP)
    # And on a phone the page fits the screen's width, the key numbers in view
    phone = _screenshot(browser, "dashboard-phone", PHONE)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 1
    table = browser.find_element(By.CSS_SELECTOR, "#latest table.picks")
    assert table.size["width"] <= PHONE[0]
    assert desktop.stat().st_size > 10_000
    assert phone.stat().st_size > 10_000


def test_the_track_record_draws_its_curves_on_dates_and_links_the_feed(
    seeded_dashboard: webdriver.Chrome,
) -> None:
    browser = seeded_dashboard
    # And the cumulative alpha is drawn on dates, a point per live week, in points
    alpha_dots = browser.find_elements(By.CSS_SELECTOR, "#alpha-chart circle.dot")
    assert len(alpha_dots) == 3
    alpha_y = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#alpha-chart .y-axis text")]
    assert alpha_y
    assert all(label.endswith("pts") for label in alpha_y)
    # And $100 following the picks is drawn against $100 in SPY, in dollars, with its drawdown
    equity_y = [
        t.text for t in browser.find_elements(By.CSS_SELECTOR, "#equity-chart .y-axis text")
    ]
    assert equity_y
    assert all(label.startswith("$") for label in equity_y)
    picks_line = browser.find_elements(By.CSS_SELECTOR, "#equity-chart .serie-0 circle.dot")
    spy_line = browser.find_elements(By.CSS_SELECTOR, "#equity-chart .serie-1 circle.dot")
    assert len(picks_line) == len(spy_line) == 1 + 3  # the start and three live fortnights
    assert "$100 in SPY" in browser.find_element(By.ID, "equity-chart").text
    assert browser.find_elements(By.CSS_SELECTOR, "#drawdown-chart circle.dot")
    assert "not investment advice" in browser.find_element(By.TAG_NAME, "footer").text
    # And the feed is linked for readers and for browsers, and is Atom with every week
    data_links = browser.find_elements(By.CSS_SELECTOR, "#open-data a")
    assert [a.text for a in data_links] == list(OPEN_TABLES)
    feed_url = browser.find_element(By.ID, "feed-link").get_attribute("href")
    alternate = browser.find_element(By.CSS_SELECTOR, 'link[rel="alternate"]')
    assert alternate.get_attribute("type") == "application/atom+xml"
    assert feed_url == alternate.get_attribute("href")
    with urllib.request.urlopen(feed_url, timeout=10) as answer:
        feed = feedparser.parse(answer.read())
    assert (feed.bozo, len([e for e in feed.entries if "completed" not in e.title])) == (0, 5)


def test_a_week_has_its_page_with_every_day_and_pages_both_ways(
    seeded_dashboard: webdriver.Chrome,
) -> None:
    # When a person follows the history's link to the second week
    browser = seeded_dashboard
    second = FIRST_MONDAY + timedelta(weeks=1)
    browser.find_element(By.CSS_SELECTOR, f'#history a[href="/weeks/{second.isoformat()}"]').click()
    # Then the week's page shows its calls, its chart, every day and its neighbours
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Week of ")
    days = browser.find_elements(By.CSS_SELECTOR, "#days tbody tr")
    assert len(days) == 4  # the days the seed recorded
    assert len(browser.find_elements(By.CSS_SELECTOR, "#score-chart .serie-0 circle.dot")) == 5
    assert "AAPL looks buy-worthy" in browser.find_element(By.ID, "reasons").text
    browser.find_element(By.CSS_SELECTOR, 'a[rel="next"]').click()
    assert f"weeks/{(second + timedelta(weeks=1)).isoformat()}" in browser.current_url
    browser.find_element(By.CSS_SELECTOR, 'a[rel="prev"]').click()
    assert f"weeks/{second.isoformat()}" in browser.current_url
    _screenshot(browser, "week-desktop", DESKTOP)
    _screenshot(browser, "week-phone", PHONE)


def test_the_history_pages_older_and_back_newer_to_the_same_weeks(
    browser: webdriver.Chrome, serve: Serve, conn: psycopg.Connection, database_url: str
) -> None:
    # Given 23 completed weeks: pages of 10, 10 and 3
    for week in range(23):
        _completed(conn, week, "1.000000", "live")
    base = serve(DATABASE_URL=database_url)
    browser.set_window_size(*DESKTOP)
    browser.get(f"{base}/")

    def shown() -> list[str]:
        return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#history td a")]

    first = shown()
    assert len(first) == 10
    assert not browser.find_elements(By.CSS_SELECTOR, '#history a[rel="prev"]')
    # When a person pages older twice, then newer twice
    browser.find_element(By.CSS_SELECTOR, '#history a[rel="next"]').click()
    second = shown()
    browser.find_element(By.CSS_SELECTOR, '#history a[rel="next"]').click()
    third = shown()
    assert (len(second), len(third)) == (10, 3)
    assert not browser.find_elements(By.CSS_SELECTOR, '#history a[rel="next"]')
    browser.find_element(By.CSS_SELECTOR, '#history a[rel="prev"]').click()
    assert shown() == second
    browser.find_element(By.CSS_SELECTOR, '#history a[rel="prev"]').click()
    # Then each page comes back with the very weeks it showed
    assert shown() == first
    assert set(first) | set(second) | set(third) == {
        f"{(FIRST_MONDAY + timedelta(weeks=w)).day} {FIRST_MONDAY + timedelta(weeks=w):%b %Y}"
        for w in range(23)
    }


@pytest.mark.parametrize(
    "case",
    [
        ("/?before=garbage", 400, "before must be a date as YYYY-MM-DD"),
        ("/?origin=paper", 400, "origin must be live, retrospective or simulated"),
        ("/weeks/2020-01-06", 404, "no batch for the week of 2020-01-06"),
        ("/weeks/tuesday", 400, "the week must be a date as YYYY-MM-DD"),
    ],
)
def test_a_bad_page_address_is_an_html_page_that_says_why(
    browser: webdriver.Chrome, serve: Serve, database_url: str, case: tuple[str, int, str]
) -> None:
    path, status, words = case
    base = serve(DATABASE_URL=database_url)
    with pytest.raises(urllib.error.HTTPError) as answered:
        urllib.request.urlopen(f"{base}{path}", timeout=10)
    assert answered.value.code == status
    assert answered.value.headers["Content-Type"] == "text/html; charset=utf-8"
    browser.get(f"{base}{path}")
    assert words in browser.find_element(By.ID, "error").text


def test_the_favicon_and_head_are_answered(serve: Serve, database_url: str) -> None:
    base = serve(DATABASE_URL=database_url)
    with urllib.request.urlopen(f"{base}/favicon.ico", timeout=10) as icon:
        assert icon.headers["Content-Type"] == "image/svg+xml"
        assert icon.read().startswith(b"<svg")
    head = urllib.request.Request(f"{base}/", method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
        assert answer.read() == b""


def test_with_no_batches_the_page_says_so(
    browser: webdriver.Chrome, serve: Serve, database_url: str
) -> None:
    base = serve(DATABASE_URL=database_url)
    browser.get(f"{base}/")
    assert "No batches yet" in browser.find_element(By.ID, "empty").text
    _screenshot(browser, "dashboard-empty", PHONE)


def test_with_the_database_down_the_page_says_so(
    browser: webdriver.Chrome, serve: Serve, database_url: str
) -> None:
    # Given the API's database unreachable (nobody listens on port 9)
    base = serve(
        DATABASE_URL=database_url,
        READ_ONLY_DATABASE_URL="postgresql://alpha_monday_api@127.0.0.1:9/alpha_monday",
        DATABASE_CONNECT_TIMEOUT_SECONDS="1",
    )
    browser.get(f"{base}/")
    assert "unavailable right now" in browser.find_element(By.ID, "error").text
    _screenshot(browser, "dashboard-database-down", PHONE)
