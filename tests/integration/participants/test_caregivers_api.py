"""Caregivers API (issue 12): register, list, deactivate; bad input; who may see what."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.participants.models import Caregiver
from tests.factories import fictional_mobile

CARER = fictional_mobile(6601)


@pytest.fixture
def world(make_site, make_staff, make_participant):
    make_site("302")
    make_site("303")
    return {"p": make_participant(phone=fictional_mobile(6600)),
            "coord": make_staff("coordinator", ("302",)),
            "other": make_staff("coordinator", ("303",)),
            "safety": make_staff("safety_officer", ()),
            "analyst": make_staff("analyst", ())}


def _body(**kw):
    body = {"name": "王芳", "relation": "女儿", "language": "zh-CN", "phone": CARER,
            "consent_date": "2026-11-20"}
    body.update(kw)
    return body


def _url(p):
    return f"/api/participants/{p.study_id}/caregivers"


def test_site_staff_register_a_caregiver_with_an_encrypted_phone(client, world):
    resp = client.post(_url(world["p"]), json=_body(), headers=world["coord"].headers)
    assert resp.status_code == 201, resp.json
    assert (resp.json["relation"], resp.json["phone"], resp.json["active"]) == ("女儿", CARER, True)
    cg = db.session.scalars(sa.select(Caregiver)).one()
    assert CARER.encode() not in cg.phone_enc and CARER not in cg.phone_index
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "caregiver.register")).one()
    assert CARER not in str(event.after) and event.after["relation"] == "女儿"


def test_the_list_masks_the_phone_for_the_safety_desk_and_refuses_analysts(client, world):
    client.post(_url(world["p"]), json=_body(), headers=world["coord"].headers)
    listed = client.get(_url(world["p"]), headers=world["safety"].headers)
    assert listed.status_code == 200
    assert listed.json[0]["name"] == "王芳" and listed.json[0]["phone"] != CARER
    assert client.get(_url(world["p"]), headers=world["analyst"].headers).status_code == 403
    assert client.get(_url(world["p"]), headers=world["other"].headers).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [("phone", "12345", "phone"), ("phone", "+861012345678", "mobile"),
     ("consent_date", "2999-01-01", "future"), ("relation", "", "relation"),
     ("language", "fr", "language"), ("consent_date", "yesterday", "consent_date")],
)
def test_bad_input_gets_a_clear_422(client, world, field, value, fragment):
    resp = client.post(_url(world["p"]), json=_body(**{field: value}), headers=world["coord"].headers)
    assert resp.status_code == 422
    assert fragment in str(resp.json)


def test_a_participants_own_phone_or_a_second_registration_is_a_conflict(client, world):
    own = client.post(_url(world["p"]), json=_body(phone=fictional_mobile(6600)),
                      headers=world["coord"].headers)
    assert own.status_code == 409
    assert client.post(_url(world["p"]), json=_body(), headers=world["coord"].headers).status_code == 201
    assert client.post(_url(world["p"]), json=_body(), headers=world["coord"].headers).status_code == 409


def test_deactivating_needs_a_reason_and_is_audited(client, world):
    cid = client.post(_url(world["p"]), json=_body(), headers=world["coord"].headers).json["id"]
    url = f"{_url(world['p'])}/{cid}/deactivate"
    assert client.post(url, json={}, headers=world["coord"].headers).status_code == 422
    resp = client.post(url, json={"reason": "moved away"}, headers=world["coord"].headers)
    assert resp.status_code == 200 and resp.json["active"] is False
    assert client.post(f"{_url(world['p'])}/999/deactivate", json={"reason": "nope"},
                       headers=world["coord"].headers).status_code == 404
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "caregiver.deactivate")).one()
    assert event.reason == "moved away"
