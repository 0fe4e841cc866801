"""Safety desk pages through the test client: queue order and filters, the alert page, actions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.safety import rota
from pro_service.safety import service as safety
from pro_service.safety.models import AlertContact, SafetyAlert
from tests.factories import T0, fictional_mobile

PASSWORD = "correct horse battery"  # noqa: S105 - a test login


@pytest.fixture
def frozen(monkeypatch):
    from pro_service.core import clock

    holder = {"now": T0 + timedelta(minutes=5)}
    monkeypatch.setattr(clock, "now", lambda: holder["now"])
    return holder


@pytest.fixture
def desk(app, make_site, make_staff, make_participant, frozen):
    make_site("302")
    make_site("303")
    people = {r: make_staff(r, email=f"{r}@example.test", password=PASSWORD,
                            alert_phone=fictional_mobile(7700 + i))
              for i, r in enumerate(("coordinator", "investigator", "analyst", "admin"))}
    rota.add_shift(site=rota.site_by_code("302"), staff=people["coordinator"].user,
                   weekdays="daily", start="00:00", end="00:00", now=T0)
    p1, p2 = make_participant(study_id="302-0001"), make_participant(study_id="302-0002")
    routine, _ = safety.raise_alert(p1, category="other", urgency="routine", source="score_rule",
                                    evidence={"rule": "EQ5D AD=5"}, now=T0)
    emergency, _ = safety.raise_alert(p2, category="gi_bleeding", urgency="emergency",
                                      source="free_text",
                                      evidence={"excerpt": "我今天吐血了，很多"}, now=T0 - timedelta(hours=1))
    urgent, _ = safety.raise_alert(p1, category="jaundice", urgency="urgent", source="structured",
                                   evidence={"item": "SC_JAUNDICE"}, now=T0 + timedelta(minutes=1))
    return people, {"routine": routine, "emergency": emergency, "urgent": urgent}


def login(client, email):
    page = client.get("/dashboard/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/dashboard/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    page = client.get("/dashboard/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_the_queue_lists_open_alerts_most_urgent_first_with_words_not_ids(client, desk):
    _, alerts = desk
    login(client, "coordinator@example.test")
    page = client.get("/dashboard/alerts?lang=en").get_data(as_text=True)
    order = [page.index(f"#{alerts[k].code}") for k in ("emergency", "urgent", "routine")]
    assert order == sorted(order)
    assert "GI bleeding" in page and "Jaundice" in page and "SC_JAUNDICE" not in page
    assert "我今天吐血了" in page and "Free text" in page and "Symptom check" in page
    assert "UTC+8" in page and "data-until" in page  # zone shown; live countdown


def test_the_queue_filters_by_urgency_and_category_and_refuses_bad_filters(client, desk):
    _, alerts = desk
    login(client, "coordinator@example.test")
    page = client.get("/dashboard/alerts?urgency=urgent").get_data(as_text=True)
    assert f"#{alerts['urgent'].code}" in page and f"#{alerts['emergency'].code}" not in page
    page = client.get("/dashboard/alerts?category=other").get_data(as_text=True)
    assert f"#{alerts['routine'].code}" in page and f"#{alerts['urgent'].code}" not in page
    assert client.get("/dashboard/alerts?urgency=panic").status_code == 422


def test_the_alert_page_needs_login_and_returns_there_after_it(client, desk):
    _, alerts = desk
    code = alerts["emergency"].code
    resp = client.get(f"/dashboard/alerts/{code}")
    assert resp.status_code == 302 and f"next=/dashboard/alerts/{code}" in resp.headers["Location"]


def test_a_coordinator_reads_acknowledges_and_logs_a_call(client, desk, frozen):
    people, alerts = desk
    alert = alerts["emergency"]
    token = login(client, "coordinator@example.test")
    page = client.get(f"/dashboard/alerts/{alert.code}?lang=en").get_data(as_text=True)
    assert "我今天吐血了，很多" in page and "Acknowledge" in page and "Save triage" not in page
    assert client.post(f"/dashboard/alerts/{alert.code}/ack",
                       data={"csrf_token": token}).status_code == 302
    resp = client.post(f"/dashboard/alerts/{alert.code}/contact", data={
        "csrf_token": token, "called_at": "2027-01-04 10:03".replace(" ", "T"),
        "outcome": "reached", "note": "advised to go to the emergency department"})
    assert resp.status_code == 302
    contact = db.session.scalars(sa.select(AlertContact)).one()
    assert contact.called_at == T0 + timedelta(minutes=3)  # 10:03 Shanghai is 02:03 UTC
    page = client.get(f"/dashboard/alerts/{alert.code}").get_data(as_text=True)
    assert "advised to go to the emergency department" in page and "coordinator" in page
    bad = client.post(f"/dashboard/alerts/{alert.code}/contact", data={
        "csrf_token": token, "called_at": "2030-01-01T10:00", "outcome": "reached"})
    assert bad.status_code == 302 and db.session.scalar(sa.select(sa.func.count(AlertContact.id))) == 1
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "safety_alert", AuditEvent.entity_id == str(alert.id))).all()
    assert "alert.acknowledge" in actions and "alert.contact" in actions


def test_an_investigator_triages_as_sae_and_sees_the_deadline(client, desk):
    _, alerts = desk
    alert = alerts["emergency"]
    token = login(client, "investigator@example.test")
    resp = client.post(f"/dashboard/alerts/{alert.code}/triage", data={
        "csrf_token": token, "classification": "sae", "meddra_term": "Haematemesis",
        "note": "admitted"})
    assert resp.status_code == 302
    db.session.expire_all()
    fresh = db.session.get(SafetyAlert, alert.id)
    assert fresh.triage == "sae" and fresh.sae_report_due_at == fresh.ack_at + timedelta(hours=24)
    page = client.get(f"/dashboard/alerts/{alert.code}?lang=en").get_data(as_text=True)
    assert "SAE report due" in page and "2027-01-05 10:05 UTC+8" in page


def test_admins_see_no_action_buttons_and_analysts_no_alerts(client, desk):
    _, alerts = desk
    login(client, "admin@example.test")
    page = client.get(f"/dashboard/alerts/{alerts['emergency'].code}?lang=en").get_data(as_text=True)
    assert "Save triage" not in page and 'class="primary ack-button"' not in page
    assert "Log the call" not in page
    client.post("/dashboard/logout", data={})
    login(client, "analyst@example.test")
    assert client.get(f"/dashboard/alerts/{alerts['emergency'].code}").status_code == 403


def test_the_rota_page_shows_the_gap_and_investigators_add_shifts(client, desk, frozen):
    people, _ = desk
    token = login(client, "investigator@example.test")
    page = client.get("/dashboard/alerts/rota?lang=en").get_data(as_text=True)
    assert "Site 303" not in page and "Hours nobody covers this week: 0 of 168" in page
    resp = client.post("/dashboard/alerts/rota/302", data={
        "csrf_token": token, "staff_id": people["investigator"].user.id, "weekdays": "sat",
        "start": "08:00", "end": "12:00"})
    assert resp.status_code == 302
    assert "周六" in client.get("/dashboard/alerts/rota?lang=zh-CN").get_data(as_text=True)
    coordinator_token = None
    client.post("/dashboard/logout", data={"csrf_token": token})
    coordinator_token = login(client, "coordinator@example.test")
    refused = client.post("/dashboard/alerts/rota/302", data={
        "csrf_token": coordinator_token, "staff_id": people["coordinator"].user.id,
        "weekdays": "sun", "start": "08:00", "end": "12:00"})
    assert refused.status_code == 403


def test_a_gap_in_the_rota_is_a_banner_on_every_page(client, desk, frozen):
    people, _ = desk
    for line in rota.rota_lines(rota.site_by_code("302").id):
        rota.remove_shift(shift_id=line.shift.id, now=T0)
    login(client, "coordinator@example.test")
    page = client.get("/dashboard/alerts?lang=en").get_data(as_text=True)
    assert "Nobody is on call now at site 302" in page
