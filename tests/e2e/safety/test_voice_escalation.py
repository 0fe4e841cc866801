"""Voice escalation end to end: the real twilio library places the call at the fake server's
Calls API; the keypress posted to the signed /voice/ack webhook acknowledges the alert."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from pro_service.core.db import unit_of_work
from pro_service.extensions import db
from pro_service.safety import calls, rota
from pro_service.safety.models import SafetyAlert, VoiceCall
from pro_service.voice.gateway import TwilioVoiceGateway
from tests.e2e.conftest import OPEN_BL, PUBLIC, SENDER, TWILIO_APP, sign
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4646)
ON_CALL, SECOND, ANALYST = fictional_mobile(7601), fictional_mobile(7602), fictional_mobile(7603)
ADMIN = fictional_mobile(7604)
BLEED = "我今天吐血了"


@pytest.fixture
def voice(app, fake_twilio):
    gateway = TwilioVoiceGateway(account_sid=fake_twilio.account_sid,
                                 auth_token=fake_twilio.auth_token, from_number=SENDER,
                                 api_base_url=fake_twilio.url, timeout=2.0)
    app.extensions["pro.voice_gateway"] = gateway
    return gateway


@pytest.fixture
def world(app, make_site, make_staff, make_participant, frozen_clock, twilio_gateway, voice):
    app.extensions["pro.gateway"] = twilio_gateway
    make_site("302")
    people = {"on_call": make_staff("coordinator", alert_phone=ON_CALL),
              "second": make_staff("coordinator", alert_phone=SECOND),
              "analyst": make_staff("analyst", alert_phone=ANALYST),
              "admin": make_staff("admin", alert_phone=ADMIN)}
    rota.add_shift(site=rota.site_by_code("302"), staff=people["on_call"].user, weekdays="daily",
                   start="00:00", end="00:00", now=OPEN_BL)
    make_participant(phone=PHONE, study_id="302-0007")
    return people


def _alert() -> SafetyAlert:
    db.session.expire_all()
    return db.session.scalars(sa.select(SafetyAlert)).one()


def press(client, call, digits: str, *, call_sid: str | None = None, signature: str | None = None):
    """POST the keypress as Twilio would: to the Gather action URL, signed."""
    action = unescape(re.search(r'action="([^"]+)"', call.twiml).group(1))
    assert action.startswith(PUBLIC + "/voice/ack?call=")
    form = {"CallSid": call_sid or call.sid, "Digits": digits, "From": SENDER, "To": call.to,
            "AccountSid": "AC" + "0" * 32}
    db.session.commit()
    resp = client.post(action.removeprefix(PUBLIC), data=form,
                       headers={"X-Twilio-Signature": signature or sign(action, form)})
    db.session.expire_all()
    return resp


def test_an_unacknowledged_emergency_rings_the_next_person_and_pressing_1_acknowledges(
        world, sms_post, tick_at, fake_twilio, frozen_clock, client):
    sms_post(PHONE, BLEED)
    assert fake_twilio.calls == []  # the first step is a text only
    tick_at(OPEN_BL + timedelta(minutes=16))
    [call] = fake_twilio.calls
    assert call.to == SECOND and call.from_ == SENDER
    assert '<Say language="zh-CN">' in call.twiml and "3 0 2, 0 0 0 7" in call.twiml
    assert "消化道出血" in call.twiml and "请按 1" in call.twiml
    assert '<Gather' in call.twiml and 'numDigits="1"' in call.twiml
    row = db.session.scalars(sa.select(VoiceCall)).one()
    assert (row.status, row.provider_sid) == ("placed", call.sid)
    resp = press(client, call, "1")
    assert resp.status_code == 200 and "已确认" in resp.get_data(as_text=True)
    alert = _alert()
    assert (alert.status, alert.ack_via, alert.ack_by_id) == ("acknowledged", "voice",
                                                              world["second"].user.id)
    tick_at(OPEN_BL + timedelta(minutes=40))
    assert len(fake_twilio.calls) == 1 and _alert().escalation_level == 1


def test_another_key_a_forged_signature_or_a_wrong_call_sid_acknowledge_nothing(
        world, sms_post, tick_at, fake_twilio, client):
    sms_post(PHONE, BLEED)
    tick_at(OPEN_BL + timedelta(minutes=16))
    [call] = fake_twilio.calls
    assert "未确认" in press(client, call, "2").get_data(as_text=True)
    assert press(client, call, "1", signature="forged").status_code == 403
    assert press(client, call, "1", call_sid="CA" + "f" * 32).status_code == 404
    assert _alert().status == "open" and _alert().ack_at is None


@pytest.mark.parametrize(("role", "number"), [("analyst", ANALYST), ("admin", ADMIN)])
def test_admins_and_analysts_pressing_1_are_refused_and_nothing_changes(
        world, sms_post, fake_twilio, client, role, number):
    sms_post(PHONE, BLEED)
    alert = _alert()
    with unit_of_work():  # placed at once after the commit
        calls.queue_call(alert, world[role].user, level=1, now=OPEN_BL)
    [call] = [c for c in fake_twilio.calls if c.to == number]
    body = press(client, call, "1").get_data(as_text=True)
    assert "无权确认" in body
    alert = _alert()
    assert alert.status == "open" and alert.ack_at is None


def test_the_call_speaks_english_to_english_speaking_staff(world, sms_post, tick_at, fake_twilio):
    world["second"].user.language = "en"
    db.session.commit()
    sms_post(PHONE, BLEED)
    tick_at(OPEN_BL + timedelta(minutes=16))
    [call] = fake_twilio.calls
    assert '<Say language="en-US">' in call.twiml and "Press 1 to acknowledge" in call.twiml
    assert "GI bleeding" in call.twiml


def test_a_failed_call_is_retried_by_the_scheduler(world, sms_post, tick_at, fake_twilio):
    sms_post(PHONE, BLEED)
    fake_twilio.fail_next(status=503, code=20500)
    fake_twilio.fail_next(status=503, code=20500)  # the SMS of this step, then the call
    tick_at(OPEN_BL + timedelta(minutes=16))
    tick_at(OPEN_BL + timedelta(minutes=17))
    assert [c.to for c in fake_twilio.calls] == [SECOND]


def test_a_call_whose_placer_died_is_placed_once_after_its_lease(world, sms_post, fake_twilio, tick_at,
                                                                 app, monkeypatch):
    monkeypatch.setattr(calls, "place_now", None)  # only the scheduler places calls here
    sms_post(PHONE, BLEED)
    alert = _alert()
    with unit_of_work():
        calls.queue_call(alert, world["second"].user, level=1, now=OPEN_BL)
    # a placer claims the call and dies before dialling or recording anything
    [order] = calls.claim_due_calls(now=OPEN_BL, limit=10, data_key=app.config["DATA_KEY"])
    assert order.number == SECOND and fake_twilio.calls == []
    db.session.expire_all()
    tick_at(OPEN_BL + timedelta(minutes=1))  # within the lease: the claim may still be dialling
    assert fake_twilio.calls == []
    tick_at(OPEN_BL + calls.CALL_LEASE + timedelta(minutes=1))
    assert [c.to for c in fake_twilio.calls] == [SECOND]
    row = db.session.scalars(sa.select(VoiceCall)).one()
    assert (row.status, row.attempts) == ("placed", 2)
    tick_at(OPEN_BL + calls.CALL_LEASE * 3)
    assert len(fake_twilio.calls) == 1  # placed once, never again


def test_a_stranded_call_for_an_acknowledged_alert_is_not_placed(world, sms_post, fake_twilio, tick_at,
                                                                 app, monkeypatch):
    monkeypatch.setattr(calls, "place_now", None)
    sms_post(PHONE, BLEED)
    alert = _alert()
    with unit_of_work():
        calls.queue_call(alert, world["second"].user, level=1, now=OPEN_BL)
    calls.claim_due_calls(now=OPEN_BL, limit=10, data_key=app.config["DATA_KEY"])
    with unit_of_work():
        from pro_service.safety import service as safety

        safety.acknowledge_alert(_alert(), staff=world["on_call"].user, via="dashboard",
                                 now=OPEN_BL + timedelta(minutes=1))
    tick_at(OPEN_BL + calls.CALL_LEASE + timedelta(minutes=1))
    assert fake_twilio.calls == []
    assert db.session.scalars(sa.select(VoiceCall.status)).one() == "cancelled"


def test_one_escalation_step_makes_one_call_whoever_queues_it(world, sms_post, fake_twilio, monkeypatch):
    monkeypatch.setattr(calls, "place_now", None)
    sms_post(PHONE, BLEED)
    alert = _alert()
    with unit_of_work():
        first = calls.queue_call(alert, world["second"].user, level=1, now=OPEN_BL)
        again = calls.queue_call(alert, world["on_call"].user, level=1, now=OPEN_BL)
    assert first is not None and again is None
    # the database holds the rule, not only the code
    with pytest.raises(sa.exc.IntegrityError), unit_of_work() as session:
        session.add(VoiceCall(alert_id=alert.id, staff_id=world["on_call"].user.id, level=1,
                              language="zh-CN", status="queued", attempts=0,
                              created_at=OPEN_BL, updated_at=OPEN_BL))
    db.session.rollback()
    assert db.session.scalars(sa.select(VoiceCall.staff_id)).all() == [world["second"].user.id]
