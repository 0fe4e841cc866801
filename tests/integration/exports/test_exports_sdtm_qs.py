"""SDTM QS export: one row per answered item, baseline flag, visits, dates and study days."""

from __future__ import annotations

from collections import Counter

from pro_service.exports.domain.sdtm_qs import QS_COLUMNS
from pro_service.extensions import db
from pro_service.responses import service as responses
from tests.factories import valid_answers
from tests.integration.exports.conftest import (
    BL_EARLY,
    BL_ON_DAY,
    MIXED_EQ5D,
    W4_ON_TARGET,
    open_occasion,
    read_csv,
)


def _qs(client, headers, **query):
    resp = client.get("/api/exports/sdtm/qs.csv", query_string=query, headers=headers)
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    return read_csv(resp.get_data(as_text=True))


def test_one_row_per_item_with_the_sdtm_columns(client, world, make_participant, answer):
    p = make_participant(study_id="302-0007")
    answer(p, "BL", at=BL_EARLY)
    answer(p, "BL", "CLDQ", at=BL_EARLY, level=2)
    answer(p, "W4", at=W4_ON_TARGET, answers=MIXED_EQ5D)
    header, rows = _qs(client, world["analyst"].headers)
    assert header == list(QS_COLUMNS)
    assert Counter((r["VISIT"], r["QSCAT"]) for r in rows) == {
        ("BASELINE", "EQ-5D-5L"): 6, ("BASELINE", "CLDQ"): 29, ("WEEK 4", "EQ-5D-5L"): 6}
    assert [int(r["QSSEQ"]) for r in rows] == list(range(1, len(rows) + 1))
    assert {r["STUDYID"] for r in rows} == {"NCT05121870"}
    assert {r["DOMAIN"] for r in rows} == {"QS"}
    assert {r["USUBJID"] for r in rows} == {"NCT05121870-302-0007"}
    assert all(len(r["QSTESTCD"]) <= 8 and len(r["QSTEST"]) <= 40 for r in rows)
    for cat in ("EQ-5D-5L", "CLDQ"):
        codes = [r["QSTESTCD"] for r in rows if r["QSCAT"] == cat and r["VISIT"] == "BASELINE"]
        assert len(set(codes)) == len(codes)


def test_baseline_flag_visit_numbers_dates_and_study_days(client, world, make_participant, answer):
    p = make_participant()
    answer(p, "BL", at=BL_ON_DAY)
    answer(p, "W4", at=W4_ON_TARGET, answers=MIXED_EQ5D)
    rows = _qs(client, world["analyst"].headers)[1]
    bl = [r for r in rows if r["VISIT"] == "BASELINE"]
    w4 = [r for r in rows if r["VISIT"] == "WEEK 4"]
    assert {(r["QSBLFL"], r["VISITNUM"], r["QSDTC"], r["QSDY"]) for r in bl} == {
        ("Y", "1", "2027-01-11T11:00:00", "1")}
    assert {(r["QSBLFL"], r["VISITNUM"], r["QSDTC"], r["QSDY"]) for r in w4} == {
        ("", "2", "2027-02-08T10:00:00", "29")}
    mobility = next(r for r in w4 if r["QSTESTCD"] == "EQ5D0201")
    assert mobility["QSTEST"] == "EQ5D02-Mobility"
    assert (mobility["QSORRES"], mobility["QSSTRESC"], mobility["QSSTRESN"]) == (
        "Slight difficulty walking about", "2", "2")
    vas = next(r for r in w4 if r["QSTESTCD"] == "EQ5D0206")
    assert (vas["QSORRES"], vas["QSSTRESC"], vas["QSSTRESN"]) == ("63", "63", "63")


def test_sequence_numbers_restart_for_each_subject(client, world, make_participant, answer):
    a, b = make_participant(), make_participant()
    answer(a, "BL", at=BL_EARLY)
    answer(b, "BL", at=BL_EARLY)
    rows = _qs(client, world["analyst"].headers)[1]
    for subject in {r["USUBJID"] for r in rows}:
        seqs = [int(r["QSSEQ"]) for r in rows if r["USUBJID"] == subject]
        assert seqs == [1, 2, 3, 4, 5, 6]


def test_only_the_current_version_of_a_corrected_response_is_exported(
        app, client, world, make_participant, answer):
    p = make_participant()
    first = answer(p, "BL", at=BL_EARLY)
    responses.correct_response(first.id, MIXED_EQ5D, instrument=app.extensions["pro.instruments"][
        "EQ5D5L"], reason="participant called to correct", actor="staff:1", now=BL_ON_DAY)
    db.session.commit()
    rows = _qs(client, world["analyst"].headers)[1]
    assert len(rows) == 6
    assert {r["QSTESTCD"]: r["QSSTRESN"] for r in rows}["EQ5D0204"] == "4"
    assert {r["QSDTC"] for r in rows} == {"2027-01-04T11:00:00"}


def test_symptom_checks_are_not_part_of_qs(app, client, world, make_participant, answer):
    p = make_participant()
    answer(p, "BL", at=BL_EARLY)
    symptoms = app.extensions["pro.instruments"]["SYMPTOMS"]
    occ = open_occasion(p, "SC-INF1-D1", "SYMPTOMS")
    responses.submit_response(occ.id, valid_answers(symptoms), instrument=symptoms, channel="web",
                              now=occ.opens_at, actor="test")
    rows = _qs(client, world["analyst"].headers)[1]
    assert {r["QSCAT"] for r in rows} == {"EQ-5D-5L"}


def test_filters_by_site_and_timepoint(client, world, make_participant, answer):
    a, b = make_participant(), make_participant(study_id="303-0001", site="303")
    answer(a, "BL", at=BL_EARLY)
    answer(a, "W4", at=W4_ON_TARGET)
    answer(b, "BL", at=BL_EARLY)
    headers = world["analyst"].headers
    assert {r["USUBJID"] for r in _qs(client, headers, site="303")[1]} == {
        "NCT05121870-303-0001"}
    assert {r["VISIT"] for r in _qs(client, headers, timepoint="W4")[1]} == {"WEEK 4"}
    header, rows = _qs(client, headers, site="999")
    assert header == list(QS_COLUMNS) and rows == []
