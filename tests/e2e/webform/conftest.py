"""Browser fixtures: the app on a live local server and Debian's Chromium through Playwright."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from pro_service.extensions import db
from tests.integration.webform.conftest import clock_at, link, symptom_link  # noqa: F401 - fixtures

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PHONE = {"width": 390, "height": 844}



class _QuietHandler(WSGIRequestHandler):
    """No request lines: the first request of a visit carries the link's token."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app served on a free loopback port, against the test's database."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    db.session.commit()  # SQLite: the test holds no transaction while the server writes
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-zenhei "
                    "(.ci/run does)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A new phone browser (own cookies) at 390×844 in Chinese; options override."""
    contexts = []

    def open_phone(**options: Any) -> Page:
        context = browser.new_context(**{"viewport": PHONE, "locale": "zh-CN",
                                         "device_scale_factor": 2, "is_mobile": True,
                                         "has_touch": True, **options})
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def settle() -> None:
    """End the test's own read transaction (SQLite BEGIN IMMEDIATE holds the write lock)."""
    db.session.commit()
    db.session.expire_all()
