"""The in-clinic session API: a URL for the starting login only, open windows only, clinical roles."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db

VISIT = datetime(2027, 1, 11, 3, 0, tzinfo=UTC)  # the baseline visit day, 11:00 Shanghai
PASSWORD = "correct horse"  # noqa: S105 - test credential


@pytest.fixture
def registered_today(make_site, make_participant, monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: VISIT)
    make_site("302")
    return make_participant(study_id="302-0001", baseline=date(2027, 1, 11), now=VISIT)


def _start(client, staff, **body):
    return client.post("/api/responses/clinic-sessions", headers=staff.headers,
                       json={"study_id": "302-0001", "timepoint": "BL", "instrument": "EQ5D5L", **body})


def _browser_of(app, email):
    browser = app.test_client()
    page = browser.get("/dashboard/login").get_data(as_text=True)
    browser.post("/dashboard/login", data={"email": email, "password": PASSWORD, "csrf_token":
                                           re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)})
    return browser


def test_a_session_started_by_api_opens_only_for_the_same_login(app, client, make_staff,
                                                              registered_today):
    starter = make_staff("coordinator", email="a@example.test", password=PASSWORD)
    make_staff("coordinator", email="b@example.test", password=PASSWORD)
    started = _start(client, starter)
    assert started.status_code == 201, started.json
    assert started.json["channel"] == "clinic"
    path = started.json["url"].removeprefix(app.config["PUBLIC_BASE_URL"])
    assert path.startswith("/s/c/")

    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 303 and "/dashboard/login" in anonymous.headers["Location"]
    assert _browser_of(app, "b@example.test").get(path).status_code == 403
    mine = _browser_of(app, "a@example.test").get(path)
    assert mine.status_code == 303 and re.search(r"/s/f/\d+/$", mine.headers["Location"])
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "clinic.start")).one()
    assert event.actor == f"staff:{starter.user.id}"


def test_only_open_windows_and_clinical_staff(client, make_staff, registered_today):
    coordinator, analyst = make_staff("coordinator"), make_staff("analyst")
    assert _start(client, analyst).status_code == 403
    closed = _start(client, coordinator, timepoint="W4")  # not open yet
    assert closed.status_code == 410 and "paper" in closed.json["detail"]
    assert _start(client, coordinator, timepoint="W99").status_code == 404
