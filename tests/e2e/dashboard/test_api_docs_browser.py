"""The interactive API docs render in Chromium with every request kept on this server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from tests.browser import shot

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_from_local_assets_only(live_server, desktop):
    page = desktop(locale="en")
    elsewhere: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(live_server) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(f"{live_server}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("pro-service")
    expect(page.locator(".swagger-ui .btn.authorize")).to_be_visible()  # bearer auth declared
    expect(page.locator("#swagger-ui-container")).to_contain_text("/api/exports/cuts")
    assert elsewhere == []
    shot(page, "api-docs-desktop")
