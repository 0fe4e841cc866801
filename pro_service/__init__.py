"""pro-service: patient-reported outcomes and safety escalation for clinical trials."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    from pro_service import wiring

    app = Flask(__name__, instance_relative_config=True)
    wiring.configure(app, config)
    return app
