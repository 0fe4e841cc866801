"""CSRF protection for every server-rendered form: Flask-WTF's CSRFProtect, bound in the factory.

Pages put ``{{ csrf_token() }}`` in a hidden ``csrf_token`` field; every POST, PUT, PATCH and DELETE
is checked before its view runs. Token clients of the API (``Authorization: Bearer``) and signed
provider webhooks carry no cookie authority, so their blueprints are exempted where they are
registered (``csrf.exempt(blueprint)``).
"""

from __future__ import annotations

from flask import Flask, g
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()
EXPIRED = "The form has expired. Please go back, reload the page and try again."


def init_csrf(app: Flask) -> None:
    """Bind CSRFProtect; tokens live as long as the staff session, not one hour."""
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)

    @app.before_request
    def _fresh_token_per_request() -> None:
        # an app context kept around several requests (tests, CLI) must not carry one
        # session's cached token into the next request
        g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def is_csrf_error(exc: Exception) -> bool:
    """Whether an error is a refused CSRF token (answered as an expired form)."""
    return isinstance(exc, CSRFError)
