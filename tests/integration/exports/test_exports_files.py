"""Large exports as background files: Content-Length, SHA-256 and row count; every export audited."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.exports.jobs import build_export_files
from pro_service.extensions import db
from tests.integration.exports.conftest import BL_ON_DAY, LATE, W4_ON_TARGET, read_csv


@pytest.fixture
def answered(make_participant: Any, answer: Any) -> None:
    p = make_participant()
    answer(p, "BL", at=BL_ON_DAY)
    answer(p, "W4", at=W4_ON_TARGET)


def test_a_requested_file_is_built_by_the_job_and_served_with_length_hash_and_rows(
        app, client, world, answered, tmp_path):
    app.config["EXPORTS_DIR"] = str(tmp_path)
    headers = world["analyst"].headers
    resp = client.post("/api/exports/files", headers=headers,
                       json={"dataset": "items", "format": "csv", "timepoint": "BL"})
    assert resp.status_code == 202, resp.json
    file_id = resp.json["id"]
    assert resp.json["status"] == "pending" and "download" not in resp.json
    early = client.get(f"/api/exports/files/{file_id}/download", headers=headers)
    assert early.status_code == 409
    assert build_export_files(app, now=LATE) == {"export_files_built": 1, "export_files_failed": 0}
    status = client.get(f"/api/exports/files/{file_id}", headers=headers).json
    assert status["status"] == "ready" and status["rows"] == 6 + 29
    got = client.get(status["download"], headers=headers)
    body = got.get_data()
    got.close()
    assert int(got.headers["Content-Length"]) == len(body) == status["size"]
    assert got.headers["X-Content-SHA256"] == hashlib.sha256(body).hexdigest() == status["sha256"]
    assert got.headers["X-Row-Count"] == "35"
    # The same bytes as the streamed download with the same cut, minus its #END line.
    streamed = client.get("/api/exports/items", headers=headers, query_string={
        "timepoint": "BL", "as_of": status["as_of"], "end_line": "false"}).get_data()
    assert streamed == body
    # Another caller does not see the file.
    other = client.get(f"/api/exports/files/{file_id}", headers=world["admin"].headers)
    assert other.status_code == 404


def test_every_export_is_audited_with_who_what_filters_rows_and_cut(client, world, answered):
    headers = world["analyst"].headers
    text = client.get("/api/exports/scores", headers=headers,
                      query_string={"format": "csv", "timepoint": "W4"}).get_data(as_text=True)
    rows = read_csv(text)[1]
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export.download")).one()
    assert event.actor == f"staff:{world['analyst'].user.id}"
    assert event.after["dataset"] == "scores" and event.after["filters"] == {"timepoint": "W4"}
    assert event.after["rows"] == len(rows) == 3 and event.after["complete"] is True
    assert event.after["as_of"] == LATE.isoformat()


def test_an_abandoned_stream_is_audited_as_incomplete(client, world, answered):
    headers = world["analyst"].headers
    resp = client.get("/api/exports/items", headers=headers, buffered=False)
    first = next(iter(resp.response))
    assert first.startswith(b"study_id,")
    resp.close()
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export.download")).one()
    assert event.after["complete"] is False
