"""CSRF protection for server-rendered forms: a per-session token checked on every POST."""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token  # type: ignore[no-any-return]


def check_csrf() -> None:
    """Refuse a form POST whose token is missing or wrong (400)."""
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="The form has expired. Please go back, reload the page and try again.")
