"""pro-service: patient-reported outcomes and safety escalation for clinical trials.

Importing the package loads nothing but this file: Flask comes in only when `create_app` runs,
so the pure scorer (`pro_service.instruments.scoring`) imports where Flask is not installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    from flask import Flask

    from pro_service import wiring

    app = Flask(__name__, instance_relative_config=True)
    wiring.configure(app, config)
    return app
