"""Browser fixtures for every page test: the app on a live local server, Debian's Chromium through
Playwright, phone and desktop contexts, a signed-in staff browser and screenshots.

Registered for the whole suite in ``tests/conftest.py``; browser tests carry ``@pytest.mark.browser``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from pro_service.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
STAFF_PASSWORD = "correct horse battery staple"  # noqa: S105 - test credential


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


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A new desktop browser (own cookies) at 1280×900; options override."""
    contexts = []

    def open_desktop(**options: Any) -> Page:
        context = browser.new_context(**{"viewport": DESKTOP, "locale": "zh-CN", **options})
        contexts.append(context)
        return context.new_page()

    yield open_desktop
    for context in contexts:
        context.close()


def sign_in(page: Page, base_url: str, email: str, *, lang: str = "zh-CN",
            next_path: str = "", password: str = STAFF_PASSWORD) -> None:
    """Sign a staff member in through the login form (in ``lang``), landing on ``next_path``."""
    target = f"{base_url}/dashboard/login?lang={lang}" + (f"&next={next_path}" if next_path else "")
    page.goto(target)
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def staff_browser(make_site, make_staff, live_server: str, phone, desktop) -> Callable[..., Page]:
    """A browser signed in as new staff: ``staff_browser("coordinator", lang="en", wide=True)``.

    Creates site 302 unless ``sites`` names existing ones; returns the page on the dashboard.
    """
    made: set[str] = set()

    def open_as(role: str = "coordinator", *, lang: str = "zh-CN", wide: bool = False,
                sites: tuple[str, ...] = ("302",), next_path: str = "", **staff: Any) -> Page:
        from pro_service.staff.models import Site

        for code in sites:
            if code not in made and db.session.query(Site).filter_by(code=code).first() is None:
                make_site(code)
            made.add(code)
        email = make_staff(role, sites=sites, password=STAFF_PASSWORD, **staff).user.email
        settle()  # read nothing from the database after this: SQLite would hold its write lock
        page = (desktop if wide else phone)(locale=lang)
        sign_in(page, live_server, email, lang=lang, next_path=next_path)
        return page

    return open_as


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-output/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_scroll(page: Page) -> bool:
    """Whether the page fits its viewport's width (nothing cut off on a phone)."""
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def settle() -> None:
    """End the test's own read transaction (SQLite BEGIN IMMEDIATE holds the write lock)."""
    db.session.commit()
    db.session.expire_all()
