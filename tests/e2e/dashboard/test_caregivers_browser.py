"""Caregivers pages in Chromium (issue 12): register from the participant page, see the
errors of bad input, deactivate with a reason; 390 px and desktop, zh-CN and en."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from pro_service.extensions import db
from pro_service.participants.models import Caregiver
from tests.browser import no_horizontal_scroll, settle, shot
from tests.factories import fictional_mobile

pytestmark = pytest.mark.browser
CARER = fictional_mobile(6801)


def test_a_coordinator_registers_a_caregiver_on_a_phone_in_chinese(app, staff_browser,
                                                                   make_participant):
    page = staff_browser("coordinator", lang="zh-CN")
    make_participant(study_id="302-0031")
    settle()
    page.goto(page.url.split("/dashboard")[0] + "/dashboard/participants/302-0031")
    page.get_by_role("link", name="照护者及其手机").click()
    expect(page.get_by_role("heading", name="302-0031 的照护者")).to_be_visible()
    expect(page.get_by_text("尚未登记照护者。")).to_be_visible()
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("与受试者的关系").fill("女儿")
    page.get_by_label("手机号码").fill("12345")
    page.get_by_label("知情同意日期").fill("2026-11-20")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("p.error, .flash-error").first).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, "caregivers-register-error-zh-phone")
    page.get_by_label("手机号码").fill(CARER)
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("照护者已登记。")).to_be_visible()
    card = page.locator("li.card").filter(has_text="王芳")
    expect(card).to_contain_text("女儿")
    expect(card).to_contain_text(CARER)
    assert no_horizontal_scroll(page)
    shot(page, "caregivers-list-zh-phone")
    settle()
    cg = db.session.scalars(sa.select(Caregiver)).one()
    assert (cg.name, cg.relation, cg.active) == ("王芳", "女儿", True)
    assert CARER not in cg.phone_index


def test_a_coordinator_deactivates_a_caregiver_on_a_desktop_in_english(app, staff_browser,
                                                                       make_participant):
    page = staff_browser("coordinator", lang="en", wide=True)
    make_participant(study_id="302-0032")
    settle()
    page.goto(page.url.split("/dashboard")[0] + "/dashboard/participants/302-0032/caregivers")
    page.get_by_label("Name").fill("John Smith")
    page.get_by_label("Relation to the participant").fill("son")
    page.get_by_label("Mobile phone").fill(CARER)
    page.get_by_label("Consent date").fill("2026-11-20")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text("Caregiver registered.")).to_be_visible()
    shot(page, "caregivers-list-en-desktop")
    card = page.locator("li.card").filter(has_text="John Smith")
    card.get_by_label("Reason").fill("moved abroad")
    card.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("Caregiver deactivated.")).to_be_visible()
    expect(page.locator("li.card").filter(has_text="John Smith")).to_contain_text("no longer in use")
    assert no_horizontal_scroll(page)
    shot(page, "caregivers-deactivated-en-desktop")


def test_an_analyst_may_not_open_the_caregivers_page(app, staff_browser, make_participant):
    page = staff_browser("analyst", lang="en")
    make_participant(study_id="302-0033")
    settle()
    resp = page.goto(page.url.split("/dashboard")[0] + "/dashboard/participants/302-0033/caregivers")
    assert resp is not None and resp.status == 403
