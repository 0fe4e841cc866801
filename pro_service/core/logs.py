"""JSON logs with a request id; phone-like digit runs are masked before anything is written."""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

# The id that follows one piece of work across processes: a webhook's request id is stored on the
# messages it queues, and the scheduler's sender logs under it when it sends them.
_CORRELATION: ContextVar[str | None] = ContextVar("pro_correlation_id", default=None)
_LINK = re.compile(r"/s/[A-Za-z0-9_\-]{8,}")
_PHONE = re.compile(r"\+\d(?:[\d \-]?\d){6,}|(?<!\d)1\d{2}[ \-]?\d{4}[ \-]?\d{4}(?!\d)|\d{11,}")


def mask_link(text: str) -> str:
    """Hide one-time web-form tokens (/s/<token>) wherever a path or text is logged."""
    return _LINK.sub("/s/[token]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": mask_link(_PHONE.sub("[number]", record.getMessage())),
        }
        if has_request_context():
            doc["request_id"] = getattr(g, "request_id", None)
            doc["path"] = mask_link(request.path)
        correlation = current_correlation()
        if correlation:
            doc["correlation_id"] = correlation
        if record.exc_info:
            doc["exc"] = _PHONE.sub("[number]", self.formatException(record.exc_info))
        for key in ("counts", "job"):
            if hasattr(record, key):
                doc[key] = getattr(record, key)
        return json.dumps(doc, ensure_ascii=False, default=str)


def current_correlation() -> str | None:
    """The correlation id of the work in hand: the one set by ``correlated``, else the request's."""
    value = _CORRELATION.get()
    if value is None and has_request_context():
        value = getattr(g, "request_id", None)
    return value


@contextmanager
def correlated(correlation_id: str | None) -> Iterator[None]:
    """Log everything inside under ``correlation_id`` (the scheduler working on a stored row)."""
    token = _CORRELATION.set(correlation_id)
    try:
        yield
    finally:
        _CORRELATION.reset(token)


def adopt_correlation(correlation_id: str | None) -> None:
    """Take a stored row's correlation id for the rest of the enclosing ``correlated`` block."""
    _CORRELATION.set(correlation_id)


def init_logging(app: Flask) -> None:
    """Send JSON lines to stderr and tag every request with an id."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("pro_service")
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    root.propagate = False
    app.logger.handlers[:] = [handler]
    access = logging.getLogger("pro_service.access")

    @app.before_request
    def _tag_request() -> None:
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response):  # type: ignore[no-untyped-def]
        if "request_id" in g:
            response.headers["X-Request-Id"] = g.request_id
        access.info("%s %s %s", request.method, mask_link(request.path), response.status_code)
        return response
