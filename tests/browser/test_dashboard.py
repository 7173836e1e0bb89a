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

import psycopg
import pytest

from alpha_monday.db.batches import create_batch, set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
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


def test_the_dashboard_shows_the_latest_batch_the_history_and_the_track_record(
    browser: webdriver.Chrome, serve: Serve, conn: psycopg.Connection, database_url: str
) -> None:
    # Given seeded batches, served by `alpha-monday serve`
    _seed(conn)
    base = serve(DATABASE_URL=database_url)
    # When a person opens the dashboard
    browser.set_window_size(*DESKTOP)
    browser.get(f"{base}/")
    # Then the latest batch shows its three picks, each with its action and reasoning
    latest = browser.find_element(By.ID, "latest")
    rows = latest.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [row.find_elements(By.TAG_NAME, "td")[0].text for row in rows] == [
        "AAPL",
        "MSFT",
        "NVDA",
        "SPY",
    ]
    assert "AAPL looks buy-worthy" in latest.text
    # And its chart has a line per pick and SPY, each with a point per trading day
    for serie in range(4):
        dots = latest.find_elements(By.CSS_SELECTOR, f"#latest-chart .serie-{serie} circle.dot")
        assert len(dots) == len(LATEST_DAYS), serie
    # And the history badges each batch with its origin
    badges = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#history .badge")]
    assert badges == ["live", "simulated", "live", "live", "live"]
    # And the track record says, in plain words, that three live batches could be chance
    verdict = browser.find_element(By.CSS_SELECTOR, "#track-record .verdict").text
    assert "over 3 batches" in verdict
    assert "could be chance" in verdict
    alpha_dots = browser.find_elements(By.CSS_SELECTOR, "#alpha-chart circle.dot")
    assert len(alpha_dots) == 3
    desktop = _screenshot(browser, "dashboard-desktop", DESKTOP)
    # And on a phone the page fits the screen's width (tables scroll inside their box)
    phone = _screenshot(browser, "dashboard-phone", PHONE)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 1
    assert desktop.stat().st_size > 10_000
    assert phone.stat().st_size > 10_000


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
    assert "unavailable right now" in browser.find_element(By.ID, "unavailable").text
    _screenshot(browser, "dashboard-database-down", PHONE)
