"""Quiet hours are visible: an invitation queued at 21:07 local shows 08:00 the next day."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from pro_service.extensions import db
from pro_service.messages.gateway import ConsoleGateway
from scheduler.jobs import tick

EVENING = datetime(2027, 1, 4, 13, 7, tzinfo=UTC)  # 21:07 Shanghai; the BL window is open
PASSWORD = "correct horse"  # noqa: S105 - test credential


@pytest.fixture
def queued_at_2107(app, make_site, make_participant, monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: EVENING)
    make_site("302")
    make_participant(study_id="302-0001", baseline=date(2027, 1, 11), now=EVENING)
    db.session.commit()
    counts = tick(app, now=EVENING, gateway=ConsoleGateway())
    db.session.expire_all()
    assert counts["invitations"] == 2 and counts["sent"] == 0  # EQ-5D-5L and CLDQ, both held


def test_the_api_shows_the_send_time_in_the_participants_zone(client, make_site, make_staff,
                                                              queued_at_2107):
    staff = make_staff("coordinator")
    items = client.get("/api/messages/queued?study_id=302-0001", headers=staff.headers).json["items"]
    assert {i["kind"] for i in items} == {"invitation"}
    for item in items:
        assert item["send_after_local"] == "2027-01-05T08:00:00+08:00"
        assert item["send_after_utc"].startswith("2027-01-05T00:00:00")
        assert item["zone"] == "Asia/Shanghai" and item["held_for_quiet_hours"] is True
        assert item["quiet_hours"] == "21:00–08:00"
    make_site("303")
    other_site = make_staff("coordinator", ("303",))
    refused = client.get("/api/messages/queued?study_id=302-0001", headers=other_site.headers)
    assert refused.status_code == 404


def test_the_dev_inbox_shows_when_each_queued_message_goes_out(client, queued_at_2107):
    page = client.get("/dev/sms/").get_data(as_text=True)
    assert page.count("2027-01-05 08:00 Asia/Shanghai") == 2
    assert "held for quiet hours 21:00–08:00" in page


def test_the_participant_page_shows_the_send_time(app, make_staff, queued_at_2107):
    make_staff("coordinator", email="c@example.test", password=PASSWORD)
    client = app.test_client()
    login = client.get("/dashboard/login?lang=en").get_data(as_text=True)
    client.post("/dashboard/login", data={"email": "c@example.test", "password": PASSWORD,
                                          "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                                                  login).group(1)})
    page = client.get("/dashboard/participants/302-0001").get_data(as_text=True)
    section = page[page.index('id="clinic"'):]
    assert section.count("goes out 2027-01-05 08:00 UTC+8") == 2
    assert "held for quiet hours" in section and "21:00–08:00, Asia/Shanghai" in section
