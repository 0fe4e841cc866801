"""Who is calling: bearer tokens for the API, the session for the dashboard; role checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import request, session

from pro_service.core.errors import DomainError
from pro_service.extensions import db
from pro_service.staff.models import Role, StaffUser
from pro_service.staff.service import staff_for_token

F = TypeVar("F", bound=Callable[..., Any])


class Unauthorised(DomainError):
    status = 401
    title = "Unauthorised"


class RoleForbidden(DomainError):
    status = 403
    title = "Forbidden"


def current_staff() -> StaffUser | None:
    """The authenticated staff user of this request, if any."""
    if "pro.staff" in request.environ:
        return request.environ["pro.staff"]  # type: ignore[no-any-return]
    user = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = staff_for_token(header[7:].strip())
    elif session.get("staff_id") and _cookie_may_authorise():
        user = db.session.get(StaffUser, session["staff_id"])
        if user is not None and not user.active:
            user = None
    request.environ["pro.staff"] = user
    return user


def _cookie_may_authorise() -> bool:
    """The dashboard's session cookie reads the API (downloads) but never changes anything there.

    API writes need a bearer token: the API is exempt from CSRF tokens, so a cookie-authorised
    write could be forged by another site.
    """
    return not request.path.startswith("/api/") or request.method in ("GET", "HEAD", "OPTIONS")


def require_roles(*roles: Role) -> Callable[[F], F]:
    """Allow the view only to authenticated staff holding one of the roles."""

    def decorator(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                raise Unauthorised("a valid bearer token or login is required")
            if user.role not in roles:
                raise RoleForbidden(f"the {user.role} role may not do this")
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def actor_name(user: StaffUser | None) -> str:
    """How an audit event names the caller."""
    return f"staff:{user.id}" if user else "anonymous"
