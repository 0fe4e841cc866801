"""Delete export files past their retention period; their rows stay as the record of the export.

Clinical and audit data are append-only: a requested file's row becomes `expired` (with
`deleted_at`), a cut's row stays `ready` because its files re-render from the cut's `as_of`
(files left on disk by older versions are removed all the same), and a failed build's row stays
`failed` (a partial file it left is removed). Every deletion is audited.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pro_service.audit.service import record_event
from pro_service.core import metrics
from pro_service.core.db import after_commit, for_update_skip_locked, unit_of_work
from pro_service.exports.domain.retention import built_before
from pro_service.exports.files import file_path
from pro_service.exports.models import ExportFile

log = logging.getLogger(__name__)
# a failed build may have left part of its file behind: that goes too (its row stays `failed`)
KEPT_ON_DISK = ("ready", "failed")
PART_MAX_AGE = timedelta(days=1)  # a build's temporary file this old was left by a killed build


def expire_export_files(*, folder: Path, retention: timedelta, now: datetime,
                        limit: int) -> dict[str, int]:
    """Delete up to `limit` files built more than `retention` ago and mark their rows.

    The rows are locked while their files go (PostgreSQL skips rows another scheduler holds;
    SQLite lets one writer in), so a file is handled once. A file already gone from disk is
    recorded as deleted; one that cannot be deleted is logged, left as it is and tried next run.
    """
    counts = {"export_files_expired": 0, "export_files_delete_failed": 0}
    with unit_of_work() as session:
        for entry in list(session.scalars(_due(session, retention, now, limit))):
            outcome = _delete(file_path(folder, entry))
            after_commit(partial(metrics.count_expired_file, outcome))
            if outcome == "failed":
                counts["export_files_delete_failed"] += 1
                continue
            _mark_deleted(entry, outcome, now)
            counts["export_files_expired"] += 1
    counts["export_parts_removed"] = _remove_leftover_parts(folder, now)
    return counts


def _remove_leftover_parts(folder: Path, now: datetime) -> int:
    """Remove the temporary `.part` files of builds killed before their rename (`files`), once
    older than PART_MAX_AGE: no live build writes one for that long (its lease ends first)."""
    if not folder.is_dir():
        return 0
    removed, cutoff = 0, (now - PART_MAX_AGE).timestamp()
    for part in folder.glob(".*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another scheduler took it
        except OSError:
            log.exception("could not remove the leftover build file %s; tried again next run",
                          part.name)
    return removed


def _due(session: Session, retention: timedelta, now: datetime, limit: int) -> sa.Select[Any]:
    stmt = (sa.select(ExportFile)
            .where(ExportFile.status.in_(KEPT_ON_DISK), ExportFile.deleted_at.is_(None),
                   ExportFile.finished_at <= built_before(retention, now))
            .order_by(ExportFile.finished_at, ExportFile.id).limit(limit))
    return for_update_skip_locked(stmt, session)


def _delete(path: Path) -> str:
    """Remove one file: `deleted`, `missing` (already gone, e.g. by hand) or `failed` (kept)."""
    try:
        path.unlink()
    except FileNotFoundError:
        return "missing"
    except OSError:
        log.exception("could not delete export file %s; it is tried again next run", path.name)
        return "failed"
    return "deleted"


def _mark_deleted(entry: ExportFile, outcome: str, now: datetime) -> None:
    entry.deleted_at = now
    if entry.cut_id is None and entry.status == "ready":
        entry.status = "expired"
    record_event(actor="system:exports", action="export.file_deleted", entity_type="export_file",
                 entity_id=entry.public_id, now=now,
                 after={"file": f"{entry.dataset}.{entry.format}", "cut_id": entry.cut_id,
                        "built_at": entry.finished_at.isoformat() if entry.finished_at else None,
                        "on_disk": outcome == "deleted", "status": entry.status})
