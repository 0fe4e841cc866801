"""A caller's requested export files: listing, expiry date and the audited download.

A file is kept on disk for the retention period after it was built (`domain.retention`), then
the `expire_export_files` job deletes it. From its expiry on, a download is refused as Gone, even
before the job has run, and so is a file that vanished from disk: never a half-served file or a 500.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, Gone, NotFound
from pro_service.exports.domain.retention import expires_at, is_expired
from pro_service.exports.files import file_path
from pro_service.exports.models import ExportFile
from pro_service.extensions import db
from pro_service.staff.models import StaffUser


def get_file(staff: StaffUser, public_id: str) -> ExportFile:
    """A requested file of this caller (others' files are not found)."""
    entry = db.session.scalar(sa.select(ExportFile).where(ExportFile.public_id == public_id,
                                                          ExportFile.cut_id.is_(None)))
    if entry is None or entry.requested_by_id != staff.id:
        raise NotFound(f"no export file {public_id}")
    return entry


def list_files(staff: StaffUser, limit: int = 20) -> list[ExportFile]:
    """This caller's requested files, newest first."""
    return list(db.session.scalars(
        sa.select(ExportFile).where(ExportFile.requested_by_id == staff.id,
                                    ExportFile.cut_id.is_(None))
        .order_by(ExportFile.created_at.desc(), ExportFile.id.desc()).limit(limit)))


def file_expires_at(entry: ExportFile, retention: timedelta) -> datetime | None:
    """When a requested file's download ends (or ended); None unless it was built, and for a
    cut's file (it re-renders from its `as_of`)."""
    if entry.cut_id is not None or entry.finished_at is None or entry.status not in (
            "ready", "expired"):
        return None
    return entry.deleted_at or expires_at(entry.finished_at, retention)


def is_gone(entry: ExportFile, retention: timedelta, now: datetime) -> bool:
    """Whether a requested file's retention period is over (deleted or about to be)."""
    if entry.status == "expired":
        return True
    return (entry.status == "ready" and entry.finished_at is not None
            and is_expired(entry.finished_at, retention, now))


def check_downloadable(entry: ExportFile, *, folder: Path, retention: timedelta,
                       now: datetime) -> None:
    """Refuse a file still being built (Conflict), or expired or gone from disk (Gone)."""
    name = f"{entry.dataset}.{entry.format}"
    if is_gone(entry, retention, now):
        until = file_expires_at(entry, retention)
        raise Gone(f"export file {entry.public_id} ({name}) expired: files are deleted "
                   f"{retention.days} days after they are built; request it again", file=name,
                   expired_at=until.isoformat() if until else None)
    if entry.status != "ready" or entry.sha256 is None or entry.rows is None:
        raise Conflict(f"export file {entry.public_id} is {entry.status}, not ready")
    if not file_path(folder, entry).is_file():
        raise Gone(f"export file {entry.public_id} ({name}) is no longer on disk; request it "
                   "again", file=name)


def open_file(staff: StaffUser, public_id: str, *, folder: Path, retention: timedelta,
              now: datetime) -> tuple[ExportFile, IO[bytes]]:
    """Open a ready file of this caller for download; audited. Gone once expired or off disk."""
    entry = get_file(staff, public_id)
    check_downloadable(entry, folder=folder, retention=retention, now=now)
    try:
        handle = file_path(folder, entry).open("rb")
    except FileNotFoundError:  # deleted between the check and now
        raise Gone(f"export file {public_id} is no longer on disk; request it again") from None
    try:
        audit_file(staff, entry, now=now)
    except BaseException:
        handle.close()
        raise
    return entry, handle


def audit_file(staff: StaffUser, entry: ExportFile, *, now: datetime) -> None:
    """Record the download of a ready export file as a data access."""
    with unit_of_work():
        record_event(actor=f"staff:{staff.id}", action="export.download", entity_type="dataset",
                     entity_id=entry.dataset, now=now,
                     after={"dataset": entry.dataset, "format": entry.format,
                            "filters": entry.filters, "as_of": entry.as_of.isoformat(),
                            "rows": entry.rows, "via": f"file:{entry.public_id}",
                            "complete": True})
