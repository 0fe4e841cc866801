"""OpenAPI text for the datasets: each one's columns, from the data dictionary."""

from __future__ import annotations

from typing import Any

from flask.blueprints import BlueprintSetupState

from pro_service.exports.domain.catalog import ITEMS, SAFETY, SCORES, Dataset, qs_dataset
from pro_service.exports.domain.sdtm_qs import QS_COLUMNS

_STATIC = {"scores": SCORES, "items": ITEMS, "safety": SAFETY, "qs": qs_dataset(QS_COLUMNS)}
_WIDE = ("Columns: study_id, site, timepoint, visitnum, target_date, then for each instrument "
         "`<INSTRUMENT>_status`, `<INSTRUMENT>_completed_at_utc`, `<INSTRUMENT>_channel`, its "
         "score scales (e.g. `EQ5D_INDEX`, `CLDQ_OVERALL`) and its items `<INSTRUMENT>_<ITEM>` "
         "(e.g. `EQ5D5L_MO`, `CLDQ_CLDQ01`, `SYMPTOMS_SC_BLEED`); schema `WideRow` lists them all.")
_DICTIONARY = ("Columns: dataset, variable, label_en, label_zh, type, codes, unit, derivation, "
               "instrument, instrument_version. HTML also lists the questionnaire file versions.")


def _table(spec: Dataset) -> str:
    lines = ["| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{v.name}` | {v.type} | {v.label_en}"
              + (f" (codes: {', '.join(v.codes)})" if v.codes else "") + " |"
              for v in spec.variables]
    return "\n".join(lines)


def columns_doc(dataset: str) -> str:
    """The 200 response's description: the dataset's columns."""
    if dataset == "wide":
        return _WIDE
    if dataset == "dictionary":
        return _DICTIONARY
    return f"Columns (also schema `{dataset.title()}Row`):\n\n{_table(_STATIC[dataset])}"


_JSON_TYPES = {"integer": {"type": "integer"}, "float": {"type": "number"},
               "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
               "datetime": {"type": "string", "format": "date-time"}}


def row_schema(spec: Dataset) -> dict[str, Any]:
    """A JSON schema object of one row: every column, nullable, described from the dictionary."""
    props = {}
    for v in spec.variables:
        prop: dict[str, Any] = {**_JSON_TYPES.get(v.type, {"type": "string"}), "nullable": True,
                                "description": v.label_en + (f" — {v.derivation}" if v.derivation
                                                             else "")}
        if v.codes:
            prop["x-codes"] = {k: en for k, (en, _zh) in v.codes.items()}
        props[v.name] = prop
    return {"type": "object", "properties": props, "x-label-zh": spec.label_zh}


def register_row_schemas(state: BlueprintSetupState) -> None:
    """Add `<Dataset>Row` schemas (wide from the loaded questionnaires) to the OpenAPI document."""
    from pro_service.exports.datasets import wide_spec
    from pro_service.extensions import api

    specs = {**_STATIC, "wide": wide_spec(state.app.extensions["pro.instruments"])}
    for name, spec in specs.items():
        schema_name = f"{name.title()}Row"
        if schema_name not in api.spec.components.schemas:
            api.spec.components.schema(schema_name, row_schema(spec))


_ROW = {"scores": "ScoresRow", "items": "ItemsRow", "wide": "WideRow", "safety": "SafetyRow",
        "qs": "QsRow"}


def response_content(dataset: str, fmt: str | None) -> dict[str, Any]:
    """The 200 response's media types for `blp.doc` (CSV text, JSON rows, XPT bytes, HTML)."""
    text = {"schema": {"type": "string"}}
    binary = {"schema": {"type": "string", "format": "binary"}}
    if dataset == "dictionary":
        content: dict[str, Any] = {"text/csv": text, "text/html": text}
    elif fmt == "xpt":
        content = {"application/octet-stream": binary}
    elif fmt == "dataset-json":
        content = {"application/json": {"schema": {
            "type": "object", "description": "CDISC Dataset-JSON v1.1: columns, rows as arrays"}}}
    else:
        rows = {"type": "array", "items": {"$ref": f"#/components/schemas/{_ROW[dataset]}"}}
        content = {"text/csv": text}
        if fmt is None:
            content["application/json"] = {"schema": {"type": "object", "properties": {
                "dataset": {"type": "string"}, "as_of": {"type": "string", "format": "date-time"},
                "filters": {"type": "object"}, "columns": {"type": "array",
                                                           "items": {"type": "string"}},
                "rows": rows, "row_count": {"type": "integer"}}}}
    return {"responses": {"200": {"description": columns_doc(dataset), "content": content}}}
