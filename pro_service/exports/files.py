"""Export files built in the background, and named data cuts whose files re-render byte for byte.

A large export must not depend on a web worker staying alive for the whole stream: the
caller asks for a file, the scheduler's `build_export_files` job renders it to disk (hash,
row count, size), and the download is a plain file with a Content-Length, so a truncated
transfer is visible to any HTTP client. A build is a lease (`LEASE`, held by the builder's
token, as the outbox's claims): one left `running` by a killed scheduler is built again, and
fails after `MAX_ATTEMPTS`; only the lease holder records the outcome, and the file is renamed
into place whole. A cut stores only its time, filters and each file's
SHA-256; every download renders the file again from `as_of` and is refused if the bytes
no longer match. A requested file is deleted once its retention period is over
(`exports.retention`); a cut needs no file kept, so it stays downloadable.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core.db import claim_rows, for_update_skip_locked, unit_of_work
from pro_service.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from pro_service.exports.models import DataCut, ExportFile
from pro_service.exports.render import (
    FILTER_KEYS,
    FORMATS,
    Context,
    Rendered,
    audit_export,
    render,
    resolve_as_of,
)
from pro_service.extensions import db
from pro_service.staff.models import StaffUser

# Every file of a cut unless the request names fewer (the dictionary documents them all).
CUT_FILES: tuple[tuple[str, str], ...] = (
    ("scores", "csv"), ("items", "csv"), ("wide", "csv"), ("safety", "csv"), ("qs", "csv"),
    ("qs", "xpt"), ("qs", "dataset-json"), ("dictionary", "csv"), ("dictionary", "html"),
)
SPOOL_BYTES = 8 * 1024 * 1024
# A build still `running` this long after its claim was abandoned (its builder was killed) and is
# taken up again; the lease must outlast the longest build, or a live one is built twice.
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3  # builds begun before an abandoned file fails instead of looping forever


@dataclass(frozen=True)
class FileResult:
    sha256: str
    rows: int
    size: int


def _stored_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in filters.items() if k in FILTER_KEYS and v is not None}


def _loaded_filters(stored: Mapping[str, Any], as_of: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in stored.items():
        out[key] = datetime.fromisoformat(value) if key in ("since", "until") else value
    return {**out, "as_of": as_of}


def write_to(rendered: Rendered, sink: IO[bytes]) -> FileResult:
    """Write a rendered dataset to a binary file object; return its hash, rows and size."""
    digest, size = hashlib.sha256(), 0
    for chunk in rendered.chunks:
        digest.update(chunk)
        size += len(chunk)
        sink.write(chunk)
    sink.flush()
    return FileResult(digest.hexdigest(), rendered.counter.rows, size)


def _all_sites(staff: StaffUser) -> None:
    if not staff.all_sites:
        raise Forbidden("data cuts cover every site: analysts, admins and safety officers only")


def _check_files(files: Sequence[tuple[str, str]]) -> None:
    for dataset, fmt in files:
        if fmt not in FORMATS.get(dataset, ()):
            raise InvalidInput(f"no format {fmt!r} for dataset {dataset!r}")


def create_cut(staff: StaffUser, *, name: str, filters: Mapping[str, Any], now: datetime,
               files: Sequence[tuple[str, str]] = CUT_FILES) -> DataCut:
    """Freeze a named cut's time and filters; the job renders each file and stores its SHA-256.

    Nothing is rendered here, so a large cut never holds a web worker; each file's hash is
    recorded (and audited) by `build_export_files` once it is built.
    """
    _all_sites(staff)
    _check_files(files)
    resolved = resolve_as_of(filters, now)
    with unit_of_work() as session:
        if session.scalar(sa.select(DataCut.id).where(DataCut.name == name)) is not None:
            raise Conflict(f"a data cut named {name!r} already exists")
        cut = DataCut(name=name, as_of=resolved["as_of"], filters=_stored_filters(resolved),
                      created_by_id=staff.id, created_at=now)
        session.add(cut)
        session.flush()
        for dataset, fmt in files:
            session.add(ExportFile(public_id=secrets.token_hex(16), cut_id=cut.id, dataset=dataset,
                                   format=fmt, filters=cut.filters, as_of=cut.as_of,
                                   status="pending", requested_by_id=staff.id, created_at=now))
        record_event(actor=f"staff:{staff.id}", action="export.cut", entity_type="data_cut",
                     entity_id=cut.id, now=now,
                     after={"name": name, "as_of": cut.as_of.isoformat(), "filters": cut.filters,
                            "files": [f"{d}.{f}" for d, f in files]})
    return cut


def list_cuts() -> list[DataCut]:
    return list(db.session.scalars(sa.select(DataCut).order_by(DataCut.created_at.desc())))


def get_cut(cut_id: int) -> DataCut:
    cut = db.session.get(DataCut, cut_id)
    if cut is None:
        raise NotFound(f"no data cut {cut_id}")
    return cut


def cut_files(cut: DataCut) -> list[ExportFile]:
    return list(db.session.scalars(sa.select(ExportFile).where(ExportFile.cut_id == cut.id)
                                   .order_by(ExportFile.id)))


def open_cut_file(staff: StaffUser, cut_id: int, public_id: str, *, ctx: Context,
                  now: datetime) -> tuple[ExportFile, IO[bytes], FileResult]:
    """Render a cut's file again from its `as_of`; refuse it unless the bytes match; audited."""
    _all_sites(staff)
    cut = get_cut(cut_id)
    entry = db.session.scalar(sa.select(ExportFile).where(ExportFile.cut_id == cut.id,
                                                          ExportFile.public_id == public_id))
    if entry is None:
        raise NotFound(f"data cut {cut_id} has no file {public_id}")
    if entry.status != "ready":
        raise Conflict(f"data cut {cut.name!r}: {entry.dataset}.{entry.format} is {entry.status}")
    filters = _loaded_filters(cut.filters, cut.as_of)
    rendered = render(entry.dataset, entry.format, staff, filters, ctx, end_line=False)
    sink = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    result = write_to(rendered, sink)
    if result.sha256 != entry.sha256:
        sink.close()
        raise Conflict(f"data cut {cut.name!r}: {entry.dataset}.{entry.format} no longer "
                       "reproduces its frozen SHA-256", expected=entry.sha256, got=result.sha256)
    audit_export(staff, rendered, filters, now=now, via=f"cut:{cut.id}")
    sink.seek(0)
    return entry, sink, result


def request_file(staff: StaffUser, *, dataset: str, fmt: str, filters: Mapping[str, Any],
                 now: datetime) -> ExportFile:
    """Queue a dataset file for the background job; audited when downloaded."""
    _check_files([(dataset, fmt)])
    resolved = resolve_as_of(filters, now)
    with unit_of_work() as session:
        entry = ExportFile(public_id=secrets.token_hex(16), dataset=dataset, format=fmt,
                           filters=_stored_filters(resolved), as_of=resolved["as_of"],
                           status="pending", requested_by_id=staff.id, created_at=now)
        session.add(entry)
    return entry


def file_path(folder: Path, entry: ExportFile) -> Path:
    """Where a requested file is kept (a cut's files were too, before cuts re-rendered)."""
    return folder / f"{entry.public_id}.{entry.format}"


def build_export_files(*, folder: Path, ctx: Context, now: datetime, limit: int = 2,
                       lease: timedelta = LEASE) -> dict[str, int]:
    """Render pending export files to `folder` (the scheduler's job); each under a lease."""
    token = uuid.uuid4().hex
    built, failed = 0, _give_up_abandoned(now, limit)
    for entry_id in _claim(now=now, token=token, lease=lease, limit=limit):
        entry = db.session.get(ExportFile, entry_id)
        assert entry is not None
        staff = db.session.get(StaffUser, entry.requested_by_id)
        try:
            rendered = render(entry.dataset, entry.format, staff,  # type: ignore[arg-type]
                              _loaded_filters(entry.filters, entry.as_of), ctx, end_line=False)
            result = _write_entry(rendered, folder, entry)
        except Exception as exc:  # noqa: BLE001 - recorded on the row, the job goes on
            db.session.rollback()
            failed += _finish(entry_id, token, now, error=f"{type(exc).__name__}: {exc}"[:500])
            continue
        built += _finish(entry_id, token, now, result=result)
    return {"export_files_built": built, "export_files_failed": failed}


def _write_entry(rendered: Rendered, folder: Path, entry: ExportFile) -> FileResult:
    """A requested file is kept for download; a cut's file only leaves its hash (downloads
    render it again from the cut's time and must match)."""
    if entry.cut_id is not None:
        with tempfile.TemporaryFile() as sink:
            return write_to(rendered, sink)
    folder.mkdir(parents=True, exist_ok=True)
    return _write_in_place(rendered, file_path(folder, entry))


def _write_in_place(rendered: Rendered, path: Path) -> FileResult:
    """Write beside `path` under a temporary name, then rename it into place (atomic): a killed
    build leaves no part of a file under the real name, and two builders never mix bytes."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".part",
                                     delete=False) as sink:
        part = Path(sink.name)
        try:
            result = write_to(rendered, sink)
            os.fsync(sink.fileno())  # the bytes are on disk before the name points at them
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    part.replace(path)
    return result


def _abandoned(now: datetime) -> sa.ColumnElement[bool]:
    """A build whose lease has ended (or that began before builds had one): its builder died."""
    return sa.and_(ExportFile.status == "running",
                   sa.or_(ExportFile.claimed_until.is_(None), ExportFile.claimed_until < now))


def _claim(*, now: datetime, token: str, lease: timedelta, limit: int) -> list[int]:
    """Lease up to `limit` pending or abandoned rows to `token` in one statement (a retry each)."""
    claimable = sa.or_(ExportFile.status == "pending",
                       sa.and_(_abandoned(now), ExportFile.attempts < MAX_ATTEMPTS))
    due = sa.select(ExportFile.id).where(claimable).order_by(ExportFile.created_at).limit(limit)
    return claim_rows(due, {"status": "running", "claim_token": token,
                            "claimed_until": now + lease, "attempts": ExportFile.attempts + 1},
                      order=("created_at",))


def _give_up_abandoned(now: datetime, limit: int) -> int:
    """Fail up to `limit` rows abandoned MAX_ATTEMPTS times (a file that kills its builder)."""
    stale = (sa.select(ExportFile).where(_abandoned(now), ExportFile.attempts >= MAX_ATTEMPTS)
             .order_by(ExportFile.created_at).limit(limit))
    with unit_of_work() as session:
        entries = list(session.scalars(for_update_skip_locked(stale, session)))
        for entry in entries:
            _record(entry, now, error=f"build abandoned {entry.attempts} times")
    return len(entries)


def _finish(entry_id: int, token: str, now: datetime, *, result: FileResult | None = None,
            error: str | None = None) -> bool:
    """Record a build's outcome unless its lease ran out and another builder took the row."""
    with unit_of_work() as session:
        entry = session.get(ExportFile, entry_id, with_for_update=True)
        if entry is None or entry.status != "running" or entry.claim_token != token:
            return False  # overtaken after this build's lease ran out: its new builder records
        _record(entry, now, result=result, error=error)
    return True


def _record(entry: ExportFile, now: datetime, *, result: FileResult | None = None,
            error: str | None = None) -> None:
    entry.finished_at, entry.claim_token, entry.claimed_until = now, None, None
    if result is None:
        entry.status, entry.error = "failed", error
    else:
        entry.status, entry.sha256 = "ready", result.sha256
        entry.rows, entry.size = result.rows, result.size
    if entry.cut_id is not None:
        record_event(actor="system:exports", action="export.cut_file",
                     entity_type="data_cut", entity_id=entry.cut_id, now=now,
                     after={"file": f"{entry.dataset}.{entry.format}", "status": entry.status,
                            "sha256": entry.sha256, "rows": entry.rows, "error": error})
