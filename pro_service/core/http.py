"""HTTP edges shared by every blueprint: problem documents and the health check."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from pro_service.core import clock
from pro_service.core.csrf import EXPIRED, is_csrf_error
from pro_service.core.errors import DomainError, problem
from pro_service.core.heartbeat import STALE_AFTER, newest_beat
from pro_service.extensions import db

log = logging.getLogger("pro_service.http")
ops = Blueprint("ops", __name__, template_folder="templates")


@ops.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report whether the database answers."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        log.exception("health check failed")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200


@ops.get("/healthz/ready")
def ready() -> tuple[Response, int]:
    """Readiness for the load balancer: the database answers and a scheduler beat recently."""
    try:
        newest = newest_beat(db.session)
    except sa.exc.SQLAlchemyError:
        log.exception("readiness check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable", scheduler="unknown"), 503
    age = (clock.now() - newest).total_seconds() if newest else None
    alive = age is not None and age <= STALE_AFTER.total_seconds()
    body = {"status": "ok" if alive else "error", "database": "ok",
            "scheduler": "ok" if alive else ("never ran" if newest is None else "stale"),
            "scheduler_heartbeat_age_seconds": round(age, 1) if age is not None else None,
            "scheduler_heartbeat_max_age_seconds": STALE_AFTER.total_seconds()}
    if not alive:
        log.error("readiness check: no scheduler heartbeat for %s", "ever" if age is None else f"{age:.0f} s")
    return jsonify(body), 200 if alive else 503


PAGE_TEXT = {
    400: ("请求无效，请返回后重试。", "The request could not be used. Please go back and try again."),
    403: ("您的角色无权执行此操作，未作任何更改。", "Your role may not do this; nothing was changed."),
    404: ("找不到此页面。链接可能有误。", "This page was not found. The link may be wrong."),
    410: ("此链接已过期。", "This link has expired."),
    413: ("提交的内容太大。", "What was sent is too large."),
    429: ("尝试次数过多，请稍后再试。", "Too many attempts. Please try again later."),
    500: ("系统暂时出错，您的内容没有丢失。请稍后再试。",
          "Something went wrong on our side; nothing you entered was lost. Please try again later."),
}


def _page_response(status: int, title: str, detail: str | None) -> Response:
    zh, en = PAGE_TEXT.get(status, PAGE_TEXT[400])
    if status == 400 and detail:
        en = detail
    resp = Response(render_template("error.html", status=status, title=title, zh=zh, en=en),
                    status=status, mimetype="text/html")
    return resp


def _problem_response(status: int, title: str, detail: str | None, **extra: object) -> Response:
    if wants_html():
        return _page_response(status, title, detail)
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
        if is_csrf_error(exc):
            detail = EXPIRED
        resp = _problem_response(exc.code or 500, exc.name, detail, **extra)
        for name, value in exc.get_headers():  # Allow on 405, Retry-After, WWW-Authenticate …
            if name.lower() != "content-type":
                resp.headers[name] = value
        return resp

    @app.errorhandler(sa.exc.OperationalError)
    def _database_unavailable(exc: sa.exc.OperationalError):  # type: ignore[no-untyped-def]
        # a lost connection or a database restart: nothing was committed, a retry will work
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            db.session.invalidate()
        resp = _problem_response(503, "Service Unavailable",
                                 "the database is unavailable; nothing was changed, please retry")
        resp.headers["Retry-After"] = "2"
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        db.session.rollback()
        return _problem_response(500, "Internal Server Error",
                                 "the server could not complete the request; nothing was changed")
