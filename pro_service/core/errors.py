"""Domain errors and their mapping to HTTP problem documents."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A use case refused: carries the HTTP status it maps to and a safe message."""

    status = 400
    title = "Bad Request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(DomainError):
    status = 422
    title = "Unprocessable Entity"


class NotFound(DomainError):
    status = 404
    title = "Not Found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Gone(DomainError):
    status = 410
    title = "Gone"


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> dict[str, Any]:
    """An RFC 9457 problem document."""
    doc: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        doc["detail"] = detail
    doc.update(extra)
    return doc
