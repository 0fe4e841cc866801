"""SDTM QS conformance: each rule of the issue on CSV, XPT (read back) and Dataset-JSON."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyreadstat
import pytest

from pro_service.exports.domain.catalog import QS_LABELS
from pro_service.exports.domain.sdtm_qs import QS_COLUMNS
from tests.integration.exports.conftest import BL_EARLY, BL_ON_DAY, MIXED_EQ5D, W4_ON_TARGET, read_csv

ISO_DTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@pytest.fixture
def qs_data(world: Any, make_participant: Any, answer: Any) -> dict[str, Any]:
    """Three subjects: two answers before the first infusion, a late first infusion, a W4."""
    a = make_participant()  # first infusion = baseline date 2027-01-11
    answer(a, "BL", at=BL_EARLY, answers=MIXED_EQ5D)
    answer(a, "BL", "CLDQ", at=BL_ON_DAY, level=6)
    answer(a, "W4", at=W4_ON_TARGET)
    # Infusion 1 only on 02-10: the W4 answers (02-08) are the last before it.
    b = make_participant(infusion_1=date(2027, 2, 10), infusion_2=date(2027, 3, 10),
                         infusion_3=date(2027, 4, 7))
    answer(b, "BL", at=BL_ON_DAY, level=2)
    answer(b, "W4", at=W4_ON_TARGET, level=3)
    c = make_participant(study_id="303-0009", site="303")
    answer(c, "W4", at=W4_ON_TARGET, level=4)  # no baseline answers at all
    return {"headers": world["analyst"].headers}


def _csv_rows(client: Any, headers: dict[str, str]) -> list[dict[str, str]]:
    resp = client.get("/api/exports/sdtm/qs.csv", headers=headers)
    header, rows = read_csv(resp.get_data(as_text=True))
    assert header == list(QS_COLUMNS)
    return rows


def _check_rules(rows: list[dict[str, Any]]) -> None:
    """Every QS rule of the issue, over rows whose values are strings or numbers."""
    assert rows
    seqs: dict[str, list[int]] = defaultdict(list)
    visits: dict[Any, set[str]] = defaultdict(set)
    for r in rows:
        assert r["DOMAIN"] == "QS" and r["USUBJID"].startswith(r["STUDYID"] + "-")
        seqs[r["USUBJID"]].append(int(r["QSSEQ"]))
        # QSSTRESN is numeric exactly when QSSTRESC is a number, and then equal to it.
        stresc, stresn = str(r["QSSTRESC"]), r["QSSTRESN"]
        has_number = stresn not in ("", None) and not (isinstance(stresn, float) and stresn != stresn)
        assert has_number == bool(NUMBER.match(stresc)), r
        if has_number:
            assert float(stresn) == float(stresc)
        assert ISO_DTC.match(str(r["QSDTC"])), r["QSDTC"]
        visits[int(float(r["VISITNUM"]))].add(r["VISIT"])
        assert r["QSBLFL"] in ("Y", "")
        expected_evlint = {"CLDQ": "-P2W", "EQ-5D-5L": ""}[r["QSCAT"]]
        assert r["QSEVLINT"] == expected_evlint
        assert r["QSEVINTX"] == ("TODAY" if r["QSCAT"] == "EQ-5D-5L" else "")
        assert len(r["QSTESTCD"]) <= 8 and len(r["QSTEST"]) <= 40
        assert all(str(v).isascii() for v in r.values())
    for subject, numbers in seqs.items():
        assert len(numbers) == len(set(numbers)), subject  # QSSEQ unique per USUBJID
    # VISITNUM and VISIT map one to one.
    assert all(len(names) == 1 for names in visits.values())
    by_name: dict[str, set[int]] = defaultdict(set)
    for num, names in visits.items():
        by_name[next(iter(names))].add(num)
    assert all(len(nums) == 1 for nums in by_name.values())


def _baseline_flags(rows: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    flagged = {(r["USUBJID"], r["QSTESTCD"]): r["VISIT"] for r in rows if r["QSBLFL"] == "Y"}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        counts[(r["USUBJID"], r["QSTESTCD"])] += r["QSBLFL"] == "Y"
    assert max(counts.values()) == 1  # at most one baseline per subject and test
    return flagged


def test_qs_csv_follows_every_rule(client, qs_data):
    rows = _csv_rows(client, qs_data["headers"])
    _check_rules(rows)
    flags = _baseline_flags(rows)
    a, b, c = "NCT05121870-302-0001", "NCT05121870-302-0002", "NCT05121870-303-0009"
    # QSBLFL: last non-missing on or before the first infusion.
    assert flags[(a, "EQ5D0201")] == "BASELINE" and flags[(a, "CLDQ01")] == "BASELINE"
    assert flags[(a, "EQ5D0206")] == "BASELINE"  # not W4: that is after the first infusion
    assert flags[(b, "EQ5D0201")] == "WEEK 4"  # the W4 answer preceded the late infusion
    assert not any(k[0] == c for k in flags)  # nothing before c's first infusion


def test_qs_xpt_is_sas_transport_v5_and_reads_back_equal_to_the_csv(client, qs_data, tmp_path):
    headers = qs_data["headers"]
    resp = client.get("/api/exports/sdtm/qs.xpt", headers=headers)
    assert resp.status_code == 200
    data = resp.get_data()
    assert data.startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!")  # v5, not v8
    path = Path(tmp_path) / "qs.xpt"
    path.write_bytes(data)
    frame, meta = pyreadstat.read_xport(str(path))
    assert meta.table_name == "QS"
    assert list(frame.columns) == list(QS_COLUMNS)
    assert meta.column_names_to_labels == {c: QS_LABELS[c][0] for c in QS_COLUMNS}
    assert {c for c, t in meta.readstat_variable_types.items() if t == "double"} == {
        "QSSEQ", "QSSTRESN", "VISITNUM", "QSDY"}
    csv_rows = _csv_rows(client, headers)
    assert len(frame) == len(csv_rows)
    xpt_rows = frame.to_dict("records")
    _check_rules(xpt_rows)
    for x, c in zip(xpt_rows, csv_rows, strict=True):
        assert int(x["QSSEQ"]) == int(c["QSSEQ"]) and x["USUBJID"] == c["USUBJID"]
        assert x["QSSTRESC"] == c["QSSTRESC"] and x["QSBLFL"] == c["QSBLFL"]
        assert x["QSDTC"] == c["QSDTC"] and int(x["QSDY"]) == int(c["QSDY"])


def test_qs_dataset_json_has_the_cdisc_shape_and_the_same_rows(client, qs_data):
    headers = qs_data["headers"]
    doc = json.loads(client.get("/api/exports/sdtm/qs.json", headers=headers).get_data())
    assert doc["datasetJSONVersion"] == "1.1.0" and doc["name"] == "QS"
    assert [c["name"] for c in doc["columns"]] == list(QS_COLUMNS)
    assert doc["records"] == len(doc["rows"]) == len(_csv_rows(client, headers))
    keyed = {c["name"]: c.get("keySequence") for c in doc["columns"]}
    assert (keyed["STUDYID"], keyed["USUBJID"], keyed["QSSEQ"]) == (1, 2, 3)
    rows = [dict(zip(QS_COLUMNS, r, strict=True)) for r in doc["rows"]]
    _check_rules([{k: ("" if v is None else v) for k, v in r.items()} for r in rows])


def test_qs_filters_keep_sequence_numbers_and_baseline_flags_of_the_full_file(client, qs_data):
    headers = qs_data["headers"]
    full = _csv_rows(client, headers)
    resp = client.get("/api/exports/sdtm/qs.csv?timepoint=BL", headers=headers)
    part = read_csv(resp.get_data(as_text=True))[1]
    assert part and {r["VISIT"] for r in part} == {"BASELINE"}
    assert part == [r for r in full if r["VISIT"] == "BASELINE"]


def test_xpt_of_a_cut_time_is_stamped_with_the_cut_not_the_clock(client, qs_data):
    headers = qs_data["headers"]
    as_of = datetime(2027, 3, 1, 8, 30, tzinfo=UTC).isoformat()
    one = client.get("/api/exports/sdtm/qs.xpt", query_string={"as_of": as_of}, headers=headers)
    assert b"01MAR27:08:30:00" in one.get_data()[:400]
