"""In clinic, in Chromium: a coordinator starts the baseline questionnaire on a site device from the
participant page, the participant answers it alone in their language, channel `clinic`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from pro_service.extensions import db
from pro_service.responses import service as responses
from pro_service.schedule.models import Occasion
from tests.browser import no_horizontal_scroll, settle, shot

pytestmark = pytest.mark.browser

# The baseline visit day; the participant is registered the same morning (BL window ends tonight).
VISIT = datetime(2027, 1, 11, 3, 0, tzinfo=UTC)  # 11:00 Shanghai


@pytest.fixture
def at_visit(monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: VISIT)


def _answer_eq5d(page: Page, instruments) -> None:
    page.get_by_role("link", name="开始").click()
    for item in instruments["EQ5D5L"].items[:5]:
        page.get_by_role("radio", name=item.choices[1].label["zh-CN"], exact=True).check()
        page.get_by_role("button", name="下一页").click()
    page.get_by_role("spinbutton").fill("65")
    page.get_by_role("button", name="下一页").click()
    page.get_by_role("button", name="提交我的回答").click()
    expect(page.get_by_role("heading", name="谢谢您！")).to_be_visible()
    expect(page.get_by_text("请把设备交还给研究人员。")).to_be_visible()


def test_in_clinic_baseline_on_the_visit_day_through_the_browser(app, at_visit, staff_browser,
                                                                 make_participant):
    page = staff_browser("coordinator", lang="zh-CN", name="Zhang Wei")
    make_participant(study_id="302-0001", baseline=date(2027, 1, 11), now=VISIT)
    settle()
    page.goto(page.url.split("/dashboard")[0] + "/dashboard/participants/302-0001")
    page.get_by_role("link", name="门诊填写或录入纸质问卷").click()
    expect(page.get_by_role("heading", name="门诊填写与纸质问卷：302-0001")).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, "clinic-occasions-zh-phone")
    card = page.locator("li.card").filter(has_text="BL").filter(has_text="EQ-5D-5L")
    card.get_by_role("button", name="门诊填写").click()

    expect(page).to_have_url(re.compile(r"/s/f/\d+/$"))
    expect(page.get_by_role("heading", name="EQ-5D-5L 健康状况问卷")).to_be_visible()
    expect(page.get_by_text("您正在使用研究中心的设备填写")).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, "clinic-form-started-from-dashboard-zh-phone")
    _answer_eq5d(page, app.extensions["pro.instruments"])

    settle()
    occ = db.session.scalar(sa.select(Occasion).where(Occasion.timepoint == "BL",
                                                      Occasion.instrument == "EQ5D5L"))
    response = responses.current_response(occ.id)
    assert occ.status == "completed"
    assert response.channel == "clinic" and response.answers["VAS"] == 65
    assert response.provenance["facilitator"]["name"] == "Zhang Wei"
    assert response.actor == "participant:302-0001"


def test_an_in_clinic_link_works_only_for_the_login_that_started_it(app, at_visit, staff_browser,
                                                                    make_participant, client,
                                                                    make_staff, live_server):
    first = staff_browser("coordinator", lang="en", wide=True)
    make_participant(study_id="302-0001", baseline=date(2027, 1, 11), now=VISIT)
    settle()
    first.goto(live_server + "/dashboard/participants/302-0001/clinic")
    shot(first, "clinic-occasions-en-desktop")
    with first.expect_navigation():
        first.locator("li.card").filter(has_text="CLDQ").first.get_by_role(
            "button", name="Start in clinic").click()
    started_at = first.url
    assert "/s/f/" in started_at
    settle()
    token_path = db.session.scalar(sa.text("select count(*) from clinic_sessions"))
    assert token_path == 1

    other = staff_browser("coordinator", lang="en")
    other.goto(started_at)  # the form's page without the session's token: refused
    assert other.locator("body").inner_text().strip() != ""
    expect(other.get_by_role("heading", name=re.compile("EQ-5D|CLDQ|Chronic"))).to_have_count(0)
