"""Enrollment API: every endpoint, including each kind of bad input."""

from __future__ import annotations

import pytest

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from tests.factories import fictional_mobile


@pytest.fixture
def coordinator(make_site, make_staff):
    make_site("302")
    return make_staff("coordinator", ("302",))


def _new(**kw):
    body = {"study_id": "302-0101", "site": "302", "phone": fictional_mobile(101),
            "language": "zh-CN", "baseline": "2027-01-11", "infusion_1": "2027-01-11"}
    body.update(kw)
    return body


def test_coordinator_enrols_a_participant_and_sees_the_full_phone(client, coordinator):
    resp = client.post("/api/participants", json=_new(), headers=coordinator.headers)
    assert resp.status_code == 201, resp.json
    assert resp.json["study_id"] == "302-0101"
    assert resp.json["phone"] == fictional_mobile(101)
    assert resp.json["timezone"] == "Asia/Shanghai"
    assert resp.json["status"] == "active"


def test_enrolment_writes_an_audit_event_without_the_phone(client, coordinator):
    client.post("/api/participants", json=_new(), headers=coordinator.headers)
    event = db.session.query(AuditEvent).filter_by(action="participant.enrol").one()
    assert event.actor == f"staff:{coordinator.user.id}"
    assert fictional_mobile(101) not in str(event.after)
    assert "+86" not in str(event.after)


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("study_id", "30-7", "study_id must look like"),
        ("phone", "12345", "phone"),
        ("phone", "+861012345678", "mobile"),
        ("language", "fr", "language"),
        ("timezone", "Mars/Olympus", "IANA"),
        ("channel", "pigeon", "channel"),
        ("baseline", "2027-13-40", "baseline"),
    ],
)
def test_bad_input_gets_a_clear_4xx(client, coordinator, field, value, fragment):
    resp = client.post("/api/participants", json=_new(**{field: value}), headers=coordinator.headers)
    assert resp.status_code == 422
    assert resp.mimetype == "application/problem+json"
    assert fragment in str(resp.json)


def test_anchor_dates_out_of_order_are_refused(client, coordinator):
    resp = client.post("/api/participants", json=_new(infusion_1="2027-02-01", infusion_2="2027-01-20"),
                       headers=coordinator.headers)
    assert resp.status_code == 422
    assert "infusion_2" in resp.json["detail"]


def test_duplicate_study_id_or_phone_is_a_conflict(client, coordinator):
    assert client.post("/api/participants", json=_new(), headers=coordinator.headers).status_code == 201
    same_id = client.post("/api/participants", json=_new(phone=fictional_mobile(102)),
                          headers=coordinator.headers)
    assert same_id.status_code == 409
    same_phone = client.post("/api/participants", json=_new(study_id="302-0102"),
                             headers=coordinator.headers)
    assert same_phone.status_code == 409
    assert "phone" in same_phone.json["detail"]


def test_phone_written_in_local_format_is_stored_as_e164(client, coordinator):
    resp = client.post("/api/participants", json=_new(phone="131 2340 0101"), headers=coordinator.headers)
    assert resp.status_code == 201
    assert resp.json["phone"] == "+8613123400101"


def test_list_is_paginated_and_filterable(client, coordinator, make_participant):
    for i in range(5):
        make_participant(language="en" if i % 2 else "zh-CN")
    page = client.get("/api/participants?per_page=2&page=2", headers=coordinator.headers).json
    assert page["total"] == 5 and len(page["items"]) == 2 and page["page"] == 2
    english = client.get("/api/participants?language=en", headers=coordinator.headers).json
    assert english["total"] == 2
    bad = client.get("/api/participants?per_page=0", headers=coordinator.headers)
    assert bad.status_code == 422


def test_update_preferences_and_anchor_needs_reason(client, coordinator, make_participant):
    p = make_participant()
    url = f"/api/participants/{p.study_id}"
    resp = client.patch(url, json={"language": "en", "quiet_start": "22:00"}, headers=coordinator.headers)
    assert resp.status_code == 200 and resp.json["language"] == "en"
    assert resp.json["quiet_start"] == "22:00"
    no_reason = client.patch(url, json={"baseline": "2027-01-12"}, headers=coordinator.headers)
    assert no_reason.status_code == 422 and "reason" in no_reason.json["detail"]
    ok = client.patch(url, json={"baseline": "2027-01-10", "reason": "visit moved"},
                      headers=coordinator.headers)
    assert ok.status_code == 200 and ok.json["baseline"] == "2027-01-10"
    event = db.session.query(AuditEvent).filter_by(action="participant.update").all()[-1]
    assert event.reason == "visit moved"
    assert event.before["baseline"] == "2027-01-11" and event.after["baseline"] == "2027-01-10"


def test_opt_out_opt_in_and_withdraw(client, coordinator, make_participant):
    p = make_participant()
    base = f"/api/participants/{p.study_id}"
    out = client.post(base + "/opt-out", json={"reason": "asked by phone"}, headers=coordinator.headers)
    assert out.status_code == 200 and out.json["status"] == "opted_out"
    assert out.json["sms_opted_out_at"]
    back = client.post(base + "/opt-in", json={"reason": "asked again"}, headers=coordinator.headers)
    assert back.json["status"] == "active"
    missing_reason = client.post(base + "/withdraw", json={}, headers=coordinator.headers)
    assert missing_reason.status_code == 422
    gone = client.post(base + "/withdraw", json={"reason": "consent withdrawn"}, headers=coordinator.headers)
    assert gone.status_code == 200 and gone.json["status"] == "withdrawn"
    again = client.post(base + "/withdraw", json={"reason": "again"}, headers=coordinator.headers)
    assert again.status_code == 409


def test_unknown_participant_is_404_problem(client, coordinator):
    resp = client.get("/api/participants/302-9999", headers=coordinator.headers)
    assert resp.status_code == 404 and resp.json["title"] == "Not Found"


def test_malformed_json_and_oversized_bodies_are_refused(client, coordinator):
    bad = client.post("/api/participants", data="{not json", headers={**coordinator.headers,
                                                                      "Content-Type": "application/json"})
    assert bad.status_code in (400, 422)
    big = client.post("/api/participants", json=_new(study_id="x" * 100_000), headers=coordinator.headers)
    assert big.status_code == 413


def test_openapi_document_lists_the_participant_endpoints(client):
    doc = client.get("/api/openapi.json").json
    assert "/api/participants" in doc["paths"]
    assert "/api/participants/{study_id}/withdraw" in doc["paths"]
