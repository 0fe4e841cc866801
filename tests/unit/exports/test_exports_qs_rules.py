"""Pure SDTM QS rules: test codes and labels, visits, baseline flag, sequence, dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pro_service.exports.domain.sdtm_qs import (
    QS_COLUMNS,
    QsResponse,
    clean_testcd,
    qs_instrument,
    qs_rows,
    shorten,
    usubjid,
    visit_name,
    visits,
)
from pro_service.instruments.service import load_all

QUESTIONNAIRES = Path(__file__).resolve().parents[3] / "questionnaires"
INSTRUMENTS = load_all(QUESTIONNAIRES)
SPECS = {code: qs_instrument(INSTRUMENTS[code]) for code in ("EQ5D5L", "CLDQ")}
VISITS = visits([("BL", "Baseline"), ("W4", "Week 4"), ("W24", "Week 24 (primary-endpoint visit)"),
                 ("SC-W1", "Weekly symptom check, week 1")])
TESTCD = re.compile(r"[A-Z_][A-Z0-9_]{0,7}")


def _response(timepoint: str, instrument: str = "EQ5D5L", *,
              at: datetime = datetime(2027, 1, 10, 16, 30, tzinfo=UTC),
              **answers: object) -> QsResponse:
    defaults = {"MO": 1, "SC": 2, "UA": 3, "PD": 4, "AD": 5, "VAS": 80}
    return QsResponse(study_id="302-0001", timezone="Asia/Shanghai", baseline=date(2027, 1, 11),
                      instrument=instrument, timepoint=timepoint, completed_at=at,
                      answers={**defaults, **answers})


def test_eq5d_5l_uses_the_cdisc_terminology_codes():
    codes = [(i.id, i.testcd, i.test) for i in SPECS["EQ5D5L"].items]
    assert codes[0] == ("MO", "EQ5D0201", "EQ5D02-Mobility")
    assert codes[-1] == ("VAS", "EQ5D0206", "EQ5D02-EQ VAS Score")
    assert SPECS["EQ5D5L"].qscat == "EQ-5D-5L"


def test_cldq_codes_are_valid_unique_and_labels_drop_the_recall_stem():
    items = SPECS["CLDQ"].items
    assert len({i.testcd for i in items}) == len(items) == 29
    assert all(TESTCD.fullmatch(i.testcd) and len(i.test) <= 40 for i in items)
    assert items[0].test == "CLDQ01-Have belly bloating"
    assert items[0].labels[1] == "All the time"


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=30))
def test_clean_test_codes_are_always_valid_and_unique(raw_ids):
    taken: set[str] = set()
    codes = [clean_testcd(raw, taken) for raw in raw_ids]
    assert len(set(codes)) == len(codes)
    assert all(TESTCD.fullmatch(code) for code in codes), codes


@given(st.text(max_size=200))
def test_shortened_labels_fit_forty_characters(text):
    assert len(shorten(text)) <= 40


def test_visit_names_and_numbers_follow_the_protocol_order():
    assert (VISITS["BL"].num, VISITS["BL"].name) == (1, "BASELINE")
    assert (VISITS["W4"].num, VISITS["W4"].name) == (2, "WEEK 4")
    assert (VISITS["W24"].num, VISITS["W24"].name) == (3, "WEEK 24")
    assert visit_name("SC-W1", "Weekly symptom check, week 1") == "WEEKLY SYMPTOM CHECK, WEEK 1"
    assert usubjid("NCT05121870", "302-0001") == "NCT05121870-302-0001"


def test_rows_flag_baseline_number_items_and_give_local_dates_and_study_days():
    w4 = datetime(2027, 2, 8, 2, 0, tzinfo=UTC)
    rows = qs_rows("NCT05121870", [_response("BL"), _response("W4", at=w4, VAS=55)], SPECS,
                   VISITS)
    assert [r["QSSEQ"] for r in rows] == list(range(1, 13))
    assert all(tuple(r) == QS_COLUMNS for r in rows)
    assert {r["QSBLFL"] for r in rows[:6]} == {"Y"} and {r["QSBLFL"] for r in rows[6:]} == {""}
    assert {r["VISITNUM"] for r in rows[6:]} == {2}
    # 16:30 UTC on 01-10 is 00:30 on 01-11 in Shanghai: the baseline date, study day 1.
    assert {(r["QSDTC"], r["QSDY"]) for r in rows[:6]} == {("2027-01-11T00:30:00", 1)}
    assert {(r["QSDTC"], r["QSDY"]) for r in rows[6:]} == {("2027-02-08T10:00:00", 29)}
    ad = rows[4]
    assert (ad["QSTESTCD"], ad["QSORRES"], ad["QSSTRESC"], ad["QSSTRESN"]) == (
        "EQ5D0205", "Extremely anxious or depressed", "5", 5)
    assert rows[-1]["QSSTRESN"] == 55


def test_unanswered_items_get_no_row():
    rows = qs_rows("NCT05121870", [_response("BL", VAS=None)], SPECS, VISITS)
    assert [r["QSTESTCD"] for r in rows] == ["EQ5D0201", "EQ5D0202", "EQ5D0203", "EQ5D0204",
                                              "EQ5D0205"]
