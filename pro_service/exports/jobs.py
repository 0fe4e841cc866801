"""Scheduler job: render the export files analysts asked for (large exports, no web timeout)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask

from pro_service.exports import files
from pro_service.exports.render import Context


def export_folder(app: Flask) -> Path:
    """Where export files are written: PRO_EXPORTS_DIR, else instance/exports."""
    return Path(app.config.get("EXPORTS_DIR") or Path(app.instance_path) / "exports")


def build_export_files(app: Flask, *, now: datetime, limit: int = 2) -> dict[str, int]:
    """Build up to `limit` pending export files."""
    ctx = Context(app.extensions["pro.protocol"], app.extensions["pro.instruments"])
    return files.build_export_files(folder=export_folder(app), ctx=ctx, now=now, limit=limit)
