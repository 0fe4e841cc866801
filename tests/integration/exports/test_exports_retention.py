"""Export files are deleted after their retention period; rows, audit and data cuts remain."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from pro_service.audit.models import AuditEvent
from pro_service.audit.service import verify_chain
from pro_service.exports.files import file_path
from pro_service.exports.jobs import build_export_files, expire_export_files, export_folder
from pro_service.exports.models import ExportFile
from pro_service.extensions import db
from scheduler.jobs import JOBS, run_job
from tests.integration.exports.conftest import BL_ON_DAY, W4_ON_TARGET

BUILT = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
EXPIRY = BUILT + timedelta(days=30)  # the default PRO_EXPORT_RETENTION_DAYS
DONE = {"export_files_expired": 0, "export_files_delete_failed": 0, "export_parts_removed": 0}


@pytest.fixture
def folder(app: Any, tmp_path: Path) -> Path:
    app.config["EXPORTS_DIR"] = str(tmp_path / "exports")
    return export_folder(app)


@pytest.fixture
def analyst(world: Any, make_participant: Any, answer: Any) -> Any:
    p = make_participant()
    answer(p, "BL", at=BL_ON_DAY)
    answer(p, "W4", at=W4_ON_TARGET)
    return world["analyst"]


def _built_file(app: Any, client: Any, analyst: Any, wall_clock: Any, at: datetime,
                dataset: str = "scores") -> ExportFile:
    wall_clock.at = at
    resp = client.post("/api/exports/files", headers=analyst.headers,
                       json={"dataset": dataset, "format": "csv"})
    assert resp.status_code == 202, resp.json
    assert build_export_files(app, now=at)["export_files_built"] == 1
    return db.session.scalars(sa.select(ExportFile).where(
        ExportFile.public_id == resp.json["id"])).one()


def _deletions() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export.file_deleted").order_by(AuditEvent.id)))


def _expire(app: Any, now: datetime, limit: int = 50) -> dict[str, int]:
    counts = expire_export_files(app, now=now, limit=limit)
    db.session.expire_all()
    return counts


def test_the_job_deletes_only_files_past_retention_keeps_their_rows_and_audits_each(
        app, client, analyst, wall_clock, folder):
    old = _built_file(app, client, analyst, wall_clock, BUILT)
    new = _built_file(app, client, analyst, wall_clock, BUILT + timedelta(days=20), "items")
    assert _expire(app, EXPIRY - timedelta(seconds=1)) == DONE
    assert file_path(folder, old).is_file()

    assert _expire(app, EXPIRY) == {**DONE, "export_files_expired": 1}
    assert not file_path(folder, old).exists() and file_path(folder, new).is_file()
    assert (old.status, old.deleted_at) == ("expired", EXPIRY)
    assert (new.status, new.deleted_at) == ("ready", None)
    assert old.sha256 and old.rows and old.size  # the record of the export is kept whole
    (event,) = _deletions()
    assert (event.actor, event.entity_type, event.entity_id) == (
        "system:exports", "export_file", old.public_id)
    assert event.after == {"file": "scores.csv", "cut_id": None, "built_at": BUILT.isoformat(),
                           "on_disk": True, "status": "expired"}


def test_a_partial_file_left_by_a_failed_build_is_deleted_too_and_the_row_stays_failed(
        app, client, analyst, wall_clock, folder):
    entry = _built_file(app, client, analyst, wall_clock, BUILT)
    entry.status, entry.error = "failed", "OSError: disk full"
    db.session.commit()
    assert _expire(app, EXPIRY)["export_files_expired"] == 1
    assert not file_path(folder, entry).exists()
    assert (entry.status, entry.deleted_at) == ("failed", EXPIRY)
    status = client.get(f"/api/exports/files/{entry.public_id}", headers=analyst.headers).json
    assert status["expires_at"] is None and "download" not in status


def test_the_job_is_idempotent(app, client, analyst, wall_clock, folder):
    _built_file(app, client, analyst, wall_clock, BUILT)
    assert _expire(app, EXPIRY)["export_files_expired"] == 1
    assert _expire(app, EXPIRY) == DONE
    assert _expire(app, EXPIRY + timedelta(days=400)) == DONE
    assert len(_deletions()) == 1


def test_two_jobs_at_once_delete_and_audit_each_file_once(app, client, analyst, wall_clock,
                                                          folder):
    entries = [_built_file(app, client, analyst, wall_clock, BUILT + timedelta(minutes=n))
               for n in range(6)]
    db.session.commit()  # SQLite: let the jobs' writers in
    start, results = threading.Barrier(2), []

    def run() -> None:
        with app.app_context():
            start.wait()
            results.append(expire_export_files(app, now=EXPIRY + timedelta(hours=1), limit=50))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r["export_files_expired"] for r in results) == len(entries)
    assert sorted(e.entity_id for e in _deletions()) == sorted(e.public_id for e in entries)
    assert verify_chain().ok


@pytest.mark.skipif(os.environ.get("PRO_TEST_DB", "sqlite") != "postgres",
                    reason="row locks: SQLite serialises writers instead")
def test_a_file_another_scheduler_holds_is_skipped_not_waited_for(
        app, client, analyst, wall_clock, folder):
    held = _built_file(app, client, analyst, wall_clock, BUILT)
    free = _built_file(app, client, analyst, wall_clock, BUILT + timedelta(hours=1))
    db.session.commit()
    with db.engine.connect() as other:
        other.execute(sa.select(ExportFile.id).where(ExportFile.id == held.id).with_for_update())
        assert _expire(app, EXPIRY + timedelta(days=1))["export_files_expired"] == 1
        other.rollback()
    assert (held.status, free.status) == ("ready", "expired")
    assert _expire(app, EXPIRY + timedelta(days=1))["export_files_expired"] == 1


def test_a_file_deleted_by_hand_is_recorded_as_gone_without_failing_the_job(
        app, client, analyst, wall_clock, folder):
    entry = _built_file(app, client, analyst, wall_clock, BUILT)
    file_path(folder, entry).unlink()
    assert _expire(app, EXPIRY)["export_files_expired"] == 1
    assert entry.status == "expired"
    assert _deletions()[0].after["on_disk"] is False


def test_a_file_that_cannot_be_deleted_is_logged_kept_ready_and_retried_next_run(
        app, client, analyst, wall_clock, folder, caplog):
    entry = _built_file(app, client, analyst, wall_clock, BUILT)
    path = file_path(folder, entry)
    path.unlink()
    (path / "busy").mkdir(parents=True)  # unlink() cannot remove a directory
    logging.getLogger("pro_service").addHandler(caplog.handler)
    try:
        assert _expire(app, EXPIRY) == {**DONE, "export_files_delete_failed": 1}
    finally:
        logging.getLogger("pro_service").removeHandler(caplog.handler)
    assert f"could not delete export file {path.name}" in caplog.text
    assert (entry.status, entry.deleted_at, _deletions()) == ("ready", None, [])
    (path / "busy").rmdir()
    path.rmdir()
    path.write_bytes(b"x")
    assert _expire(app, EXPIRY + timedelta(hours=1))["export_files_expired"] == 1
    assert not path.exists() and entry.status == "expired"


def test_the_scheduler_runs_the_job_and_counts_deletions_in_a_metric(
        app, client, analyst, wall_clock, folder):
    _built_file(app, client, analyst, wall_clock, BUILT)
    job = next(j for j in JOBS if j.name == "expire_export_files")

    def deleted() -> float:
        return REGISTRY.get_sample_value("pro_export_files_expired_total",
                                         {"outcome": "deleted"}) or 0.0

    before = deleted()
    db.session.commit()  # SQLite: the job's own session needs the write lock
    assert run_job(app, job, gateway=None, now=EXPIRY) == {**DONE, "export_files_expired": 1}
    assert deleted() == before + 1


def test_an_expired_file_answers_410_gone_and_its_status_says_when(
        app, client, analyst, wall_clock, folder):
    entry = _built_file(app, client, analyst, wall_clock, BUILT)
    status = client.get(f"/api/exports/files/{entry.public_id}", headers=analyst.headers).json
    assert status["expires_at"].startswith("2027-03-31T08:00:00")
    assert status["deleted_at"] is None and "download" in status
    _expire(app, EXPIRY)
    wall_clock.at = EXPIRY + timedelta(hours=1)
    status = client.get(f"/api/exports/files/{entry.public_id}", headers=analyst.headers).json
    assert status["status"] == "expired" and "download" not in status
    assert status["deleted_at"].startswith("2027-03-31T08:00:00")
    gone = client.get(f"/api/exports/files/{entry.public_id}/download", headers=analyst.headers)
    assert gone.status_code == 410
    assert gone.json["title"] == "Gone" and gone.json["file"] == "scores.csv"
    assert "deleted 30 days after they are built" in gone.json["detail"]
    assert gone.json["expired_at"].startswith("2027-03-31T08:00:00")


def test_a_file_past_its_expiry_is_refused_before_the_job_has_run(
        app, client, analyst, wall_clock, folder):
    entry = _built_file(app, client, analyst, wall_clock, BUILT)
    url = f"/api/exports/files/{entry.public_id}/download"
    wall_clock.at = EXPIRY - timedelta(minutes=1)
    ok = client.get(url, headers=analyst.headers)
    assert ok.status_code == 200 and int(ok.headers["Content-Length"]) == entry.size
    assert hashlib.sha256(ok.get_data()).hexdigest() == ok.headers["X-Content-SHA256"]
    ok.close()
    wall_clock.at = EXPIRY
    assert client.get(url, headers=analyst.headers).status_code == 410
    assert file_path(folder, entry).is_file()  # the job deletes it; the API only refuses


def test_a_ready_file_missing_from_disk_is_gone_not_a_server_error_and_not_audited(
        app, client, analyst, wall_clock, folder):
    entry = _built_file(app, client, analyst, wall_clock, BUILT)
    file_path(folder, entry).unlink()
    gone = client.get(f"/api/exports/files/{entry.public_id}/download", headers=analyst.headers)
    assert gone.status_code == 410 and "no longer on disk" in gone.json["detail"]
    assert db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export.download")).all() == []


def test_a_retention_setting_changes_every_expiry(app, client, analyst, wall_clock, folder):
    entry = _built_file(app, client, analyst, wall_clock, BUILT)
    app.config["EXPORT_RETENTION_DAYS"] = 7
    status = client.get(f"/api/exports/files/{entry.public_id}", headers=analyst.headers).json
    assert status["expires_at"].startswith("2027-03-08T08:00:00")
    assert _expire(app, BUILT + timedelta(days=7))["export_files_expired"] == 1


def test_a_data_cut_still_downloads_byte_identical_after_its_old_files_are_deleted(
        app, client, analyst, wall_clock, folder):
    wall_clock.at = BUILT
    resp = client.post("/api/exports/cuts", headers=analyst.headers, json={"name": "W4 interim"})
    assert resp.status_code == 202, resp.json
    build_export_files(app, now=BUILT, limit=50)
    cut_url = f"/api/exports/cuts/{resp.json['id']}"
    cut = client.get(cut_url, headers=analyst.headers).json
    entries = db.session.scalars(sa.select(ExportFile).where(ExportFile.cut_id.is_not(None))).all()
    for entry in entries:  # files an older version kept on disk for each cut file
        folder.mkdir(parents=True, exist_ok=True)
        file_path(folder, entry).write_bytes(b"old copy")
    assert _expire(app, EXPIRY)["export_files_expired"] == len(entries) == len(cut["files"])
    assert not any(folder.iterdir())
    assert {(e.status, e.deleted_at) for e in entries} == {("ready", EXPIRY)}
    wall_clock.at = EXPIRY + timedelta(days=300)
    after = client.get(cut_url, headers=analyst.headers).json
    for before, now in zip(cut["files"], after["files"], strict=True):
        assert now["expires_at"] is None and now["status"] == "ready"
        got = client.get(now["download"], headers=analyst.headers)
        assert got.status_code == 200, got.get_data(as_text=True)
        assert hashlib.sha256(got.get_data()).hexdigest() == before["sha256"]


def test_temporary_files_of_killed_builds_go_after_a_day_and_nothing_else_does(app, folder):
    folder.mkdir(parents=True)
    now = EXPIRY
    ages = {".abc.csv.x1.part": timedelta(days=2),  # left by a killed build: removed
            ".def.csv.x2.part": timedelta(hours=1),  # a build may still be writing it
            "abc.csv": timedelta(days=9), "notes.part": timedelta(days=9)}  # not build leftovers
    for name, age in ages.items():
        (folder / name).write_text("partial")
        os.utime(folder / name, ((now - age).timestamp(),) * 2)
    assert _expire(app, now) == {**DONE, "export_parts_removed": 1}
    assert sorted(p.name for p in folder.iterdir()) == [".def.csv.x2.part", "abc.csv", "notes.part"]
    assert _expire(app, now) == DONE  # nothing left to remove
