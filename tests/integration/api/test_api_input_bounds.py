"""Every input is bounded: out-of-range ids and pages, control characters anywhere, 405s.

Each of these reached a 500 on PostgreSQL in the fault-and-abuse run (bigint and int4 overflow,
NUL in text); CI runs this file on PostgreSQL too.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PUBLIC, TWILIO_APP, sign


@pytest.fixture
def admin(make_site, make_staff, make_participant):
    make_site("302")
    make_participant()
    return make_staff("admin", sites=())


def _problem(resp, status: int) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    return resp.get_json()


@pytest.mark.parametrize("url", ["/api/alerts/99999999999", "/api/alerts/2147483648/ack",
                                 "/api/alerts/99999999999999999999999"])
def test_ids_beyond_the_column_type_match_nothing(client, admin, url):
    method = client.post if url.endswith("ack") else client.get
    _problem(method(url, headers=admin.headers), 404)


@pytest.mark.parametrize("url", ["/api/participants?page=9223372036854775808",
                                 "/api/alerts?page=100001", "/api/exports/scores?page=10000000000",
                                 "/api/alerts?per_page=501",
                                 "/api/alerts?since=9999-12-31T23:00:00-05:00"])
def test_paging_and_times_out_of_range_are_422(client, admin, url):
    assert "errors" in _problem(client.get(url, headers=admin.headers), 422)


@pytest.mark.parametrize("url", ["/api/participants?site=30%002", "/api/participants?st%00atus=x",
                                 "/api/participants/302-%00001", "/api/alerts?category=%07bell",
                                 "/api/exports/scores?instrument=EQ%0A5D"])
def test_control_characters_in_query_and_path_are_422(client, admin, url):
    doc = _problem(client.get(url, headers=admin.headers), 422)
    assert "control characters" in doc["detail"]


@pytest.mark.parametrize("body", [{"study_id": "302-\x000099"}, {"study_id": "ok", "site": "3\x1b02"},
                                  {"study_id": "302-0099", "\x00": "key"},
                                  {"study_id": "302-0099", "extra": ["a", {"b": "\x00"}]}])
def test_control_characters_anywhere_in_a_json_body_are_422(client, admin, body):
    resp = client.post("/api/participants", json={"site": "302", "phone": "+8613123499999", **body},
                       headers=admin.headers)
    assert "control characters" in _problem(resp, 422)["detail"]


def test_free_text_keeps_newlines_and_tabs(client, admin):
    resp = client.post("/api/participants/302-0001/opt-out", headers=admin.headers,
                       json={"reason": "asked by phone\n\tline two"})
    assert resp.status_code == 200


def test_quiet_hours_are_documented_and_checked_as_hh_mm(client, admin):
    doc = client.get("/api/openapi.json").get_json()
    prop = doc["components"]["schemas"]["ParticipantUpdate"]["properties"]["quiet_start"]
    assert prop["type"] == "string" and prop["pattern"]
    assert "format" not in prop
    bad = client.patch("/api/participants/302-0001", json={"quiet_start": "25:00"},
                       headers=admin.headers)
    _problem(bad, 422)
    good = client.patch("/api/participants/302-0001", json={"quiet_start": "22:30"},
                        headers=admin.headers)
    assert good.status_code == 200 and good.get_json()["quiet_start"] == "22:30"


def test_errors_are_documented_as_problem_json(client):
    doc = client.get("/api/openapi.json").get_json()
    for name in ("DEFAULT_ERROR", "UNPROCESSABLE_ENTITY"):
        assert list(doc["components"]["responses"][name]["content"]) == ["application/problem+json"]
    assert doc["paths"]["/api/alerts/{alert_id}"]["parameters"][0]["schema"]["maximum"] == 2**31 - 1


def test_a_wrong_method_is_405_with_allow(client, admin):
    resp = client.delete("/api/alerts", headers=admin.headers)
    _problem(resp, 405)
    assert set(resp.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
@pytest.mark.parametrize("field", ["MessageSid", "From", "To"])
def test_a_signed_webhook_with_nul_outside_the_body_is_a_clear_4xx(client, admin, field):
    form = {"MessageSid": "SM" + "1" * 32, "From": "+8613123400001", "To": "+8613123400999",
            "Body": "hello"}
    form[field] = form[field][:5] + "\x00" + form[field][5:]
    resp = client.post("/sms/inbound", data=form,
                       headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/inbound", form)})
    assert 400 <= resp.status_code < 500


@pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
def test_a_nul_in_the_sms_body_is_stripped_and_the_message_kept(client, admin):
    form = {"MessageSid": "SM" + "2" * 32, "From": "+8613123400001", "Body": "he\x00llo"}
    resp = client.post("/sms/inbound", data=form,
                       headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/inbound", form)})
    assert resp.status_code == 200


@pytest.mark.parametrize("url", ["/s/abc%00def", "/s/f/99999999999/", "/s/f/1/99999999999",
                                 "/s/f/1/%00"])
def test_web_form_paths_with_nul_or_huge_numbers_are_a_clear_4xx(client, url):
    resp = client.get(url)
    assert 400 <= resp.status_code < 500 and resp.mimetype == "text/html"
