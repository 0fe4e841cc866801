"""A file's build is a lease: a build abandoned by a killed scheduler is taken up again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pro_service.exports import files
from pro_service.exports.files import LEASE, MAX_ATTEMPTS, FileResult, file_path
from pro_service.exports.jobs import build_export_files, export_folder
from pro_service.exports.models import ExportFile
from pro_service.extensions import db
from tests.integration.exports.conftest import BL_ON_DAY, LATE

AFTER_LEASE = LEASE + timedelta(seconds=1)


class Killed(BaseException):
    """The scheduler process dying mid-build (deploy, OOM, kill -9): nothing catches it."""


@pytest.fixture
def folder(app: Any, tmp_path: Path) -> Path:
    app.config["EXPORTS_DIR"] = str(tmp_path / "exports")
    return export_folder(app)


@pytest.fixture
def requested(client: Any, world: Any, make_participant: Any, answer: Any) -> ExportFile:
    answer(make_participant(), "BL", at=BL_ON_DAY)
    resp = client.post("/api/exports/files", headers=world["analyst"].headers,
                       json={"dataset": "items", "format": "csv"})
    assert resp.status_code == 202, resp.json
    return db.session.scalars(sa.select(ExportFile).where(
        ExportFile.public_id == resp.json["id"])).one()


@pytest.fixture
def breaking_render(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make renders write their first chunk, then raise `error` (until `error` is None)."""
    real = files.render
    state: dict[str, BaseException | None] = {"error": Killed()}

    def chunks(inner: Iterator[bytes]) -> Iterator[bytes]:
        yield next(inner)
        if state["error"] is not None:
            raise state["error"]
        yield from inner

    def render(*args: Any, **kwargs: Any) -> Any:
        rendered = real(*args, **kwargs)
        return replace(rendered, chunks=chunks(iter(rendered.chunks)))

    monkeypatch.setattr(files, "render", render)
    return state


def _killed_build(app: Any, at: Any) -> None:
    with pytest.raises(Killed):
        build_export_files(app, now=at)
    db.session.rollback()


def _fresh(entry: ExportFile) -> ExportFile:
    db.session.expire_all()
    got = db.session.get(ExportFile, entry.id)
    assert got is not None
    return got


def test_a_build_abandoned_past_its_lease_is_built_again_and_becomes_ready(
        app, folder, requested, breaking_render):
    _killed_build(app, LATE)
    assert _fresh(requested).status == "running"
    breaking_render["error"] = None
    assert build_export_files(app, now=LATE + AFTER_LEASE) == {
        "export_files_built": 1, "export_files_failed": 0}
    entry = _fresh(requested)
    assert (entry.status, entry.attempts, entry.claim_token) == ("ready", 2, None)
    assert file_path(folder, entry).stat().st_size == entry.size
    assert [p.name for p in folder.iterdir()] == [file_path(folder, entry).name]


def test_a_build_whose_lease_is_live_is_left_to_its_builder(app, folder, requested,
                                                             breaking_render):
    _killed_build(app, LATE)
    token = _fresh(requested).claim_token
    breaking_render["error"] = None
    assert build_export_files(app, now=LATE + LEASE - timedelta(seconds=1)) == {
        "export_files_built": 0, "export_files_failed": 0}
    entry = _fresh(requested)
    assert (entry.status, entry.attempts, entry.claim_token) == ("running", 1, token)
    assert build_export_files(app, now=LATE + AFTER_LEASE)["export_files_built"] == 1


def test_an_overtaken_builder_records_nothing(app, requested):
    assert files._claim(now=LATE, token="a" * 32, lease=LEASE, limit=2) == [requested.id]
    later = LATE + AFTER_LEASE
    assert files._claim(now=later, token="b" * 32, lease=LEASE, limit=2) == [requested.id]
    result = FileResult(sha256="0" * 64, rows=1, size=1)
    assert files._finish(requested.id, "a" * 32, later, result=result) is False
    assert files._finish(requested.id, "a" * 32, later, error="late") is False
    entry = _fresh(requested)
    assert (entry.status, entry.sha256, entry.error) == ("running", None, None)
    assert files._finish(requested.id, "b" * 32, later, result=result) is True
    assert _fresh(requested).status == "ready"


def test_a_file_abandoned_max_attempts_times_fails_with_the_reason(app, folder, requested,
                                                                   breaking_render):
    at = LATE
    for _ in range(MAX_ATTEMPTS):
        _killed_build(app, at)
        at += AFTER_LEASE
    breaking_render["error"] = None
    assert build_export_files(app, now=at) == {"export_files_built": 0, "export_files_failed": 1}
    entry = _fresh(requested)
    assert (entry.status, entry.attempts) == ("failed", MAX_ATTEMPTS)
    assert entry.error == f"build abandoned {MAX_ATTEMPTS} times"
    assert build_export_files(app, now=at + AFTER_LEASE)["export_files_built"] == 0


def test_a_render_failing_mid_write_leaves_no_partial_file(app, folder, requested,
                                                           breaking_render):
    breaking_render["error"] = RuntimeError("database went away")
    assert build_export_files(app, now=LATE) == {"export_files_built": 0, "export_files_failed": 1}
    entry = _fresh(requested)
    assert entry.status == "failed" and entry.error == "RuntimeError: database went away"
    assert not file_path(folder, entry).exists()
    assert list(folder.iterdir()) == []


def test_a_killed_build_leaves_no_partial_file(app, folder, requested, breaking_render):
    _killed_build(app, LATE)
    assert list(folder.iterdir()) == []
