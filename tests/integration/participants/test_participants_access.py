"""Roles × endpoints, site scoping and the analyst's pseudonymised view."""

from __future__ import annotations

import pytest

from tests.factories import fictional_mobile

ROLES = ("admin", "investigator", "coordinator", "safety_officer", "analyst")
WRITERS = {"admin", "investigator", "coordinator"}


@pytest.fixture
def world(make_site, make_staff, make_participant):
    make_site("302")
    make_site("303")
    a = make_participant(study_id="302-0001", site="302")
    b = make_participant(study_id="303-0001", site="303")
    staff = {role: make_staff(role, ("302",)) for role in ROLES}
    return {"a": a, "b": b, "staff": staff, "other_site": make_staff("coordinator", ("303",))}


def _calls(study_id):
    return [
        ("get", "/api/participants", None),
        ("get", f"/api/participants/{study_id}", None),
        ("patch", f"/api/participants/{study_id}", {"language": "en"}),
        ("post", f"/api/participants/{study_id}/opt-out", {"reason": "test"}),
        ("post", f"/api/participants/{study_id}/opt-in", {"reason": "test"}),
        ("post", f"/api/participants/{study_id}/withdraw", {"reason": "test"}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_every_participant_endpoint(client, world, role):
    who = world["staff"][role]
    for method, url, body in _calls("302-0001"):
        resp = getattr(client, method)(url, json=body, headers=who.headers)
        writing = method != "get"
        expected = 403 if writing and role not in WRITERS else (200,)
        if expected == 403:
            assert resp.status_code == 403, (role, method, url)
        else:
            assert resp.status_code == 200, (role, method, url, resp.json)
    create = client.post("/api/participants", headers=who.headers,
                         json={"study_id": "302-0050", "site": "302", "phone": fictional_mobile(50)})
    assert create.status_code == (201 if role in WRITERS else 403)


def test_no_token_or_a_revoked_token_is_401(client, world):
    assert client.get("/api/participants").status_code == 401
    bad = client.get("/api/participants", headers={"Authorization": "Bearer pro_nope"})
    assert bad.status_code == 401


def test_site_scoping_hides_other_sites_everywhere(client, world):
    coord = world["staff"]["coordinator"]
    listing = client.get("/api/participants", headers=coord.headers).json
    assert [p["study_id"] for p in listing["items"]] == ["302-0001"]
    for method, url, body in _calls("303-0001"):
        if url == "/api/participants":
            continue
        resp = getattr(client, method)(url, json=body, headers=coord.headers)
        assert resp.status_code == 404, (method, url)
    create = client.post("/api/participants", headers=coord.headers,
                         json={"study_id": "303-0050", "site": "303", "phone": fictional_mobile(51)})
    assert create.status_code == 422
    assert client.get("/api/participants?site=303", headers=coord.headers).json["total"] == 0


def test_analyst_sees_no_phone_and_no_contact_details_anywhere(client, world):
    analyst = world["staff"]["analyst"]
    listing = client.get("/api/participants", headers=analyst.headers).json
    assert listing["total"] == 2
    for item in listing["items"]:
        assert set(item) <= {"study_id", "site", "status", "language", "baseline", "infusion_1",
                             "infusion_2", "infusion_3"}
    one = client.get("/api/participants/303-0001", headers=analyst.headers)
    assert "phone" not in one.json and "+86" not in one.get_data(as_text=True)


def test_only_own_site_staff_see_the_full_number(client, world):
    a_phone = client.get("/api/participants/302-0001",
                         headers=world["staff"]["coordinator"].headers).json["phone"]
    assert a_phone.startswith("+86") and "*" not in a_phone
    for role in ("admin", "safety_officer"):
        masked = client.get("/api/participants/302-0001", headers=world["staff"][role].headers).json
        assert "*" in masked["phone"] and masked["phone"] != a_phone
