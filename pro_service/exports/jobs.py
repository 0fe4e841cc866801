"""Scheduler jobs: render the export files analysts asked for (large exports, no web timeout),
and delete them once their retention period is over."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask

from pro_service.exports import files, retention
from pro_service.exports.render import Context


def export_folder(app: Flask) -> Path:
    """Where export files are written: PRO_EXPORTS_DIR, else instance/exports."""
    return Path(app.config.get("EXPORTS_DIR") or Path(app.instance_path) / "exports")


def export_retention(app: Flask) -> timedelta:
    """How long an export file is kept after it is built: PRO_EXPORT_RETENTION_DAYS."""
    return timedelta(days=app.config["EXPORT_RETENTION_DAYS"])


def build_export_files(app: Flask, *, now: datetime, limit: int = 2) -> dict[str, int]:
    """Build up to `limit` pending export files."""
    ctx = Context(app.extensions["pro.protocol"], app.extensions["pro.instruments"])
    return files.build_export_files(folder=export_folder(app), ctx=ctx, now=now, limit=limit)


def expire_export_files(app: Flask, *, now: datetime, limit: int) -> dict[str, int]:
    """Delete up to `limit` export files past their retention period."""
    return retention.expire_export_files(folder=export_folder(app), retention=export_retention(app),
                                         now=now, limit=limit)
