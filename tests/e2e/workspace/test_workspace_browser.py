"""The staff workspace in Chromium: enrol, participant page, correction, anchor change, status
grid, admin; zh-CN and en, phone (390×844) and desktop (1280×900); labels, headings, keyboard."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.responses.models import Response
from tests.browser import no_horizontal_scroll, settle, shot
from tests.factories import T0
from tests.workspace_history import count_statements, with_history  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
NOW = T0 + timedelta(weeks=20)
VIEWS = [("zh-CN", False), ("en", True)]


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _name(base: str, lang: str, wide: bool) -> str:
    return f"workspace-{base}-{lang}-{'desktop' if wide else 'phone'}"


def accessible(page: Page) -> None:
    """Every visible form control has a label, headings never skip a level, one h1."""
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input,select,textarea')]
        .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.name)""")
    assert unlabelled == []
    levels = page.evaluate("() => [...document.querySelectorAll('main h1,main h2,main h3,main h4')]"
                           ".map(h => +h.tagName[1])")
    assert levels and levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert no_horizontal_scroll(page)


@pytest.mark.parametrize(("lang", "wide"), VIEWS)
def test_enrol_open_the_participant_and_see_the_schedule(staff_browser, lang, wide):
    page = staff_browser("coordinator", lang=lang, wide=wide, next_path="/dashboard/participants/new")
    accessible(page)
    page.fill("#f-study_id", "302-0042")
    page.fill("#f-site", "302")
    page.fill("#f-phone", "+8613123456642")
    page.fill("#f-baseline", (NOW.date() + timedelta(days=3)).isoformat())
    page.click("button.primary")
    expect(page).to_have_url(re.compile(r"/dashboard/participants/302-0042$"))
    expect(page.locator("#schedule li.occasion").first).to_be_visible()
    expect(page.locator("#schedule")).to_contain_text("UTC+8")
    accessible(page)
    shot(page, _name("enrolled-participant", lang, wide))
    page.goto(page.url.rsplit("/", 1)[0])
    expect(page.locator("main")).to_contain_text("302-0042")


@pytest.mark.parametrize(("lang", "wide"), [("zh-CN", False), ("zh-CN", True), ("en", False)])
def test_the_participant_page_with_plots(staff_browser, with_history, lang, wide):
    with_history(1)
    page = staff_browser("coordinator", lang=lang, wide=wide, next_path="/dashboard/participants/302-0001")
    expect(page.locator("figure.plot svg")).to_have_count(3)
    expect(page.locator("#plot-eq-vas svg title")).to_have_text("EQ VAS（自评健康）" if lang == "zh-CN" else "EQ VAS")
    accessible(page)
    shot(page, _name("participant-page", lang, wide))


@pytest.mark.parametrize(("lang", "wide"), [("en", False), ("zh-CN", True)])
def test_correct_an_answer_with_a_reason_and_see_the_new_score(staff_browser, with_history, lang, wide):
    (p,) = with_history(1)
    resp = db.session.scalar(sa.select(Response).where(Response.participant_id == p.id,
                                                       Response.instrument == "EQ5D5L",
                                                       Response.status == "complete"))
    settle()
    page = staff_browser("coordinator", lang=lang, wide=wide,
                         next_path=f"/dashboard/participants/302-0001/responses/{resp.id}/correct")
    accessible(page)
    page.fill("#i-VAS", "13")
    page.fill("#reason", "transcription error" if lang == "en" else "抄写错误")
    page.locator("button.primary").click()
    expect(page.locator(f"#response-{resp.id}")).to_contain_text("superseded" if lang == "en" else "已被取代")
    current = page.locator(".version:not(.superseded)", has_text="EQ5D_VAS 13")
    expect(current).to_have_count(1)
    shot(page, _name("corrected-answer", lang, wide))


@pytest.mark.parametrize(("lang", "wide"), [("zh-CN", False), ("en", True)])
def test_change_an_anchor_after_seeing_what_moves(staff_browser, with_history, lang, wide):
    (p,) = with_history(1)
    new_base = p.baseline - timedelta(days=2)
    settle()
    page = staff_browser("coordinator", lang=lang, wide=wide, next_path="/dashboard/participants/302-0001")
    page.fill("#a-baseline", new_base.isoformat())
    page.locator("#anchors button[type=submit]").click()
    expect(page.locator("table.plan tbody tr").first).to_be_visible()
    accessible(page)
    shot(page, _name("anchor-preview", lang, wide))
    page.fill("#reason", "visit moved")
    page.locator("button.primary").click()
    expect(page).to_have_url(re.compile(r"/dashboard/participants/302-0001#schedule$"))
    settle()
    assert db.session.get(Participant, p.id).baseline == new_base


@pytest.mark.parametrize(("lang", "wide"), [("zh-CN", False), ("zh-CN", True), ("en", True)])
def test_the_status_grid_with_filters(staff_browser, with_history, lang, wide):
    with_history(3, sites=("301", "302"))
    page = staff_browser("admin", lang=lang, wide=wide, next_path="/dashboard/status")
    expect(page.locator("table.status-grid tbody tr")).to_have_count(6)
    page.fill("#site", "302")
    page.select_option("#instrument", "all")
    page.locator(".filters button").click()
    expect(page).to_have_url(re.compile(r"site=302"))
    expect(page.locator("table.status-grid tbody tr")).to_have_count(3)
    expect(page.locator("table.site-summary tbody tr")).to_have_count(1)
    accessible(page)
    shot(page, _name("status-grid", lang, wide))
    page.locator("td.cell-completed a").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/participants/302-\d{4}#response-\d+$"))


@pytest.mark.parametrize(("lang", "wide"), [("en", False), ("zh-CN", True)])
def test_an_admin_creates_a_coordinator(staff_browser, lang, wide):
    page = staff_browser("admin", lang=lang, wide=wide, next_path="/dashboard/admin")
    page.locator("#new-staff summary").click()
    page.fill("#f-name", "Coordinator Zhao")
    page.fill("#f-email", "zhao@example.test")
    page.select_option("#f-role", "coordinator")
    page.check("input[name=sites][value='302']")
    page.fill("#f-password", "a sufficiently long one")
    accessible(page)
    page.locator("#new-staff button.primary").click()
    expect(page.locator(".flash-success")).to_contain_text("Coordinator Zhao")
    expect(page.locator(".staff-list")).to_contain_text("zhao@example.test")
    shot(page, _name("admin-created-coordinator", lang, wide))


def test_keyboard_only_reaches_a_participant_from_the_list(staff_browser, with_history):
    with_history(1)
    page = staff_browser("coordinator", lang="en", next_path="/dashboard/participants")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "302-0001":
            break
    else:
        pytest.fail("the participant link is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard/participants/302-0001$"))
    snapshot = page.locator("main").aria_snapshot()
    assert "heading \"Participant 302-0001\" [level=1]" in snapshot
