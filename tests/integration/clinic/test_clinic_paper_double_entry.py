"""Paper double entry: a second person must enter the same form; a mismatch stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.responses.models import PaperEntry, Response
from pro_service.schedule.models import Occasion

NOW = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # 10:00 Shanghai, the BL window is open
FORM = {"MO": 2, "SC": 1, "UA": 3, "PD": 2, "AD": 1, "VAS": 75}


@pytest.fixture
def setup(make_site, make_staff, make_participant, monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: NOW)
    make_site("302")
    first, second = make_staff("coordinator", name="Li Na"), make_staff("coordinator", name="Wang Fang")
    p = make_participant(study_id="302-0001", baseline=date(2027, 1, 11))
    return first, second, p


def _enter(client, staff, answers, **extra):
    body = {"study_id": "302-0001", "timepoint": "BL", "instrument": "EQ5D5L", "answers": answers,
            "completed_on": "2027-01-05", "double_entry": True, **extra}
    return client.post("/api/responses/paper", json=body, headers=staff.headers)


def _responses():
    return db.session.scalars(sa.select(Response)).all()


def _status():
    db.session.expire_all()
    return db.session.scalar(sa.select(Occasion.status).where(
        Occasion.timepoint == "BL", Occasion.instrument == "EQ5D5L"))


def test_double_entry_mismatch_shows_the_differences_and_stores_nothing_until_resolved(
        client, setup):
    first, second, _p = setup
    pending = _enter(client, first, FORM)
    assert pending.status_code == 201 and pending.json["status"] == "awaiting_second_entry"
    assert _responses() == [] and _status() == "scheduled"

    same_person = _enter(client, first, FORM)
    assert same_person.status_code == 409 and "another person" in same_person.json["detail"]

    typo = {**FORM, "VAS": 57, "UA": 2}
    mismatch = _enter(client, second, typo)
    assert mismatch.status_code == 409
    assert mismatch.json["differences"] == [
        {"field": "UA", "first": 3, "second": 2}, {"field": "VAS", "first": 75, "second": 57}]
    assert _responses() == [] and _status() == "scheduled"
    assert db.session.scalars(sa.select(PaperEntry)).one().answers == FORM  # first entry kept

    resolved = _enter(client, second, FORM, resolve=True)  # checked the paper: the first was right
    assert resolved.status_code == 201 and resolved.json["status"] == "stored"
    response = _responses()[0]
    assert (response.channel, response.answers, response.completed_on) == ("paper", FORM,
                                                                            date(2027, 1, 5))
    assert [t["name"] for t in response.provenance["transcribed_by"]] == ["Li Na", "Wang Fang"]
    assert response.provenance["resolved_differences"] == []  # the values finally agreed
    assert _status() == "completed"
    assert db.session.scalars(sa.select(PaperEntry)).all() == []
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"paper.first_entry", "response.submit"} <= actions


def test_a_resolved_mismatch_keeps_the_second_values_and_records_what_differed(client, setup):
    first, second, _p = setup
    _enter(client, first, {**FORM, "VAS": 57})  # the first transcriber slipped
    resolved = _enter(client, second, FORM, resolve=True)
    assert resolved.status_code == 201
    response = _responses()[0]
    assert response.answers["VAS"] == 75
    assert response.provenance["resolved_differences"] == [
        {"field": "VAS", "first": 57, "second": 75}]


def test_single_entry_is_stored_at_once_and_bad_answers_never(client, setup):
    first, _second, _p = setup
    bad = _enter(client, first, {**FORM, "MO": 9}, double_entry=False)
    assert bad.status_code == 422 and "MO" in bad.json["detail"]
    missing = _enter(client, first, {"MO": 1}, double_entry=False)
    assert missing.status_code == 422
    assert _responses() == []
    ok = _enter(client, first, FORM, double_entry=False)
    assert ok.status_code == 201 and ok.json["status"] == "stored"
    assert _responses()[0].scores  # scored like every channel
