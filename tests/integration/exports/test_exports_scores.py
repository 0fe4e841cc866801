"""Long-format score export: JSON and CSV agree; study day, window, baseline change, versions."""

from __future__ import annotations

from typing import Any

from pro_service.exports.domain.rows import SCORE_COLUMNS
from pro_service.exports.domain.tabular import cell
from pro_service.extensions import db
from pro_service.responses import service as responses
from pro_service.responses.jobs import close_missed
from tests.integration.exports.conftest import (
    AFTER_BL_CLOSED,
    BL_EARLY,
    BL_ON_DAY,
    MIXED_EQ5D,
    W4_ON_TARGET,
    W4_TOO_EARLY,
    open_occasion,
    read_csv,
)


def _json(client: Any, headers: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    resp = client.get("/api/exports/scores", query_string={"per_page": 1000, **query},
                      headers=headers)
    assert resp.status_code == 200, resp.json
    return resp.json["items"]  # type: ignore[no-any-return]


def _by(rows: list[dict[str, Any]], timepoint: str, scale: str) -> dict[str, Any]:
    found = [r for r in rows if r["timepoint"] == timepoint and r["scale"] == scale]
    assert len(found) == 1, (timepoint, scale, rows)
    return found[0]


def test_json_and_csv_give_the_same_rows_and_the_csv_has_a_header(
        client, world, make_participant, answer):
    a, b = make_participant(), make_participant(study_id="303-0001", site="303")
    answer(a, "BL", at=BL_EARLY)
    answer(a, "BL", "CLDQ", at=BL_EARLY, level=4)
    answer(a, "W4", at=W4_ON_TARGET, answers=MIXED_EQ5D)
    answer(b, "BL", at=BL_ON_DAY, level=3)
    headers = world["analyst"].headers
    rows = _json(client, headers)
    resp = client.get("/api/exports/scores?format=csv", headers=headers)
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    header, csv_rows = read_csv(resp.get_data(as_text=True))
    assert header == list(SCORE_COLUMNS)
    assert len(rows) == len(csv_rows) == 3 + 7 + 3 + 3  # EQ-5D: index, LSS, VAS; CLDQ: 6 + overall
    as_text = [{k: str(cell(v)) for k, v in r.items()} for r in rows]
    assert as_text == csv_rows
    assert {r["study_id"] for r in rows} == {"302-0001", "303-0001"}


def test_change_from_baseline_is_per_participant_and_scale_and_empty_at_baseline(
        client, world, make_participant, answer):
    a, b = make_participant(), make_participant()
    answer(a, "BL", at=BL_EARLY)  # level 1 everywhere, VAS 70: LSS 5
    answer(a, "W4", at=W4_ON_TARGET, answers=MIXED_EQ5D)  # LSS 12, VAS 63
    answer(b, "BL", at=BL_EARLY, level=2)  # LSS 10
    answer(b, "W4", at=W4_ON_TARGET, level=2)
    rows = _json(client, world["analyst"].headers, instrument="EQ5D5L")
    mine = [r for r in rows if r["study_id"] == a.study_id]
    assert _by(mine, "BL", "EQ5D_VAS")["change_from_baseline"] is None
    assert _by(mine, "W4", "EQ5D_VAS")["change_from_baseline"] == -7
    assert _by(mine, "W4", "EQ5D_LSS")["change_from_baseline"] == 7
    assert _by(mine, "W4", "EQ5D_LSS")["baseline_value"] == 5
    index = _by(mine, "W4", "EQ5D_INDEX")
    assert index["change_from_baseline"] == round(index["value"] - index["baseline_value"], 6)
    theirs = [r for r in rows if r["study_id"] == b.study_id]
    assert _by(theirs, "W4", "EQ5D_LSS")["change_from_baseline"] == 0


def test_change_from_baseline_is_empty_without_a_baseline_answer(
        client, world, make_participant, answer):
    p = make_participant()
    answer(p, "W4", at=W4_ON_TARGET)
    rows = _json(client, world["analyst"].headers)
    assert {r["change_from_baseline"] for r in rows} == {None}
    assert {r["baseline_value"] for r in rows} == {None}


def test_study_day_counts_the_baseline_date_as_day_1_with_no_day_0(
        client, world, make_participant, answer):
    early, on_day = make_participant(), make_participant()
    answer(early, "BL", at=BL_EARLY)
    answer(on_day, "BL", at=BL_ON_DAY)
    answer(on_day, "W4", at=W4_ON_TARGET)
    rows = _json(client, world["analyst"].headers, scale="EQ5D_VAS")
    days = {(r["study_id"], r["timepoint"]): r["study_day"] for r in rows}
    assert days == {(early.study_id, "BL"): -7, (on_day.study_id, "BL"): 1,
                    (on_day.study_id, "W4"): 29}


def test_completion_times_are_given_in_utc_and_in_the_participants_local_time(
        client, world, make_participant, answer):
    p = make_participant()
    answer(p, "BL", at=BL_EARLY)
    row = _json(client, world["analyst"].headers, scale="EQ5D_VAS")[0]
    assert row["completed_at_utc"] == "2027-01-04T03:00:00+00:00"
    assert row["completed_at_local"] == "2027-01-04T11:00:00+08:00"
    assert row["target_date"] == "2027-01-11"
    assert row["channel"] == "web"
    assert row["site"] == "302"


def test_in_window_is_false_for_an_answer_given_before_the_window_opened(
        client, world, make_participant, answer):
    on_time, early = make_participant(), make_participant()
    answer(on_time, "W4", at=W4_ON_TARGET)
    answer(early, "W4", at=W4_TOO_EARLY)
    rows = _json(client, world["analyst"].headers, scale="EQ5D_VAS")
    flags = {r["study_id"]: (r["in_window"], r["study_day"]) for r in rows}
    assert flags == {on_time.study_id: (True, 29), early.study_id: (False, 25)}


def test_superseded_versions_are_left_out_and_a_correction_keeps_the_first_completion(
        app, client, world, make_participant, answer):
    p = make_participant()
    first = answer(p, "BL", at=BL_EARLY)
    spec = app.extensions["pro.instruments"]["EQ5D5L"]
    responses.correct_response(first.id, {**MIXED_EQ5D, "VAS": 55}, instrument=spec,
                               reason="transcription error", actor="staff:1", now=BL_ON_DAY)
    db.session.commit()
    rows = _json(client, world["analyst"].headers, instrument="EQ5D5L")
    assert len(rows) == 3
    vas = _by(rows, "BL", "EQ5D_VAS")
    assert (vas["value"], vas["response_version"]) == (55, 2)
    assert vas["completed_at_utc"] == "2027-01-04T03:00:00+00:00"
    assert vas["channel"] == "web"
    csv_text = client.get("/api/exports/scores?format=csv",
                          headers=world["analyst"].headers).get_data(as_text=True)
    assert len(read_csv(csv_text)[1]) == 3


def test_partial_responses_are_not_exported_as_scores(
        app, client, world, make_participant, answer):
    p = make_participant()
    occ = open_occasion(p, "BL", "EQ5D5L")
    spec = app.extensions["pro.instruments"]["EQ5D5L"]
    responses.save_draft(occ.id, {"MO": 2}, instrument=spec, channel="web", now=BL_EARLY)
    close_missed(now=AFTER_BL_CLOSED, limit=100, instruments=app.extensions["pro.instruments"])
    assert _json(client, world["analyst"].headers) == []


def test_filters_narrow_the_rows_and_pages_split_them(client, world, make_participant, answer):
    a, b = make_participant(), make_participant(study_id="303-0001", site="303")
    answer(a, "BL", at=BL_EARLY)
    answer(a, "W4", at=W4_ON_TARGET)
    answer(b, "BL", "CLDQ", at=BL_ON_DAY)
    headers = world["analyst"].headers
    assert {r["site"] for r in _json(client, headers, site="303")} == {"303"}
    assert {r["timepoint"] for r in _json(client, headers, timepoint="W4")} == {"W4"}
    assert {r["instrument"] for r in _json(client, headers, instrument="CLDQ")} == {"CLDQ"}
    assert len(_json(client, headers, scale="EQ5D_INDEX")) == 2
    assert len(_json(client, headers, since="2027-01-05T00:00:00Z")) == 3 + 7
    assert len(_json(client, headers, until="2027-01-05T00:00:00+00:00")) == 3
    first = client.get("/api/exports/scores?per_page=4&page=1", headers=headers).json
    second = client.get("/api/exports/scores?per_page=4&page=2", headers=headers).json
    assert first["total"] == second["total"] == 13
    assert len(first["items"]) == len(second["items"]) == 4
    assert first["items"] != second["items"]
    assert client.get("/api/exports/scores?format=xml", headers=headers).status_code == 422
