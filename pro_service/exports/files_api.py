"""Background export files and frozen data cuts under /api/exports (files, cuts)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from flask import Response, current_app, send_file, url_for
from flask.views import MethodView

from pro_service.core import clock
from pro_service.exports import downloads, files, jobs
from pro_service.exports import render as exports
from pro_service.exports.blueprint import ALL_SITE_READERS, READERS, blp, caller
from pro_service.exports.models import DataCut, ExportFile
from pro_service.exports.schemas import CutRequestSchema, CutSchema, ExportFileSchema, FileRequestSchema
from pro_service.staff.auth import require_roles


def _context() -> exports.Context:
    return exports.Context(current_app.extensions["pro.protocol"],
                           current_app.extensions["pro.instruments"])


def export_folder() -> Path:
    return jobs.export_folder(current_app)  # type: ignore[arg-type]


def export_retention() -> timedelta:
    return jobs.export_retention(current_app)  # type: ignore[arg-type]


def _file_out(entry: ExportFile) -> dict[str, Any]:
    out = {c: getattr(entry, c) for c in ("public_id", "dataset", "format", "filters", "as_of",
                                          "status", "sha256", "rows", "size", "error",
                                          "created_at", "finished_at", "deleted_at")}
    out["expires_at"] = downloads.file_expires_at(entry, export_retention())
    if entry.cut_id is not None and entry.status == "ready":
        out["download"] = url_for("exports.cut_file", cut_id=entry.cut_id, file_id=entry.public_id)
    elif entry.cut_id is None and entry.status == "ready":
        out["download"] = url_for("exports.file_download", file_id=entry.public_id)
    return out


def _cut_out(cut: DataCut) -> dict[str, Any]:
    return {"id": cut.id, "name": cut.name, "as_of": cut.as_of, "filters": cut.filters,
            "created_at": cut.created_at, "files": [_file_out(f) for f in files.cut_files(cut)]}


def _integrity_headers(entry: ExportFile, sha256: str, rows: int) -> dict[str, str]:
    return {"X-Content-SHA256": sha256, "X-Row-Count": str(rows),
            "X-Data-As-Of": entry.as_of.isoformat(), "Cache-Control": "no-store"}


@blp.route("/files")
class Files(MethodView):
    @require_roles(*READERS)
    @blp.arguments(FileRequestSchema)
    @blp.response(202, ExportFileSchema)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Ask for a dataset file built in the background (for large exports).

        Poll `GET /api/exports/files/{id}` until `status` is `ready`, then fetch `download`:
        a plain file with Content-Length, `X-Content-SHA256` and `X-Row-Count`, so a cut-short
        transfer is detectable.
        """
        dataset, fmt = args.pop("dataset"), args.pop("format")
        return _file_out(files.request_file(caller(), dataset=dataset, fmt=fmt, filters=args,
                                            now=clock.now()))


@blp.route("/files/<file_id>")
class FileStatus(MethodView):
    @require_roles(*READERS)
    @blp.response(200, ExportFileSchema)
    def get(self, file_id: str) -> dict[str, Any]:
        """Status of a requested export file (only its requester sees it)."""
        return _file_out(downloads.get_file(caller(), file_id))


@blp.route("/files/<file_id>/download", endpoint="file_download")
class FileDownload(MethodView):
    @require_roles(*READERS)
    @blp.response(200, content_type="application/octet-stream",
                  description="The file, with Content-Length, X-Content-SHA256 and X-Row-Count")
    def get(self, file_id: str) -> Response:
        """Download a ready export file; audited as a data access.

        410 Gone once the file's retention period (`expires_at`) is over: ask for it again.
        """
        entry, handle = downloads.open_file(caller(), file_id, folder=export_folder(),
                                            retention=export_retention(), now=clock.now())
        reply = send_file(handle, as_attachment=True, conditional=False,
                          download_name=f"{entry.dataset}.{entry.format}")
        reply.content_length = os.fstat(handle.fileno()).st_size
        # check_downloadable() refused a file without its hash and row count
        reply.headers.update(_integrity_headers(entry, str(entry.sha256), int(entry.rows or 0)))
        return reply


@blp.route("/cuts")
class Cuts(MethodView):
    @require_roles(*ALL_SITE_READERS)
    @blp.response(200, CutSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Named data cuts, newest first."""
        return [_cut_out(c) for c in files.list_cuts()]

    @require_roles(*ALL_SITE_READERS)
    @blp.arguments(CutRequestSchema)
    @blp.response(202, CutSchema)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Freeze a named data cut (e.g. "W24 primary"): its time and filters.

        The scheduler then renders each file once and stores its SHA-256 (poll the cut until
        every file is `ready`). Every later download of a cut's file renders it again from
        `as_of` and is served only when the bytes match that SHA-256 (409 otherwise). Audited.
        """
        filters = {**args.get("filters", {}), "as_of": args.get("as_of")}
        return _cut_out(files.create_cut(caller(), name=args["name"], filters=filters,
                                         now=clock.now()))


@blp.route("/cuts/<int:cut_id>")
class Cut(MethodView):
    @require_roles(*ALL_SITE_READERS)
    @blp.response(200, CutSchema)
    def get(self, cut_id: int) -> dict[str, Any]:
        """One data cut with its files and their SHA-256."""
        return _cut_out(files.get_cut(cut_id))


@blp.route("/cuts/<int:cut_id>/files/<file_id>", endpoint="cut_file")
class CutFile(MethodView):
    @require_roles(*ALL_SITE_READERS)
    @blp.response(200, content_type="application/octet-stream",
                  description="The frozen file, byte-identical to its SHA-256 at the cut")
    def get(self, cut_id: int, file_id: str) -> Response:
        """Download one file of a cut, re-rendered from its `as_of` and checked; audited."""
        entry, sink, result = files.open_cut_file(caller(), cut_id, file_id, ctx=_context(),
                                                  now=clock.now())
        suffix = {"dataset-json": "dataset.json"}.get(entry.format, entry.format)
        reply = Response(_chunks(sink), mimetype="application/octet-stream", headers={
            "Content-Disposition": f'attachment; filename="{entry.dataset}.{suffix}"',
            "Content-Length": str(result.size), **_integrity_headers(entry, result.sha256,
                                                                     result.rows)})
        reply.call_on_close(sink.close)
        return reply


def _chunks(sink: IO[bytes], size: int = 256 * 1024) -> Iterator[bytes]:
    try:
        while chunk := sink.read(size):
            yield chunk
    finally:
        sink.close()
