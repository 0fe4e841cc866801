"""The data dictionary documents every column of every dataset, in both languages."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.exports.conftest import BL_ON_DAY, read_csv
from tests.integration.exports.test_exports_datasets import SC_W1_DONE

NO_SYMPTOMS = {"SC_BLEED": False, "SC_CONFUSION": False, "SC_ASCITES": False, "SC_FEVER": False,
               "SC_JAUNDICE": False, "SC_URINE": False, "SC_INFUSION": False}

DATASETS = {"scores": "/api/exports/scores?format=csv", "items": "/api/exports/items",
            "wide": "/api/exports/wide", "safety": "/api/exports/safety",
            "qs": "/api/exports/sdtm/qs.csv"}


def _dictionary(client: Any, headers: dict[str, str]) -> list[dict[str, str]]:
    resp = client.get("/api/exports/dictionary", headers=headers)
    assert resp.status_code == 200
    return read_csv(resp.get_data(as_text=True))[1]


def test_every_column_of_every_dataset_has_a_dictionary_entry_and_no_entry_is_stale(
        client, world, make_participant, answer):
    p = make_participant()
    answer(p, "BL", at=BL_ON_DAY)
    answer(p, "SC-W1", "SYMPTOMS", at=SC_W1_DONE, answers={**NO_SYMPTOMS, "SC_BLEED": True})
    headers = world["analyst"].headers
    entries = _dictionary(client, headers)
    documented: dict[str, list[str]] = {}
    for e in entries:
        documented.setdefault(e["dataset"], []).append(e["variable"])
        assert e["label_en"] and e["label_zh"] and e["type"], e
        assert e["type"] in ("string", "integer", "float", "boolean", "date", "datetime")
    assert set(documented) == set(DATASETS)
    for name, url in DATASETS.items():
        header, rows = read_csv(client.get(url, headers=headers).get_data(as_text=True))
        assert rows, name
        assert header == documented[name], name  # same columns, same order, nothing extra
        if name not in ("scores", "qs"):
            doc = json.loads(client.get(url, query_string={"format": "json"},
                                        headers=headers).get_data())
            assert list(doc["rows"][0]) == documented[name]


def test_dictionary_carries_codes_derivations_and_questionnaire_versions(client, world):
    headers = world["analyst"].headers
    entries = {(e["dataset"], e["variable"]): e for e in _dictionary(client, headers)}
    missing = entries[("items", "missing_code")]
    for code in ("NOT_DUE", "MISSED", "PARTIAL", "WITHDRAWN", "MISSED_BEFORE_ENROLMENT"):
        assert f"{code}=" in missing["codes"]
    assert "half rule" in entries[("scores", "value")]["derivation"]
    assert "China 2017" in entries[("scores", "value")]["derivation"]
    assert entries[("wide", "EQ5D5L_MO")]["instrument_version"]
    assert "1=" in entries[("wide", "CLDQ_CLDQ01")]["codes"]
    assert entries[("wide", "SYMPTOMS_SC_BLEED")]["codes"].startswith("Y=Yes/是")
    assert "first infusion" in entries[("qs", "QSBLFL")]["derivation"]
    page = client.get("/api/exports/dictionary?format=html", headers=headers)
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "<script" not in text and "http" not in text.split("</head>")[0]
    for code in ("EQ5D5L", "CLDQ", "SYMPTOMS"):
        assert f"<td>{code}</td>" in text
    assert "受试者研究编号" in text and "QSEVLINT" in text


def test_openapi_documents_each_dataset_and_its_row_schema(client):
    doc = client.get("/api/openapi.json").json
    schemas = doc["components"]["schemas"]
    for name in ("ScoresRow", "ItemsRow", "WideRow", "SafetyRow", "QsRow"):
        assert name in schemas, name
    assert "SYMPTOMS_SC_BLEED" in schemas["WideRow"]["properties"]
    items = doc["paths"]["/api/exports/items"]["get"]["responses"]["200"]
    assert "`missing_code`" in items["description"]
    assert items["content"]["application/json"]["schema"]["properties"]["rows"]["items"] == {
        "$ref": "#/components/schemas/ItemsRow"}
    xpt = doc["paths"]["/api/exports/sdtm/qs.xpt"]["get"]["responses"]["200"]["content"]
    assert xpt == {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
