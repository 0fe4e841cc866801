"""The OpenAPI document's bearer auth and interactive docs served from local assets (no CDN).

Swagger UI's files come from the `flask-swagger-ui` package (its `dist` folder), served at
`/api/docs/assets/`; flask-smorest renders `/api/docs` with them. Nothing is fetched from
another host, so the docs work on a hospital network without internet access.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, send_from_directory

BEARER = {"type": "http", "scheme": "bearer",
          "description": "An API token from `flask --app wsgi staff token EMAIL` "
                         "(header `Authorization: Bearer <token>`)."}
assets = Blueprint("apidocs", __name__)


def _dist() -> Path:
    import flask_swagger_ui

    return Path(flask_swagger_ui.__file__).resolve().parent / "dist"


@assets.get("/api/docs/assets/<path:name>")
def asset(name: str) -> Response:
    """One Swagger UI file (JavaScript, CSS, icons) from the installed package."""
    return send_from_directory(_dist(), name, max_age=86400)


def declare_bearer_auth(spec: Any) -> None:
    """Declare the bearer scheme and require it by default on every operation."""
    spec.components.security_scheme("bearerAuth", BEARER)
    spec.options["security"] = [{"bearerAuth": []}]


def init_api_docs(app: Flask, api: Any) -> None:
    """Bearer auth in the spec, and the local Swagger UI assets."""
    declare_bearer_auth(api.spec)
    app.register_blueprint(assets)
