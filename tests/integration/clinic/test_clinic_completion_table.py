"""Completion figures of a small seeded study against a table computed by hand.

Five participants, two sites, EQ-5D-5L only, read at NOW = 2027-02-11 10:00 Shanghai:

| participant | site | baseline | enrolled | BL | W4 | W12 |
|---|---|---|---|---|---|---|
| 302-0001 | 302 | 01-11 | 01-04 | web, in window | clinic | not yet due |
| 302-0002 | 302 | 01-11 | 01-04 | partial (draft, closed) | sms | not yet due |
| 302-0003 | 302 | 01-11 | 01-04 | missed; withdrawn 01-20 | cancelled | cancelled |
| 303-0001 | 303 | 01-11 | 01-13 | missed before enrolment, then paper | closes 02-12 00:00: overdue | not yet due |
| 303-0002 | 303 | 01-12 | 01-13 | missed before enrolment | closes 02-13 00:00: open | not yet due |
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from pro_service.participants import service as participants
from pro_service.responses import clinic
from pro_service.responses import service as responses
from pro_service.responses.jobs import close_missed
from pro_service.responses.paper import PaperForm, enter_paper
from pro_service.webform import service as webform
from tests.factories import valid_answers
from tests.integration.exports.conftest import occasion_of, open_occasion

ENROL_302 = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
ENROL_303 = datetime(2027, 1, 13, 2, 0, tzinfo=UTC)
BL_EARLY = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
BL_302_CLOSED = datetime(2027, 1, 12, 17, 0, tzinfo=UTC)
W4_VISIT = datetime(2027, 2, 8, 2, 0, tzinfo=UTC)
NOW = datetime(2027, 2, 11, 2, 0, tzinfo=UTC)

# Hand-computed: (site, timepoint) -> the non-zero figures (all others are zero).
EXPECTED = {
    ("302", "BL"): {"total": 3, "completed": 1, "completed_web": 1, "partial": 1, "missed": 1,
                    "closed": 3, "completed_closed": 1, "rate": 0.3333},
    ("302", "W4"): {"total": 3, "completed": 2, "completed_clinic": 1, "completed_sms": 1,
                    "cancelled": 1, "rate": None},
    ("302", "W12"): {"total": 3, "not_yet_due": 2, "cancelled": 1, "rate": None},
    ("303", "BL"): {"total": 2, "completed": 1, "completed_paper": 1, "missed_before_enrolment": 1,
                    "closed": 2, "completed_closed": 1, "rate": 0.5},
    ("303", "W4"): {"total": 2, "overdue": 1, "open": 1, "rate": None},
    ("303", "W12"): {"total": 2, "not_yet_due": 2, "rate": None},
}


@pytest.fixture
def seeded(app, make_site, make_staff, make_participant):
    eq5d = app.extensions["pro.instruments"]["EQ5D5L"]
    make_site("302")
    make_site("303")
    coordinator = make_staff("coordinator", ("302",))
    paper_staff = make_staff("coordinator", ("303",))
    p1, p2, p3 = (make_participant(study_id=f"302-000{n}", now=ENROL_302) for n in (1, 2, 3))
    make_participant(study_id="303-0001", site="303", baseline=date(2027, 1, 11), now=ENROL_303)
    make_participant(study_id="303-0002", site="303", baseline=date(2027, 1, 12),
                     infusion_1=date(2027, 1, 12), now=ENROL_303)

    bl1 = open_occasion(p1, "BL", "EQ5D5L")
    responses.submit_response(bl1.id, valid_answers(eq5d), instrument=eq5d, channel="web",
                              now=BL_EARLY, actor="participant:302-0001")
    bl2 = open_occasion(p2, "BL", "EQ5D5L")
    responses.save_draft(bl2.id, {"MO": 2}, instrument=eq5d, channel="sms", now=BL_EARLY)
    open_occasion(p3, "BL", "EQ5D5L")
    close_missed(now=BL_302_CLOSED, limit=1000, instruments=app.extensions["pro.instruments"])
    enter_paper(PaperForm("303-0001", "BL", "EQ5D5L", valid_answers(eq5d, 2), date(2027, 1, 11)),
                staff=paper_staff.user, instrument=eq5d, now=ENROL_303)
    participants.withdraw_participant("302-0003", staff=coordinator.user, reason="moved away",
                                      now=datetime(2027, 1, 20, 2, 0, tzinfo=UTC))

    started = clinic.start_clinic_session("302-0001", "W4", "EQ5D5L", staff=coordinator.user,
                                          now=W4_VISIT, reminder_hours=(24, 72))
    form = webform.open_clinic_form(started.token, staff_id=coordinator.user.id,
                                    instruments=app.extensions["pro.instruments"], now=W4_VISIT)
    form.answers.update(valid_answers(eq5d))
    webform.submit_form(form, now=W4_VISIT)
    w4 = open_occasion(p2, "W4", "EQ5D5L")
    responses.submit_response(w4.id, valid_answers(eq5d), instrument=eq5d, channel="sms",
                              now=W4_VISIT, actor="participant:302-0002")
    return occasion_of(p1, "W4", "EQ5D5L")


def _nonzero(row):
    return {k: v for k, v in row.items()
            if k not in ("site", "timepoint", "instrument") and (v or k == "rate")}


def test_completion_figures_match_the_hand_computed_table(client, make_staff, seeded,
                                                          monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: NOW)
    admin = make_staff("admin")
    resp = client.get("/api/exports/completion", query_string={"instrument": "EQ5D5L"},
                      headers=admin.headers)
    assert resp.status_code == 200
    api = {(r["site"], r["timepoint"]): _nonzero(r) for r in resp.json["items"]
           if r["timepoint"] in ("BL", "W4", "W12")}
    print("\nsite tp   hand-computed | API")
    for key, hand in EXPECTED.items():
        print(f"{key[0]} {key[1]:<4} {hand} | {api[key]}")
    assert api == EXPECTED

    csv_text = client.get("/api/exports/completion?instrument=EQ5D5L&format=csv",
                          headers=admin.headers).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    by_key = {(r["site"], r["timepoint"]): r for r in rows}
    assert by_key["303", "BL"]["missed_before_enrolment"] == "1"
    assert by_key["302", "BL"]["rate"] == "0.3333" and by_key["302", "W4"]["rate"] == ""
    assert len(rows) == len(resp.json["items"])


def test_the_clinic_response_names_its_facilitator(seeded):
    response = responses.current_response(seeded.id)
    assert response.channel == "clinic"
    assert response.actor == "participant:302-0001"
    assert response.provenance["facilitator"]["name"].startswith("coordinator")


def test_a_coordinator_sees_only_their_sites_figures(client, seeded, make_staff, monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: NOW)
    coordinator = make_staff("coordinator", ("303",))
    items = client.get("/api/exports/completion", headers=coordinator.headers).json["items"]
    assert {r["site"] for r in items} == {"303"}
