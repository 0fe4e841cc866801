"""`make run` demo: the dev SMS inbox sends as a staff phone (ACK by SMS) and the dev phone page
presses a key on an escalation call placed through the console voice gateway."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from pro_service.core.db import unit_of_work
from pro_service.extensions import db
from pro_service.messages.gateway import ConsoleGateway
from pro_service.safety import rota
from pro_service.safety import service as safety
from pro_service.safety.models import SafetyAlert, VoiceCall
from scheduler.jobs import tick
from tests.factories import T0, fictional_mobile


def _token(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def _world(make_site, make_staff, make_participant):
    make_site("302")
    coordinator = make_staff("coordinator", email="c@example.test", alert_phone=fictional_mobile(7901))
    make_staff("investigator", email="i@example.test", alert_phone=fictional_mobile(7902))
    rota.add_shift(site=rota.site_by_code("302"), staff=coordinator.user, weekdays="daily",
                   start="00:00", end="00:00", now=T0)
    p = make_participant()
    with unit_of_work():
        alert, _ = safety.raise_alert(p, category="gi_bleeding", urgency="emergency",
                                      source="free_text", evidence={"excerpt": "吐血"}, now=T0)
    return alert


def test_the_dev_inbox_sends_ack_as_a_staff_phone(app, client, make_site, make_staff,
                                                  make_participant):
    alert = _world(make_site, make_staff, make_participant)
    token = _token(client, "/dev/sms/")
    resp = client.post("/dev/sms/staff-reply", data={"csrf_token": token, "email": "c@example.test",
                                                     "body": f"ACK {alert.code}"})
    assert resp.status_code == 302
    db.session.expire_all()
    fresh = db.session.get(SafetyAlert, alert.id)
    assert (fresh.status, fresh.ack_via) == ("acknowledged", "sms")
    assert "acknowledged" in client.get("/dev/sms/").text


def test_the_dev_phone_presses_1_on_a_console_escalation_call(app, client, make_site, make_staff,
                                                              make_participant):
    alert = _world(make_site, make_staff, make_participant)
    db.session.commit()
    tick(app, now=T0 + timedelta(minutes=16), gateway=ConsoleGateway())
    call = db.session.scalars(sa.select(VoiceCall)).one()
    assert call.status == "placed" and call.provider_sid.startswith("CACONSOLE")
    page = client.get("/dev/voice/").text
    assert "Press 1" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/dev/voice/{call.id}/press", data={"csrf_token": token, "digits": "1",
                                                     "call_sid": call.provider_sid})
    db.session.expire_all()
    fresh = db.session.get(SafetyAlert, alert.id)
    assert (fresh.status, fresh.ack_via) == ("acknowledged", "voice")


def test_the_dev_pages_do_not_exist_in_production_like_setups(app, client):
    app.config["SMS_GATEWAY"] = "twilio"
    assert client.get("/dev/voice/").status_code == 404
    assert client.get("/dev/sms/").status_code == 404
