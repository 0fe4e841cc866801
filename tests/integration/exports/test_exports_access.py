"""Who may export what: roles, site scoping, and no phone number anywhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import fictional_mobile
from tests.integration.exports.conftest import BL_EARLY, W4_ON_TARGET, read_csv

ENDPOINTS = ("/api/exports/scores", "/api/exports/scores?format=csv", "/api/exports/sdtm/qs.csv",
             "/api/exports/completion")


@pytest.fixture
def two_sites(world, make_participant, answer) -> dict[str, Any]:
    phones = {"302": fictional_mobile(4242), "303": fictional_mobile(4343)}
    mine = make_participant(study_id="302-0042", site="302", phone=phones["302"])
    other = make_participant(study_id="303-0043", site="303", phone=phones["303"])
    for p in (mine, other):
        answer(p, "BL", at=BL_EARLY)
        answer(p, "BL", "CLDQ", at=BL_EARLY, level=5)
        answer(p, "W4", at=W4_ON_TARGET)
    return {"phones": phones, "staff": world}


@pytest.mark.parametrize("role", ["analyst", "admin", "safety_officer", "investigator",
                                  "coordinator"])
def test_every_reader_role_may_call_every_export(client, two_sites, role):
    headers = two_sites["staff"][role].headers
    for url in ENDPOINTS:
        assert client.get(url, headers=headers).status_code == 200, url


def test_exports_need_a_bearer_token(client, two_sites):
    for url in ENDPOINTS:
        assert client.get(url).status_code == 401, url
        assert client.get(url, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_analyst_sees_every_site(client, two_sites):
    headers = two_sites["staff"]["analyst"].headers
    rows = client.get("/api/exports/scores?per_page=1000", headers=headers).json["items"]
    assert {r["site"] for r in rows} == {"302", "303"}
    qs = read_csv(client.get("/api/exports/sdtm/qs.csv", headers=headers).get_data(as_text=True))[1]
    assert {r["USUBJID"] for r in qs} == {"NCT05121870-302-0042", "NCT05121870-303-0043"}


@pytest.mark.parametrize("role", ["coordinator", "investigator"])
def test_site_staff_see_only_their_own_sites(client, two_sites, role):
    headers = two_sites["staff"][role].headers
    rows = client.get("/api/exports/scores?per_page=1000", headers=headers).json
    assert {r["study_id"] for r in rows["items"]} == {"302-0042"}
    assert rows["total"] == 3 + 7 + 3
    assert client.get("/api/exports/scores?site=303", headers=headers).json["total"] == 0
    csv_rows = read_csv(client.get("/api/exports/scores?format=csv",
                                   headers=headers).get_data(as_text=True))[1]
    assert {r["study_id"] for r in csv_rows} == {"302-0042"}
    qs = read_csv(client.get("/api/exports/sdtm/qs.csv", headers=headers).get_data(as_text=True))[1]
    assert {r["USUBJID"] for r in qs} == {"NCT05121870-302-0042"}
    completion = client.get("/api/exports/completion", headers=headers).json["items"]
    assert {r["site"] for r in completion} == {"302"}


def test_no_phone_number_appears_in_any_export(client, two_sites):
    for role in ("analyst", "admin", "coordinator"):
        headers = two_sites["staff"][role].headers
        for url in ENDPOINTS:
            body = client.get(url, headers=headers).get_data(as_text=True)
            assert body.strip()
            for phone in two_sites["phones"].values():
                assert phone not in body
                assert phone.removeprefix("+86") not in body
            assert "+86" not in body
            assert "phone" not in body.lower()


def test_the_openapi_export_schemas_have_no_field_for_phone_name_or_arm(client):
    spec = client.get("/api/openapi.json").json
    schemas = {name: s for name, s in spec["components"]["schemas"].items()
               if name.startswith(("ScoreRow", "ScorePage", "CompletionRow", "Completion"))}
    assert schemas
    for schema in schemas.values():
        for field in schema.get("properties", {}):
            assert not any(word in field.lower() for word in ("phone", "name", "arm"))
