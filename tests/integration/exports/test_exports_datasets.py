"""Item-level, wide and safety datasets: codes instead of blanks, symptom checks, alert times."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from pro_service.exports.domain.catalog import ITEMS, SAFETY
from pro_service.extensions import db
from pro_service.participants import service as participants
from pro_service.safety import service as safety
from tests.integration.exports.conftest import (
    BL_ON_DAY,
    MIXED_EQ5D,
    W4_ON_TARGET,
    read_csv,
)

SC_W1_DONE = datetime(2027, 1, 18, 4, 0, tzinfo=UTC)  # 12:00 local on the SC-W1 target date


def _csv(client: Any, url: str, headers: dict[str, str], **query: Any) -> list[dict[str, str]]:
    resp = client.get(url, query_string=query, headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return read_csv(resp.get_data(as_text=True))[1]


def _items(client: Any, headers: dict[str, str], **query: Any) -> list[dict[str, str]]:
    return _csv(client, "/api/exports/items", headers, **query)


def test_item_rows_give_answers_and_missing_codes_never_blanks(
        client, world, make_participant, answer):
    p = make_participant()
    answer(p, "BL", at=BL_ON_DAY, answers=MIXED_EQ5D)
    answer(p, "SC-W1", "SYMPTOMS", at=SC_W1_DONE,
           answers={"SC_BLEED": False, "SC_CONFUSION": False, "SC_ASCITES": True,
                    "SC_FEVER": False, "SC_JAUNDICE": False, "SC_URINE": False,
                    "SC_INFUSION": False})
    # Cut after SC-W1 closed and before W4 opened: BL CLDQ was never answered.
    rows = _items(client, world["analyst"].headers, as_of="2027-01-25T00:00:00Z")
    assert all(r["value"] != "" or r["missing_code"] != "" for r in rows)
    mo = next(r for r in rows if r["timepoint"] == "BL" and r["item_id"] == "MO")
    assert (mo["value"], mo["value_label_en"], mo["missing_code"]) == ("2", "Slight difficulty walking about", "")
    assert (mo["occasion_status"], mo["channel"], mo["reporter"]) == ("COMPLETE", "web", "self")
    cldq = [r for r in rows if r["timepoint"] == "BL" and r["instrument"] == "CLDQ"]
    assert len(cldq) == 29 and {r["missing_code"] for r in cldq} == {"MISSED"}
    sc = {r["item_id"]: r for r in rows if r["timepoint"] == "SC-W1"}
    assert sc["SC_ASCITES"]["value"] == "Y" and sc["SC_BLEED"]["value"] == "N"
    assert sc["SC_OTHER"]["missing_code"] == "NOT_ANSWERED"
    w4 = [r for r in rows if r["timepoint"] == "W4"]
    assert w4 and {r["missing_code"] for r in w4} == {"NOT_DUE"}
    assert list(rows[0]) == list(ITEMS.columns)


def test_items_whose_window_closed_before_enrolment_carry_that_code(
        client, world, make_participant):
    # Enrolled on 01-20: the BL window (closing 01-12 local) had closed already.
    make_participant(now=datetime(2027, 1, 20, 2, 0, tzinfo=UTC))
    rows = _items(client, world["analyst"].headers, as_of="2027-01-25T00:00:00Z", timepoint="BL")
    assert rows and {r["missing_code"] for r in rows} == {"MISSED_BEFORE_ENROLMENT"}
    assert {r["occasion_status"] for r in rows} == {"MISSED_BEFORE_ENROLMENT"}


def test_items_after_withdrawal_carry_the_withdrawn_code(client, world, make_participant):
    p = make_participant()
    participants.withdraw_participant(p.study_id, staff=world["admin"].user, reason="moved away",
                                      now=datetime(2027, 2, 1, 2, 0, tzinfo=UTC))
    rows = _items(client, world["analyst"].headers, as_of="2027-03-01T00:00:00Z",
                  instrument="EQ5D5L")
    codes = {r["timepoint"]: r["missing_code"] for r in rows}
    assert codes["BL"] == "MISSED" and codes["W4"] == "WITHDRAWN" and codes["W48"] == "WITHDRAWN"
    # Before the withdrawal the same W4 occasion was simply not due yet.
    before = _items(client, world["analyst"].headers, as_of="2027-01-25T00:00:00Z",
                    instrument="EQ5D5L", timepoint="W4")
    assert {r["missing_code"] for r in before} == {"NOT_DUE"}


def test_wide_has_one_row_per_participant_and_timepoint_with_scores_and_items(
        client, world, make_participant, answer):
    p = make_participant()
    answer(p, "BL", at=BL_ON_DAY, answers=MIXED_EQ5D)
    answer(p, "W4", at=W4_ON_TARGET)
    rows = _csv(client, "/api/exports/wide", world["analyst"].headers,
                as_of="2027-02-09T00:00:00Z")
    keys = [(r["study_id"], r["timepoint"]) for r in rows]
    assert len(keys) == len(set(keys))
    bl = next(r for r in rows if r["timepoint"] == "BL")
    assert bl["EQ5D5L_status"] == "COMPLETE" and bl["EQ5D5L_MO"] == "2"
    assert bl["EQ5D_LSS"] == "12.0" and bl["EQ5D5L_VAS"] == "63"
    assert bl["CLDQ_status"] == "MISSED" and bl["CLDQ_OVERALL"] == ""
    assert bl["SYMPTOMS_status"] == "NOT_SCHEDULED" and bl["visitnum"] == "1"
    w4 = next(r for r in rows if r["timepoint"] == "W4")
    assert w4["EQ5D_INDEX"] == "1.0" and w4["EQ5D5L_completed_at_utc"].startswith("2027-02-08")


def test_safety_listing_shows_steps_taken_by_the_cut(client, world, make_participant, answer):
    p = make_participant()
    answer(p, "SC-W1", "SYMPTOMS", at=SC_W1_DONE,
           answers={"SC_BLEED": True, "SC_CONFUSION": False, "SC_ASCITES": False,
                    "SC_FEVER": False, "SC_JAUNDICE": False, "SC_URINE": False,
                    "SC_INFUSION": False})
    officer = world["safety_officer"].user
    alert = db.session.scalars(safety.visible_alerts(officer)).one()
    acked = SC_W1_DONE + timedelta(minutes=10)
    safety.acknowledge_alert(alert, staff=officer, via="dashboard", now=acked)
    safety.triage_alert(alert, staff=officer, classification="sae", meddra_term="Haematemesis",
                        note="admitted", now=acked + timedelta(hours=1))
    headers = world["analyst"].headers
    now_rows = _csv(client, "/api/exports/safety", headers)
    assert list(now_rows[0]) == list(SAFETY.columns)
    row = now_rows[0]
    assert (row["study_id"], row["category"], row["source"], row["status"]) == (
        "302-0001", "gi_bleeding", "structured", "triaged")
    assert (row["triage"], row["meddra_term"], row["sae_flag"]) == ("sae", "Haematemesis", "Y")
    early = _csv(client, "/api/exports/safety", headers,
                 as_of=(acked + timedelta(minutes=1)).isoformat())[0]
    assert (early["status"], early["triage"], early["sae_flag"]) == ("acknowledged", "", "")
    assert early["acknowledged_at_utc"] == acked.isoformat()
    raised = _csv(client, "/api/exports/safety", headers, as_of=SC_W1_DONE.isoformat())[0]
    assert (raised["status"], raised["acknowledged_at_utc"]) == ("open", "")
    before = (SC_W1_DONE - timedelta(seconds=1)).isoformat()
    assert _csv(client, "/api/exports/safety", headers, as_of=before) == []


def test_json_streams_the_same_rows_and_ends_with_the_row_count(
        client, world, make_participant, answer):
    p = make_participant()
    answer(p, "BL", at=BL_ON_DAY)
    headers = world["analyst"].headers
    csv_rows = _items(client, headers, timepoint="BL")
    resp = client.get("/api/exports/items", query_string={"timepoint": "BL", "format": "json"},
                      headers=headers)
    doc = json.loads(resp.get_data(as_text=True))
    assert doc["row_count"] == len(doc["rows"]) == len(csv_rows) == 6 + 29
    assert doc["columns"] == list(ITEMS.columns) and doc["filters"] == {"timepoint": "BL"}


def test_a_cut_in_the_future_is_refused_and_bad_filters_get_a_clear_answer(client, world):
    headers = world["analyst"].headers
    resp = client.get("/api/exports/items", query_string={"as_of": "2031-01-01T00:00:00Z"},
                      headers=headers)
    assert resp.status_code == 422 and "future" in resp.json["detail"]
    resp = client.get("/api/exports/wide", query_string={"format": "xlsx"}, headers=headers)
    assert resp.status_code == 422
