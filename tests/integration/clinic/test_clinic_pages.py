"""Clinic pages: paper double entry through the page shows differences; send times on the page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.responses.models import Response
from pro_service.schedule.models import Occasion

PASSWORD = "correct horse"  # noqa: S105 - test credential
NOW = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # 10:00 Shanghai, BL window open
FORM = {"MO": "2", "SC": "1", "UA": "3", "PD": "2", "AD": "1", "VAS": "75",
        "completed_on": "2027-01-05"}


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _signed_in(app, email):
    client = app.test_client()
    page = client.get("/dashboard/login?lang=en").get_data(as_text=True)
    client.post("/dashboard/login", data={"email": email, "password": PASSWORD,
                                          "csrf_token": _token(page)})
    return client


@pytest.fixture
def occasion(make_site, make_participant, monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: NOW)
    make_site("302")
    p = make_participant(study_id="302-0001", baseline=date(2027, 1, 11))
    return db.session.scalar(sa.select(Occasion).where(
        Occasion.participant_id == p.id, Occasion.timepoint == "BL", Occasion.instrument == "EQ5D5L"))


def _post(client, occasion_id, data):
    url = f"/dashboard/participants/302-0001/paper/{occasion_id}"
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": _token(page)})


def test_a_second_paper_entry_that_differs_shows_the_differences_on_the_page_and_stores_nothing(
        app, make_staff, occasion):
    make_staff("coordinator", email="a@example.test", password=PASSWORD, name="Li Na")
    make_staff("coordinator", email="b@example.test", password=PASSWORD, name="Wang Fang")
    first, second = _signed_in(app, "a@example.test"), _signed_in(app, "b@example.test")
    occasion_id = occasion.id

    kept = _post(first, occasion_id, {**FORM, "double_entry": "true"})
    assert kept.status_code == 302
    clinic_page = first.get("/dashboard/participants/302-0001/clinic").get_data(as_text=True)
    assert "awaiting the second entry" in clinic_page and "Li Na" in clinic_page

    differs = _post(second, occasion_id, {**FORM, "VAS": "57"})
    body = differs.get_data(as_text=True)
    assert differs.status_code == 409
    assert "The two entries differ" in body and "<td>VAS</td><td>75</td><td>57</td>" in body
    assert db.session.scalars(sa.select(Response)).all() == []

    stored = _post(second, occasion_id, {**FORM, "resolve": "true"})
    assert stored.status_code == 302
    response = db.session.scalars(sa.select(Response)).one()
    assert (response.channel, response.answers["VAS"]) == ("paper", 75)


def test_a_paper_date_outside_the_window_without_reason_is_refused_on_the_page(
        app, make_staff, occasion):
    make_staff("coordinator", email="a@example.test", password=PASSWORD)
    client = _signed_in(app, "a@example.test")
    refused = _post(client, occasion.id, {**FORM, "completed_on": "2026-12-01"})
    assert refused.status_code == 422 and "give the reason" in refused.get_data(as_text=True)
    assert db.session.scalars(sa.select(Response)).all() == []
