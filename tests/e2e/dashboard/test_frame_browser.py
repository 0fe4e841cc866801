"""The dashboard frame in Chromium: sign in from a link, phone width, both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import no_horizontal_scroll, settle, shot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "wide"), [("zh-CN", False), ("en", True)])
def test_staff_sign_in_from_a_link_and_land_on_that_page(staff_browser, make_participant, lang, wide):
    page = staff_browser("coordinator", lang=lang, wide=wide, next_path="/dashboard/participants")
    make_participant(study_id="302-0007")
    settle()
    page.reload()
    expect(page).to_have_url(re.compile(r"/dashboard/participants$"))
    expect(page.locator("h1")).to_have_text("受试者" if lang == "zh-CN" else "Participants")
    expect(page.locator("main")).to_contain_text("302-0007")
    expect(page.locator("nav")).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, f"dashboard-frame-participants-{lang}-{'desktop' if wide else 'phone'}")
