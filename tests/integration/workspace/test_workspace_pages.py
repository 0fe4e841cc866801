"""Staff workspace pages over HTTP: role × page matrix, statement counts, forms and actions."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.responses.models import Response
from tests.factories import T0

PASSWORD = "correct horse"  # noqa: S105 - test credential
NOW = T0 + timedelta(weeks=20)


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, email: str) -> str:
    page = client.get("/dashboard/login").get_data(as_text=True)
    client.post("/dashboard/login", data={"email": email, "password": PASSWORD, "csrf_token": _token(page)})
    return _token(client.get("/dashboard/login").get_data(as_text=True))


@pytest.fixture
def signed_in(client, make_staff):
    def as_role(role: str, sites: tuple[str, ...] = ("302",)) -> str:
        user = make_staff(role, sites, password=PASSWORD).user
        return sign_in(client, user.email)
    return as_role


PAGES = ["/dashboard/participants", "/dashboard/participants/new", "/dashboard/participants/302-0001",
         "/dashboard/participants/301-0001", "/dashboard/status", "/dashboard/admin", "/dashboard/audit"]
# role -> expected status per page (301-0001 is another site's participant)
MATRIX = {
    "admin": [200, 200, 200, 200, 200, 200, 200],
    "safety_officer": [200, 403, 200, 200, 200, 403, 403],
    "investigator": [200, 200, 200, 404, 200, 403, 200],
    "coordinator": [200, 200, 200, 404, 200, 403, 403],
    "analyst": [403, 403, 403, 403, 403, 403, 403],
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_role_by_page_matrix(client, with_history, signed_in, role):
    with_history(1, sites=("301", "302"))
    signed_in(role)
    got = [client.get(path).status_code for path in PAGES]
    assert dict(zip(PAGES, got)) == dict(zip(PAGES, MATRIX[role]))


def test_pages_ask_for_sign_in_first(client):
    for path in PAGES:
        resp = client.get(path)
        assert resp.status_code == 302 and "/dashboard/login?next=" in resp.headers["Location"]


def test_site_staff_see_only_their_sites_in_the_list_and_grid(client, with_history, signed_in):
    with_history(2, sites=("301", "302"))
    signed_in("coordinator")
    listing = client.get("/dashboard/participants").get_data(as_text=True)
    grid = client.get("/dashboard/status?instrument=all").get_data(as_text=True)
    for page in (listing, grid):
        assert "302-0002" in page and "301-0001" not in page


def test_page_statements_do_not_grow_with_participants(client, with_history, signed_in, count_statements):
    with_history(2, sites=("301",))
    signed_in("admin")
    urls = ["/dashboard/participants", "/dashboard/status?instrument=all", "/dashboard/participants/301-0001",
            "/dashboard/audit", "/dashboard/admin"]

    def costs() -> dict[str, int]:
        out = {}
        for url in urls:
            with count_statements() as counter:
                assert client.get(url).status_code == 200
            out[url] = counter.count
        return out

    few = costs()
    with_history(12, sites=("302",), seed=3)
    many = costs()
    assert many == few, (few, many)
    assert max(many.values()) <= 12, many


def test_enrol_shows_the_apis_validation_messages_then_enrols(client, make_site, signed_in):
    make_site("302")
    csrf = signed_in("coordinator")
    bad = client.post("/dashboard/participants/new", data={"csrf_token": csrf, "study_id": "302-0009",
                                                          "site": "302", "phone": "+8613123455501",
                                                          "language": "fr", "baseline": "2027-02-30"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Must be one of: zh-CN, en." in page and "Not a valid date." in page
    good = client.post("/dashboard/participants/new", data={"csrf_token": csrf, "study_id": "302-0009",
                                                           "site": "302", "phone": "+8613123455501",
                                                           "baseline": "2027-06-01"})
    assert good.status_code == 302 and good.headers["Location"].endswith("/dashboard/participants/302-0009")
    dup = client.post("/dashboard/participants/new", data={"csrf_token": csrf, "study_id": "302-0009",
                                                          "site": "302", "phone": "+8613123455502"})
    assert dup.status_code == 422 and "already enrolled" in dup.get_data(as_text=True)


def test_csv_upload_is_all_or_nothing_with_errors_by_line(client, make_site, signed_in):
    make_site("302")
    csrf = signed_in("coordinator")
    text = ("study_id,site,phone,baseline\n302-0101,302,+8613123455601,2027-06-01\n"
            "302-0102,302,not-a-phone,2027-06-01\n302-0103,302,+8613123455603,2027-13-01\n")
    bad = client.post("/dashboard/participants/import", data={"csrf_token": csrf,
                      "file": (io.BytesIO(text.encode()), "e.csv")}, content_type="multipart/form-data")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "line 3" in page.lower() or "第 3 行" in page
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0
    good_text = "study_id,site,phone\n302-0101,302,+8613123455601\n302-0102,302,+8613123455602\n"
    good = client.post("/dashboard/participants/import", data={"csrf_token": csrf,
                       "file": (io.BytesIO(good_text.encode()), "ok.csv")}, content_type="multipart/form-data")
    assert good.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 2


def test_the_participant_page_shows_schedule_plots_answers_and_thread(client, with_history, signed_in):
    with_history(1)
    signed_in("coordinator")
    page = client.get("/dashboard/participants/302-0001?lang=en").get_data(as_text=True)
    for section in ('id="summary"', 'id="plots"', 'id="schedule"', 'id="responses"', 'id="messages"',
                    'id="alerts"', 'id="actions"'):
        assert section in page
    assert page.count("<svg") == 3 and "EQ-5D-5L index" in page
    assert "UTC+8" in page  # times shown in the participant's zone, with the zone
    assert "Send the invitation again" in page and "Show a fresh web-form link" in page


def test_an_anchor_change_shows_its_preview_and_applies_only_once_confirmed(client, with_history, signed_in):
    (p,) = with_history(1)
    csrf = signed_in("coordinator")
    new_base = (p.baseline - timedelta(days=3)).isoformat()
    preview = client.post("/dashboard/participants/302-0001/anchors?lang=en",
                          data={"csrf_token": csrf, "baseline": new_base})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "What will change" in text and "Confirm the change" in text
    db.session.expire_all()
    assert db.session.get(Participant, p.id).baseline == p.baseline  # nothing changed yet
    no_reason = client.post("/dashboard/participants/302-0001/anchors",
                            data={"csrf_token": csrf, "baseline": new_base, "confirm": "true"})
    assert no_reason.status_code == 422 and "Confirm the change" in no_reason.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participant, p.id).baseline == p.baseline
    done = client.post("/dashboard/participants/302-0001/anchors",
                       data={"csrf_token": csrf, "baseline": new_base, "confirm": "true", "reason": "visit moved"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, p.id).baseline.isoformat() == new_base


def test_a_correction_through_the_page_makes_a_new_version_with_new_scores(client, with_history, signed_in):
    with_history(1)
    csrf = signed_in("coordinator")
    resp = db.session.scalar(sa.select(Response).where(Response.instrument == "EQ5D5L",
                                                       Response.status == "complete"))
    url = f"/dashboard/participants/302-0001/responses/{resp.id}/correct"
    form = client.get(url + "?lang=en").get_data(as_text=True)
    assert 'name="VAS"' in form and 'for="i-VAS"' in form
    data = {"csrf_token": csrf, **{k: str(v).lower() if isinstance(v, bool) else str(v)
                                   for k, v in resp.answers.items()}}
    bad = client.post(url, data={**data, "VAS": "150", "reason": "typo"})
    assert bad.status_code == 422 and "VAS" in bad.get_data(as_text=True)
    done = client.post(url, data={**data, "VAS": "12", "reason": "typo on paper"})
    assert done.status_code == 302
    db.session.expire_all()
    new = db.session.scalar(sa.select(Response).where(Response.supersedes_id == resp.id))
    assert {s.scale: s.value for s in new.scores}["EQ5D_VAS"] == 12
    page = client.get("/dashboard/participants/302-0001?lang=en").get_data(as_text=True)
    assert "typo on paper" in page and "superseded" in page


def test_reason_actions_and_fresh_link(client, with_history, signed_in):
    (p,) = with_history(1)
    csrf = signed_in("coordinator")
    refused = client.post("/dashboard/participants/302-0001/withdraw", data={"csrf_token": csrf, "reason": ""})
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, p.id).status == "active"
    client.post("/dashboard/participants/302-0001/opt-out", data={"csrf_token": csrf, "reason": "asked by phone"})
    db.session.expire_all()
    assert db.session.get(Participant, p.id).status == "opted_out"
    occ_id = re.search(r"/occasions/(\d+)/link", client.get("/dashboard/participants/302-0001")
                       .get_data(as_text=True)).group(1)
    link = client.post(f"/dashboard/participants/302-0001/occasions/{occ_id}/link", data={"csrf_token": csrf})
    assert link.headers["Cache-Control"] == "no-store"
    token = re.search(r"/s/([A-Za-z0-9_\-]+)", link.get_data(as_text=True)).group(1)
    assert client.get(f"/s/{token}").status_code in (200, 302, 303)
    assert client.get(f"/s/{token[:-4]}xxxx").status_code == 404


def test_admin_creates_a_coordinator_and_issues_a_token_shown_once(client, make_site, signed_in):
    make_site("302")
    csrf = signed_in("admin")
    bad = client.post("/dashboard/admin/staff", data={"csrf_token": csrf, "name": "X", "email": "nope",
                                                      "role": "coordinator"})
    assert bad.status_code == 422 and "Not a valid email address." in bad.get_data(as_text=True)
    made = client.post("/dashboard/admin/staff", data={"csrf_token": csrf, "name": "Wang", "email": "wang@example.test",
                                                       "role": "coordinator", "sites": "302",
                                                       "password": "a long password"})
    assert made.status_code == 302
    page = client.get("/dashboard/admin").get_data(as_text=True)
    staff_id = re.search(r'id="staff-(\d+)">\s*<h3>Wang', page).group(1)
    shown = client.post(f"/dashboard/admin/staff/{staff_id}/tokens", data={"csrf_token": csrf, "label": "x"})
    assert shown.headers["Cache-Control"] == "no-store"
    assert re.search(r"pro_[A-Za-z0-9_\-]{20,}", shown.get_data(as_text=True))
    assert not re.search(r"pro_[A-Za-z0-9_\-]{20,}", client.get("/dashboard/admin").get_data(as_text=True))


def test_the_audit_page_filters_and_verifies_the_chain(client, with_history, signed_in):
    with_history(1)
    csrf = signed_in("investigator")
    page = client.get("/dashboard/audit?participant=302-0001&action=participant.&lang=en").get_data(as_text=True)
    assert "participant.enrol" in page
    verified = client.post("/dashboard/audit/verify", data={"csrf_token": csrf}).get_data(as_text=True)
    assert "Chain intact" in verified
    assert "+86131" not in page


@pytest.mark.parametrize("url", [
    "/dashboard/participants?page=abc", "/dashboard/participants?status=bogus",
    "/dashboard/participants?q=" + "9" * 50, "/dashboard/status?site=abc",
    "/dashboard/status?instrument=XYZ", "/dashboard/status?page=0",
    "/dashboard/audit?date_from=yesterday", "/dashboard/audit?page=-1",
])
def test_bad_filters_get_a_clear_422_page_not_a_500(client, make_site, signed_in, url):
    make_site("302")
    signed_in("admin")
    resp = client.get(url)
    assert resp.status_code == 422 and 'class="flash flash-error"' in resp.get_data(as_text=True)


def test_bad_posts_are_refused_safely(client, with_history, signed_in):
    with_history(1, sites=("301", "302"))
    csrf = signed_in("coordinator")
    assert client.get("/dashboard/participants/999-9999").status_code == 404
    other = db.session.scalar(sa.select(Response.id).join(Participant, Participant.id == Response.participant_id)
                              .where(Participant.study_id == "301-0001"))
    assert client.get(f"/dashboard/participants/302-0001/responses/{other}/correct").status_code == 404
    bad_date = client.post("/dashboard/participants/302-0001/anchors",
                           data={"csrf_token": csrf, "baseline": "2027-02-31"})
    assert bad_date.status_code == 422
    binary = client.post("/dashboard/participants/import", data={
        "csrf_token": csrf, "file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")}, content_type="multipart/form-data")
    assert binary.status_code == 422
    no_file = client.post("/dashboard/participants/import", data={"csrf_token": csrf})
    assert no_file.status_code == 422
    assert client.post("/dashboard/participants/302-0001/occasions/999999/link",
                       data={"csrf_token": csrf}).status_code == 302  # flashed: no such occasion
    assert client.post("/dashboard/participants/302-0001/opt-out", data={"reason": "no csrf"}).status_code == 400


def test_the_safety_desk_reads_participants_but_changes_nothing(client, with_history, signed_in):
    (p,) = with_history(1)
    csrf = signed_in("safety_officer")
    page = client.get("/dashboard/participants/302-0001").get_data(as_text=True)
    assert 'id="actions"' not in page and "/correct" not in page
    client.post("/dashboard/participants/302-0001/opt-out", data={"csrf_token": csrf, "reason": "not allowed"})
    db.session.expire_all()
    assert db.session.get(Participant, p.id).status == "active"
    assert client.post("/dashboard/participants/new", data={"csrf_token": csrf}).status_code == 403
