"""Byte streams of a dataset: CSV with an end line, JSON, CDISC Dataset-JSON; dictionary HTML.

A streamed file must show when it was cut short (a worker killed mid-stream sends a
well-formed but shorter file): CSV ends with `#END rows=N sha256=H`, where H is the SHA-256 of
every byte before that line; JSON closes with `"row_count": N`, so a cut-off JSON file does
not parse. Readers skip the end line as a comment (`pandas.read_csv(..., comment="#")`,
R `read.csv(..., comment.char="#")`).
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pro_service.exports.domain.catalog import Dataset
from pro_service.exports.domain.tabular import csv_lines

END_PREFIX = "#END "


class Counter:
    """Counts the rows that pass through it (the caller reads `.rows` after the stream ends)."""

    def __init__(self) -> None:
        self.rows = 0

    def through(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        for row in rows:
            self.rows += 1
            yield row


def csv_stream(columns: Sequence[str], rows: Iterable[Mapping[str, Any]], *, counter: Counter,
               end_line: bool = True) -> Iterator[bytes]:
    """UTF-8 CSV (header, rows) and, unless `end_line` is off, the `#END` line."""
    digest = hashlib.sha256()
    for text in csv_lines(columns, counter.through(rows)):
        chunk = text.encode("utf-8")
        digest.update(chunk)
        yield chunk
    if end_line:
        yield f"{END_PREFIX}rows={counter.rows} sha256={digest.hexdigest()}\r\n".encode()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def json_stream(meta: Mapping[str, Any], columns: Sequence[str],
                rows: Iterable[Mapping[str, Any]], *, counter: Counter,
                batch: int = 200) -> Iterator[bytes]:
    """`{...meta, "columns": [...], "rows": [{...}, ...], "row_count": N}`, streamed."""
    head = {**{k: _plain(v) for k, v in meta.items()}, "columns": list(columns)}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [').encode()
    pending: list[str] = []
    for row in counter.through(rows):
        text = json.dumps({c: _plain(row.get(c)) for c in columns}, ensure_ascii=False)
        pending.append(text if counter.rows == 1 else "," + text)
        if len(pending) >= batch:
            yield ("\n".join(pending)).encode()
            pending = []
    if pending:
        yield ("\n".join(pending)).encode()
    yield f'], "row_count": {counter.rows}}}\n'.encode()


_DJ_TYPES = {"integer": "integer", "float": "double", "datetime": "datetime", "date": "date",
             "boolean": "boolean"}


def dataset_json(spec: Dataset, rows: Sequence[Mapping[str, Any]], *, created: datetime,
                 study_oid: str, originator: str, source_version: str) -> bytes:
    """CDISC Dataset-JSON v1.1 of one SDTM dataset (rows are arrays in column order)."""
    columns = []
    for var in spec.variables:
        column: dict[str, Any] = {"itemOID": f"IT.{spec.name.upper()}.{var.name}",
                                  "name": var.name, "label": var.label_en,
                                  "dataType": _DJ_TYPES.get(var.type, "string")}
        if var.name in ("STUDYID", "USUBJID", "QSSEQ"):
            column["keySequence"] = ("STUDYID", "USUBJID", "QSSEQ").index(var.name) + 1
        columns.append(column)
    document = {
        "datasetJSONCreationDateTime": created.replace(tzinfo=None).isoformat(timespec="seconds"),
        "datasetJSONVersion": "1.1.0",
        "fileOID": f"{study_oid}.{spec.name.upper()}",
        "dbLastModifiedDateTime": created.replace(tzinfo=None).isoformat(timespec="seconds"),
        "originator": originator,
        "sourceSystem": {"name": "pro-service", "version": source_version},
        "studyOID": study_oid,
        "metaDataVersionOID": f"MDV.{study_oid}",
        "itemGroupOID": f"IG.{spec.name.upper()}",
        "records": len(rows),
        "name": spec.name.upper(),
        "label": spec.label_en,
        "columns": columns,
        "rows": [[_plain(row.get(v.name)) for v in spec.variables] for row in rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=None) + "\n").encode()


def dictionary_html(rows: Sequence[Mapping[str, str]], *, title: str,
                    questionnaires: Sequence[Mapping[str, str]], as_of: str) -> bytes:
    """A standalone HTML page of the data dictionary (no scripts, no external assets)."""
    esc = html.escape
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(title)}</title>",
             "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:.25rem;vertical-align:top;font-size:.85rem}"
             ".wrap{overflow-x:auto}</style></head><body>",
             f"<h1>{esc(title)}</h1><p>Data as of {esc(as_of)}</p>",
             "<h2>Questionnaire files</h2><table><tr><th>instrument</th><th>version</th>"
             "<th>title</th><th>recall period</th></tr>"]
    for q in questionnaires:
        parts.append("<tr>" + "".join(f"<td>{esc(q.get(k, ''))}</td>"
                                      for k in ("code", "version", "title", "recall")) + "</tr>")
    parts.append("</table>")
    current = None
    for row in rows:
        if row["dataset"] != current:
            if current is not None:
                parts.append("</table></div>")
            current = row["dataset"]
            parts.append(f'<h2 id="{esc(current)}">{esc(current)}</h2><div class="wrap"><table>'
                         "<tr><th>variable</th><th>label (en)</th><th>标签 (zh-CN)</th><th>type</th>"
                         "<th>codes</th><th>unit</th><th>derivation</th><th>version</th></tr>")
        parts.append("<tr>" + "".join(f"<td>{esc(row[k])}</td>" for k in (
            "variable", "label_en", "label_zh", "type", "codes", "unit", "derivation",
            "instrument_version")) + "</tr>")
    if current is not None:
        parts.append("</table></div>")
    parts.append("</body></html>\n")
    return "\n".join(parts).encode()
