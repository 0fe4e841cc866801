"""HTTP edges shared by every blueprint: problem documents and the health check."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from pro_service.core.errors import DomainError, problem
from pro_service.extensions import db

log = logging.getLogger("pro_service.http")
ops = Blueprint("ops", __name__)


@ops.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report whether the database answers."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        log.exception("health check failed")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200


def _problem_response(status: int, title: str, detail: str | None, **extra: object) -> Response:
    resp = jsonify(problem(status, title, detail, **extra))
    resp.status_code = status
    resp.mimetype = "application/problem+json"
    return resp


def wants_html() -> bool:
    """Pages for people (web form, dashboard) answer errors in HTML; the rest in JSON."""
    return request.path.startswith(("/s/", "/dashboard")) and not request.path.startswith("/api")


def init_error_handlers(app: Flask) -> None:
    """Map domain errors and HTTP errors to problem documents; never an HTML 500."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):  # type: ignore[no-untyped-def]
        return _problem_response(exc.status, exc.title, exc.detail, **exc.extra)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # type: ignore[no-untyped-def]
        extra = {}
        data = getattr(exc, "data", None)
        if isinstance(data, dict) and "messages" in data:
            extra["errors"] = data["messages"]
        detail = exc.description if not extra else "the request did not validate; see errors"
        return _problem_response(exc.code or 500, exc.name, detail, **extra)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        db.session.rollback()
        return _problem_response(500, "Internal Server Error",
                                 "the server could not complete the request; nothing was changed")
