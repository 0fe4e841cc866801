"""Safety end to end: a symptom texted mid-survey → advice, staff SMS at once, escalation, ACK."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.safety import rota
from pro_service.safety.models import SafetyAlert
from tests.e2e.conftest import BASE, OPEN_BL, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4343)
COORD_1, COORD_2, INVESTIGATOR = fictional_mobile(7101), fictional_mobile(7102), fictional_mobile(7103)
BLEED = "我昨天吐血了，今天大便是黑的"


@pytest.fixture
def world(app, make_site, make_staff, make_participant, frozen_clock, twilio_gateway):
    app.extensions["pro.gateway"] = twilio_gateway
    make_site("302", site_phone="+861012345678")
    staff = {"c1": make_staff("coordinator", alert_phone=COORD_1),
             "c2": make_staff("coordinator", alert_phone=COORD_2),
             "inv": make_staff("investigator", alert_phone=INVESTIGATOR),
             "safety": make_staff("safety_officer", alert_phone=fictional_mobile(7104))}
    p = make_participant(phone=PHONE, baseline=BASE)
    rota.add_shift(site=rota.site_by_code("302"), staff=staff["c1"].user, weekdays="daily",
                   start="00:00", end="00:00", now=OPEN_BL)
    return {"p": p, **staff}


def _to(fake, number):
    return [m for m in fake.messages if m.to == number]


def test_bleed_mid_cldq_escalates_until_acknowledged_and_the_survey_resumes(
        world, tick_at, sms_post, fake_twilio, frozen_clock, send_outbox):
    tick_at(OPEN_BL)
    for text in ("1", "1", "1", "1", "1", "1", "80", "好"):  # EQ-5D done
        sms_post(PHONE, text)
    _, started = sms_post(PHONE, "1")
    assert "（1/29）" in started[0]
    sms_post(PHONE, "5")  # CLDQ item 1 answered: in the middle of the CLDQ survey
    frozen_clock["now"] = OPEN_BL + timedelta(minutes=1)
    before = len(fake_twilio.messages)
    status, replies = sms_post(PHONE, BLEED)
    assert status == 200
    assert len(fake_twilio.messages) == before  # the webhook never waits on the provider
    assert send_outbox()["sent"] == 1  # the sender, woken by the commit, texts the coordinator
    assert "120" in replies[0] and "急诊" in replies[0]
    assert "（2/29）" in replies[1]  # the survey item is asked again: the survey resumes
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    assert (alert.category, alert.urgency, alert.source) == ("gi_bleeding", "emergency", "free_text")
    first = _to(fake_twilio, COORD_1)
    assert len(first) == 1 and alert.code in first[0].body and "302-" in first[0].body
    assert PHONE not in first[0].body and BLEED not in first[0].body
    tick_at(OPEN_BL + timedelta(minutes=10))
    assert _to(fake_twilio, COORD_2) == []
    tick_at(OPEN_BL + timedelta(minutes=17))
    assert len(_to(fake_twilio, COORD_2)) == 1 and _to(fake_twilio, INVESTIGATOR) == []
    tick_at(OPEN_BL + timedelta(minutes=33))
    assert len(_to(fake_twilio, INVESTIGATOR)) == 1
    frozen_clock["now"] = OPEN_BL + timedelta(minutes=35)
    _, ack = sms_post(COORD_2, f"ACK {alert.code}")
    assert "acknowledged" in ack[0]
    tick_at(OPEN_BL + timedelta(hours=2))
    db.session.refresh(alert)
    assert alert.status == "acknowledged" and alert.ack_by_id == world["c2"].user.id
    assert alert.escalation_level == 2 and alert.next_escalation_at is None
    assert len(fake_twilio.messages) == 2 + 3  # two invitations, three alert texts, nothing after ACK
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "safety_alert")).all()
    assert actions.count("alert.escalate") == 2 and "alert.acknowledge" in actions
    _, resumed = sms_post(PHONE, "6")
    assert "（3/29）" in resumed[0]


@pytest.mark.parametrize("text", ["这周没有出血", "no bleeding this week", "隔壁床的病友拉黑便",
                                  "what if I vomit blood?"])
def test_negated_hypothetical_and_someone_elses_texts_raise_nothing(world, sms_post, text):
    sms_post(PHONE, text)
    assert db.session.scalar(sa.select(sa.func.count(SafetyAlert.id))) == 0


def test_the_same_symptom_twice_within_an_hour_is_one_alert_with_two_pieces_of_evidence(
        world, sms_post, frozen_clock, fake_twilio, send_outbox):
    sms_post(PHONE, "今天拉黑便")
    send_outbox()
    frozen_clock["now"] = OPEN_BL + timedelta(minutes=40)
    sms_post(PHONE, "又拉了黑色的大便")
    send_outbox()
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    assert len(alert.evidence) == 2
    assert len(_to(fake_twilio, COORD_1)) == 1


def test_an_ack_from_an_unknown_phone_changes_nothing(world, sms_post):
    sms_post(PHONE, BLEED)
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    _, replies = sms_post(fictional_mobile(9999), f"ACK {alert.code}")
    db.session.refresh(alert)
    assert alert.status == "open" and alert.ack_at is None
    assert "does not accept" in replies[0]


def test_a_coordinator_cannot_triage_but_an_investigator_can_and_sae_starts_the_clock(
        world, sms_post, client, frozen_clock):
    sms_post(PHONE, BLEED)
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    url = f"/api/alerts/{alert.id}/triage"
    body = {"classification": "sae", "note": "admitted with variceal bleed"}
    assert client.post(url, json=body, headers=world["c1"].headers).status_code == 403
    resp = client.post(url, json=body, headers=world["inv"].headers)
    assert resp.status_code == 200, resp.json
    assert resp.json["triage"] == "sae" and resp.json["meddra_term"] == "Haematemesis"
    db.session.refresh(alert)
    assert alert.sae_report_due_at == alert.ack_at + timedelta(hours=24)


def test_structured_yes_answers_and_score_rules_raise_alerts(app, world):
    from pro_service.responses import service as responses
    from pro_service.schedule.models import Occasion
    from tests.factories import valid_answers

    instruments = app.extensions["pro.instruments"]
    occ = db.session.scalars(sa.select(Occasion).where(Occasion.instrument == "EQ5D5L")).first()
    occ.status = "open"
    answers = {**valid_answers(instruments["EQ5D5L"]), "AD": 5}
    responses.submit_response(occ.id, answers, instrument=instruments["EQ5D5L"], channel="web",
                              now=OPEN_BL, actor="participant")
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    assert (alert.source, alert.category, alert.urgency) == ("score_rule", "other", "routine")


def test_alerts_api_lists_and_scopes(world, sms_post, client, make_site, make_staff):
    sms_post(PHONE, BLEED)
    make_site("303")
    other = make_staff("coordinator", ("303",))
    analyst = make_staff("analyst")
    listing = client.get("/api/alerts?urgency=emergency", headers=world["c1"].headers).json
    assert listing["total"] == 1 and listing["items"][0]["category"] == "gi_bleeding"
    alert_id = listing["items"][0]["id"]
    detail = client.get(f"/api/alerts/{alert_id}", headers=world["safety"].headers).json
    assert detail["evidence"][0]["excerpt"] and detail["thread"]
    assert client.get(f"/api/alerts/{alert_id}", headers=other.headers).status_code == 404
    assert client.get("/api/alerts", headers=other.headers).json["total"] == 0
    assert client.get("/api/alerts", headers=analyst.headers).status_code == 403
    ack = client.post(f"/api/alerts/{alert_id}/ack", headers=world["c1"].headers)
    assert ack.status_code == 200 and ack.json["status"] == "acknowledged" and ack.json["ack_via"] == "api"


def test_webhook_to_staff_sms_latency_with_the_sender_thread(
        app, make_site, make_staff, make_participant, frozen_clock, twilio_gateway, sms_post,
        fake_twilio, capsys):
    """Webhook answered without the provider; the scheduler's sender texts staff within a second."""
    from scheduler.sender import Sender

    make_site("302")
    coordinator = make_staff("coordinator", alert_phone=COORD_1)
    rota.add_shift(site=rota.site_by_code("302"), staff=coordinator.user, weekdays="daily",
                   start="00:00", end="00:00", now=OPEN_BL)
    phones = [fictional_mobile(8000 + i) for i in range(20)]
    for phone in phones:
        make_participant(phone=phone, baseline=BASE)
    db.session.commit()
    sender = Sender(app, twilio_gateway, idle_seconds=30).start()  # only NOTIFY or the poll wakes it
    alert_to_sms, webhook = [], []
    try:
        for phone in phones:
            before = len(fake_twilio.messages)
            start = time.perf_counter()
            status, _ = sms_post(phone, BLEED)
            webhook.append(time.perf_counter() - start)
            assert status == 200
            deadline = time.monotonic() + 30  # a generous bound: a loaded CI machine is slow, not wrong
            while len(fake_twilio.messages) == before and time.monotonic() < deadline:
                time.sleep(0.005)
            assert len(fake_twilio.messages) == before + 1
            alert_to_sms.append(time.perf_counter() - start)
    finally:
        sender.stop()
    median_ms = statistics.median(alert_to_sms) * 1000
    with capsys.disabled():
        print(f"\nwebhook → staff SMS at the fake Twilio server (sender thread, "
              f"{db.engine.dialect.name}): median {median_ms:.0f} ms, webhook itself median "
              f"{statistics.median(webhook) * 1000:.0f} ms over 20")
    assert [m.to for m in fake_twilio.messages] == [COORD_1] * 20
