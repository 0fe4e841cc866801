"""The safety desk in Chromium at phone and desktop width, in zh-CN and en: a coordinator opens
the link from the staff SMS, signs in, lands on the alert, reads the message, acknowledges and logs
a call; an investigator triages it as an SAE and sees the reporting deadline."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants.service import Keys
from pro_service.safety import rota
from pro_service.safety.models import AlertContact, SafetyAlert
from pro_service.sms import service as sms
from tests.browser import STAFF_PASSWORD, no_horizontal_scroll, settle, shot
from tests.factories import fictional_mobile

pytestmark = pytest.mark.browser
WORDS = "我今天早上吐血了，吐了好几口"
TEXT = {"zh-CN": {"ack": "确认收到", "log": "记录通话", "triage": "保存分级", "sae": "严重不良事件",
                  "due": "SAE 报告截止", "queue": "安全警报", "bleed": "消化道出血"},
        "en": {"ack": "Acknowledge", "log": "Log the call", "triage": "Save triage", "sae": "SAE",
               "due": "SAE report due", "queue": "Safety alerts", "bleed": "GI bleeding"}}


@pytest.fixture
def reported(app, make_site, make_staff, make_participant):
    """A participant texts a bleed; the on-call coordinator's SMS carries the alert link."""
    make_site("302")
    coordinator = make_staff("coordinator", email="coord@example.test", password=STAFF_PASSWORD,
                             alert_phone=fictional_mobile(7801))
    make_staff("safety_officer", alert_phone=fictional_mobile(7803))  # so the alert escalates
    rota.add_shift(site=rota.site_by_code("302"), staff=coordinator.user, weekdays="daily",
                   start="00:00", end="00:00", now=clock.now())
    phone = fictional_mobile(7802)
    make_participant(study_id="302-0042", phone=phone)
    ctx = sms.Context(keys=Keys(app.config["DATA_KEY"], app.config["INDEX_KEY"]),
                      instruments=app.extensions["pro.instruments"],
                      public_base_url=app.config["PUBLIC_BASE_URL"])
    sms.handle_inbound(sms.Inbound("SM" + "7" * 32, phone, WORDS), ctx=ctx, now=clock.now())
    body = db.session.scalars(sa.select(Message.body).where(Message.kind == "staff_alert")).one()
    link = re.search(r"https?://\S+/dashboard/alerts/\d+", body).group(0)
    settle()
    return link.removeprefix(app.config["PUBLIC_BASE_URL"])


@pytest.mark.parametrize(("lang", "wide"), [("zh-CN", False), ("en", False), ("zh-CN", True),
                                            ("en", True)])
def test_coordinator_follows_the_sms_link_acknowledges_logs_a_call_then_investigator_triages_sae(
        reported, live_server, phone, desktop, staff_browser, lang, wide):
    t, size = TEXT[lang], "desktop" if wide else "phone"
    page = (desktop if wide else phone)(locale=lang)
    page.goto(f"{live_server}{reported}?lang={lang}")
    expect(page).to_have_url(re.compile(r"/dashboard/login\?"))
    page.fill("#email", "coord@example.test")
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(reported) + r"(\?lang=[a-zA-Z-]+)?$"))
    expect(page.locator(".participant-words")).to_have_text(WORDS)
    expect(page.locator("h1")).to_contain_text(t["bleed"])
    expect(page.locator("main")).to_contain_text("UTC+8")
    assert no_horizontal_scroll(page)
    shot(page, f"alerts-alert-page-{lang}-{size}")
    page.goto(f"{live_server}/dashboard/alerts")
    expect(page.locator("h1")).to_have_text(t["queue"])
    expect(page.locator(".alert-queue")).to_contain_text(WORDS)
    expect(page.locator(".alert-queue .countdown")).to_be_visible()  # time left to escalation
    assert no_horizontal_scroll(page)
    shot(page, f"alerts-queue-{lang}-{size}")
    page.locator(".alert-link").first.click()
    page.get_by_role("button", name=t["ack"]).click()
    expect(page.locator(".ack-by")).to_contain_text("coordinator")
    page.select_option("#outcome", "reached")
    page.fill("#contact-note", "Advised emergency department now" if lang == "en" else "已建议立即去急诊")
    page.get_by_role("button", name=t["log"]).click()
    expect(page.locator(".contacts")).to_contain_text("急诊" if lang == "zh-CN" else "emergency")
    assert no_horizontal_scroll(page)
    shot(page, f"alerts-acknowledged-call-logged-{lang}-{size}")

    investigator = staff_browser("investigator", lang=lang, wide=wide, next_path=reported)
    expect(investigator).to_have_url(re.compile(re.escape(reported) + r"(\?lang=[a-zA-Z-]+)?$"))
    investigator.get_by_label(t["sae"], exact=True).check()
    investigator.get_by_role("button", name=t["triage"]).click()
    expect(investigator.locator(".sae-due")).to_contain_text("UTC+8")
    expect(investigator.locator(".sae-due .countdown")).to_be_visible()
    expect(investigator.locator("main")).to_contain_text(t["due"])
    assert no_horizontal_scroll(investigator)
    shot(investigator, f"alerts-sae-deadline-{lang}-{size}")
    settle()
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    assert (alert.status, alert.ack_via, alert.triage) == ("triaged", "dashboard", "sae")
    assert db.session.scalar(sa.select(sa.func.count(AlertContact.id))) == 1


@pytest.mark.parametrize(("lang", "wide"), [("zh-CN", False), ("en", True)])
def test_an_investigator_sees_the_rota_gap_and_closes_it(staff_browser, make_site, make_staff, lang,
                                                         wide):
    make_site("302", timezone="Asia/Shanghai")
    make_staff("coordinator", email="night@example.test", name="Night Nurse",
               alert_phone=fictional_mobile(7811))
    page = staff_browser("investigator", lang=lang, wide=wide, next_path="/dashboard/alerts/rota")
    expect(page.locator(".banner-warning")).to_contain_text("302")
    expect(page.locator(".gap-now")).to_be_visible()
    page.select_option("#staff-302", label="Night Nurse (coordinator)")
    page.fill("#days-302", "daily")
    page.fill("#start-302", "00:00")
    page.fill("#end-302", "00:00")
    page.locator(".rota-form button[type=submit]").click()
    expect(page.locator(".on-call-now")).to_contain_text("Night Nurse")
    expect(page.locator(".gaps")).to_contain_text("0")
    expect(page.locator(".banner-warning")).to_have_count(0)
    assert no_horizontal_scroll(page)
    shot(page, f"alerts-rota-{lang}-{'desktop' if wide else 'phone'}")
