"""Named data cuts: frozen time, filters and SHA-256; re-downloads are byte-identical."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.exports.jobs import build_export_files
from pro_service.extensions import db
from pro_service.participants import service as participants
from pro_service.responses import service as responses
from tests.integration.exports.conftest import BL_ON_DAY, MIXED_EQ5D, W4_ON_TARGET

CUT_AT = datetime(2027, 2, 9, 0, 0, tzinfo=UTC)  # after W4 answered, before anything else


def _seed(make_participant: Any, answer: Any) -> Any:
    a, b = make_participant(), make_participant(study_id="303-0001", site="303")
    answer(a, "BL", at=BL_ON_DAY, answers=MIXED_EQ5D)
    answer(a, "BL", "CLDQ", at=BL_ON_DAY, level=5)
    answer(a, "W4", at=W4_ON_TARGET)
    answer(b, "BL", at=BL_ON_DAY, level=2)
    return a, b


def _download_all(client: Any, headers: dict[str, str], cut: dict[str, Any]) -> dict[str, bytes]:
    out = {}
    for f in cut["files"]:
        resp = client.get(f["download"], headers=headers)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        body = resp.get_data()
        assert int(resp.headers["Content-Length"]) == len(body) == f["size"]
        assert resp.headers["X-Content-SHA256"] == hashlib.sha256(body).hexdigest() == f["sha256"]
        assert resp.headers["X-Row-Count"] == str(f["rows"])
        out[f"{f['dataset']}.{f['format']}"] = body
    return out


def test_a_cut_downloads_byte_identical_hours_later_after_new_data_and_a_correction(
        app, client, world, make_participant, answer, wall_clock):
    a, b = _seed(make_participant, answer)
    headers = world["analyst"].headers
    wall_clock.at = CUT_AT + timedelta(hours=1)
    resp = client.post("/api/exports/cuts", headers=headers,
                       json={"name": "W24 primary", "as_of": CUT_AT.isoformat()})
    assert resp.status_code == 202, resp.json
    assert {f["status"] for f in resp.json["files"]} == {"pending"}
    built = build_export_files(app, now=wall_clock.at, limit=50)
    assert built == {"export_files_built": len(resp.json["files"]), "export_files_failed": 0}
    cut = client.get(f"/api/exports/cuts/{resp.json['id']}", headers=headers).json
    assert {f["status"] for f in cut["files"]} == {"ready"}
    assert cut["as_of"].startswith("2027-02-09T00:00:00")
    assert {f"{f['dataset']}.{f['format']}" for f in cut["files"]} >= {
        "scores.csv", "items.csv", "wide.csv", "safety.csv", "qs.csv", "qs.xpt",
        "qs.dataset-json", "dictionary.csv", "dictionary.html"}
    first = _download_all(client, headers, cut)
    assert first["scores.csv"].count(b"\r\n") > 10

    # Hours later: new answers, a new participant and a correction of a frozen response.
    wall_clock.at = CUT_AT + timedelta(hours=7)
    answer(b, "W4", at=CUT_AT + timedelta(hours=2), answers=MIXED_EQ5D)
    make_participant(now=CUT_AT + timedelta(hours=3))
    bl = responses.current_response(a.id and _occasion_id(a, "BL", "EQ5D5L"))
    assert bl is not None
    responses.correct_response(bl.id, {**MIXED_EQ5D, "MO": 5}, instrument=app.extensions[
        "pro.instruments"]["EQ5D5L"], now=CUT_AT + timedelta(hours=4), actor="test",
        reason="transcription error")
    # Staff later edit a's time zone and baseline date (audited, not versioned in place).
    participants.update_participant(
        a.study_id, {"timezone": "Asia/Urumqi", "baseline": date(2027, 1, 10)},
        staff=world["admin"].user, now=CUT_AT + timedelta(hours=5), reason="visit moved")
    # The live data moved on...
    live = client.get("/api/exports/scores?format=csv", headers=headers).get_data()
    assert live != first["scores.csv"]
    assert b"+06:00" in live and b"+06:00" not in first["scores.csv"]
    # ...the cut did not.
    again = client.get(f"/api/exports/cuts/{cut['id']}", headers=headers).json
    second = _download_all(client, headers, again)
    assert second == first
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action.in_(("export.cut", "export.download")))).all()
    assert [e.action for e in events].count("export.cut") == 1
    hashes = [e.after for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export.cut_file"))]
    assert sorted(h["sha256"] for h in hashes) == sorted(f["sha256"] for f in cut["files"])
    downloads = [e.after for e in events if e.action == "export.download"]
    assert len(downloads) >= 2 * len(cut["files"])
    assert all(d["via"] == f"cut:{cut['id']}" for d in downloads if d["via"].startswith("cut"))


def _occasion_id(p: Any, timepoint: str, instrument: str) -> int:
    from tests.integration.exports.conftest import occasion_of

    return occasion_of(p, timepoint, instrument).id


def test_cut_names_are_unique_and_cuts_are_for_all_site_roles_only(client, world):
    headers = world["analyst"].headers
    pending = client.post("/api/exports/cuts", headers=headers, json={"name": "interim"})
    assert pending.status_code == 202
    file = pending.json["files"][0]
    assert "download" not in file
    early = client.get(f"/api/exports/cuts/{pending.json['id']}/files/{file['id']}",
                       headers=headers)
    assert early.status_code == 409
    dup = client.post("/api/exports/cuts", headers=headers, json={"name": "interim"})
    assert dup.status_code == 409
    assert client.post("/api/exports/cuts", headers=world["coordinator"].headers,
                       json={"name": "mine"}).status_code == 403
    assert client.post("/api/exports/cuts", headers=headers,
                       json={"name": "future", "as_of": "2031-01-01T00:00:00Z"}).status_code == 422
    assert client.post("/api/exports/cuts", headers=headers,
                       json={"name": "bad\u0000name"}).status_code == 422
