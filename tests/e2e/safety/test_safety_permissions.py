"""Who may acknowledge and triage an alert: one service rule, the same answer on every channel.

Role × channel matrix: SMS (`ACK <code>` from the staff phone), API (bearer token), dashboard
(logged-in form post) and, in test_voice_escalation, the voice keypress. Refused callers change
nothing: the alert stays open, its escalation stays planned, no acknowledgement is audited.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.safety import service as safety
from pro_service.safety.models import SafetyAlert
from tests.e2e.conftest import OPEN_BL, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PASSWORD = "correct horse battery"  # noqa: S105 - a test login
# role, site of the staff member, may acknowledge, may triage
ROLES = {
    "coordinator": ("coordinator", ("302",), True, False),
    "investigator": ("investigator", ("302",), True, True),
    "safety_officer": ("safety_officer", (), True, True),
    "admin": ("admin", (), False, False),
    "analyst": ("analyst", (), False, False),
}
REFUSED = ["admin", "analyst"]


@pytest.fixture
def desk(app, make_site, make_staff, make_participant, frozen_clock, twilio_gateway):
    app.extensions["pro.gateway"] = twilio_gateway
    make_site("302")
    make_site("303")
    people = {}
    for n, (name, (role, sites, _, _)) in enumerate(ROLES.items()):
        people[name] = make_staff(role, sites, alert_phone=fictional_mobile(7300 + n),
                                  email=f"{name}@example.test", password=PASSWORD)
    people["other_site"] = make_staff("coordinator", ("303",), alert_phone=fictional_mobile(7399),
                                      email="other_site@example.test", password=PASSWORD)
    p = make_participant()
    alert, _ = safety.raise_alert(p, category="gi_bleeding", urgency="emergency", source="free_text",
                                  evidence={"excerpt": "吐血"}, now=OPEN_BL)
    return people, alert


def _unchanged(alert: SafetyAlert) -> None:
    db.session.expire_all()
    fresh = db.session.get(SafetyAlert, alert.id)
    assert fresh.status == "open" and fresh.ack_at is None and fresh.ack_by_id is None
    assert fresh.triage is None and fresh.next_escalation_at == OPEN_BL + timedelta(minutes=15)
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "safety_alert")).all()
    assert "alert.acknowledge" not in actions and "alert.triage" not in actions


def _acknowledged_by(alert: SafetyAlert, staff, via: str) -> None:
    db.session.expire_all()
    fresh = db.session.get(SafetyAlert, alert.id)
    assert (fresh.status, fresh.ack_by_id, fresh.ack_via) == ("acknowledged", staff.user.id, via)
    assert fresh.next_escalation_at is None


def _login(client, email: str) -> str:
    page = client.get("/dashboard/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    resp = client.post("/dashboard/login", data={"email": email, "password": PASSWORD,
                                                 "csrf_token": token})
    assert resp.status_code == 302
    page = client.get("/dashboard/login").get_data(as_text=True)  # the logged-in session's token
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _dashboard_ack(client, alert: SafetyAlert, email: str):
    token = _login(client, email)
    return client.post(f"/dashboard/alerts/{alert.code}/ack", data={"csrf_token": token})


@pytest.mark.parametrize("role", REFUSED)
def test_admins_and_analysts_are_refused_acknowledging_by_sms(desk, sms_post, role):
    people, alert = desk
    phone = fictional_mobile(7300 + list(ROLES).index(role))
    status, replies = sms_post(phone, f"ACK {alert.code}")
    assert status == 200
    assert "Not acknowledged" in replies[0] and role in replies[0] and alert.code in replies[0]
    _unchanged(alert)


@pytest.mark.parametrize("role", REFUSED)
def test_admins_and_analysts_are_refused_acknowledging_by_api(desk, client, role):
    people, alert = desk
    resp = client.post(f"/api/alerts/{alert.id}/ack", headers=people[role].headers)
    assert resp.status_code == 403
    _unchanged(alert)


@pytest.mark.parametrize("role", REFUSED)
def test_admins_and_analysts_are_refused_acknowledging_in_the_dashboard(desk, client, role):
    people, alert = desk
    resp = _dashboard_ack(client, alert, f"{role}@example.test")
    assert resp.status_code == 403
    assert "nothing was changed" in resp.get_data(as_text=True)
    _unchanged(alert)


@pytest.mark.parametrize("role", ["coordinator", "investigator", "safety_officer"])
def test_site_clinical_staff_and_safety_officers_acknowledge_by_sms(desk, sms_post, role):
    people, alert = desk
    _, replies = sms_post(fictional_mobile(7300 + list(ROLES).index(role)), f"ACK {alert.code}")
    assert "acknowledged" in replies[0]
    _acknowledged_by(alert, people[role], "sms")


@pytest.mark.parametrize("role", ["coordinator", "investigator", "safety_officer"])
def test_site_clinical_staff_and_safety_officers_acknowledge_by_api(desk, client, role):
    people, alert = desk
    resp = client.post(f"/api/alerts/{alert.id}/ack", headers=people[role].headers)
    assert resp.status_code == 200 and resp.json["ack_via"] == "api"
    _acknowledged_by(alert, people[role], "api")


@pytest.mark.parametrize("role", ["coordinator", "investigator", "safety_officer"])
def test_site_clinical_staff_and_safety_officers_acknowledge_in_the_dashboard(desk, client, role):
    people, alert = desk
    resp = _dashboard_ack(client, alert, f"{role}@example.test")
    assert resp.status_code in (302, 303)
    _acknowledged_by(alert, people[role], "dashboard")


def test_a_coordinator_of_another_site_cannot_see_or_acknowledge_on_any_channel(desk, client,
                                                                                  sms_post):
    people, alert = desk
    _, replies = sms_post(fictional_mobile(7399), f"ACK {alert.code}")
    assert "No alert" in replies[0]
    assert client.post(f"/api/alerts/{alert.id}/ack",
                       headers=people["other_site"].headers).status_code == 404
    assert _dashboard_ack(client, alert, "other_site@example.test").status_code == 404
    _unchanged(alert)


@pytest.mark.parametrize("role", ["coordinator", "admin", "analyst", "other_site"])
def test_only_investigators_and_safety_officers_triage_by_api(desk, client, role):
    people, alert = desk
    resp = client.post(f"/api/alerts/{alert.id}/triage", json={"classification": "sae"},
                       headers=people[role].headers)
    assert resp.status_code in (403, 404)
    _unchanged(alert)


@pytest.mark.parametrize("role", ["investigator", "safety_officer"])
def test_investigators_and_safety_officers_triage_by_api(desk, client, role):
    people, alert = desk
    resp = client.post(f"/api/alerts/{alert.id}/triage", json={"classification": "ae"},
                       headers=people[role].headers)
    assert resp.status_code == 200 and resp.json["triage"] == "ae"


@pytest.mark.parametrize("role", list(ROLES))
def test_the_service_rule_itself_matches_the_matrix(desk, role):
    people, alert = desk
    _, _, may_ack, may_triage = ROLES[role]
    assert safety.allowed_actions(alert, people[role].user) == {"acknowledge": may_ack,
                                                               "triage": may_triage}
    if not may_ack:
        with pytest.raises(safety.Forbidden):
            safety.acknowledge_alert(alert, staff=people[role].user, via="api", now=OPEN_BL)
        _unchanged(alert)
