"""Assemble the application: every room's blueprint, commands and hooks are listed here."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from pro_service.config import load_config
from pro_service.core import failure_limits, input_bounds
from pro_service.core.csrf import csrf, init_csrf
from pro_service.core.db import install_sqlite_transactions
from pro_service.core.apidocs import init_api_docs
from pro_service.core.http import init_error_handlers, ops
from pro_service.core.logs import init_logging
from pro_service.core.metrics import init_request_metrics
from pro_service.extensions import api, babel, db, limiter, migrate


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Load config, bind extensions, register blueprints, CLI groups and cross-room hooks."""
    load_config(app, overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    init_logging(app)
    init_request_metrics(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    babel.init_app(app)
    init_csrf(app)
    limiter.init_app(app)
    failure_limits.init_app(app)
    _trust_proxies(app)
    input_bounds.init_app(app)
    api.init_app(app)
    init_api_docs(app, api)
    _register_models()
    with app.app_context():
        install_sqlite_transactions(db.engine)
    _load_definitions(app)
    _wire_hooks(app)
    _register_blueprints(app)
    _register_cli(app)
    init_error_handlers(app)


def _trust_proxies(app: Flask) -> None:
    """Behind N proxies (PRO_TRUSTED_PROXIES), take the client address and scheme they pass on."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,  # type: ignore[method-assign]
                                x_port=hops, x_prefix=hops)


def _load_definitions(app: Flask) -> None:
    """Validate every instrument and the protocol once; a bad file stops start-up, naming it."""
    from pro_service.instruments.service import load_all
    from pro_service.schedule.domain.protocol import load_protocol

    instruments = load_all(app.config["QUESTIONNAIRES_DIR"])
    app.extensions["pro.instruments"] = instruments
    app.extensions["pro.protocol"] = load_protocol(app.config["PROTOCOL"], instruments=instruments)


def _wire_hooks(app: Flask) -> None:
    """Let higher rooms react to lower rooms' changes inside the same transaction."""
    from pro_service.participants.service import hooks
    from pro_service.schedule import service as schedule

    protocol = app.extensions["pro.protocol"]
    hooks.enrolled[:] = [partial(schedule.create_occasions, protocol=protocol)]
    hooks.anchors_changed[:] = [partial(schedule.recompute_occasions, protocol=protocol)]
    hooks.withdrawn[:] = [schedule.cancel_open_and_future]

    from pro_service.responses import service as responses
    from pro_service.safety import screening
    from pro_service.safety import service as safety
    from pro_service.sms import service as sms

    sms.screens[:] = [screening.screen_message]
    from pro_service.sms import caregivers as sms_caregivers

    sms_caregivers.screens[:] = [screening.screen_caregiver_message]
    sms.staff_handlers[:] = [screening.handle_staff_sms]
    responses.after_submit[:] = [screening.screen_response]
    safety.public_base_url = app.config["PUBLIC_BASE_URL"]

    from pro_service.safety import calls
    from pro_service.voice.webhooks import placer_for

    calls.place_now = placer_for(app)

    from pro_service.responses import staff_actions
    from pro_service.sms.jobs import invitation_for

    staff_actions.invitation_builders[:] = [invitation_for]


def _register_models() -> None:
    from pro_service.audit import models as _audit  # noqa: F401
    from pro_service.exports import models as _exports  # noqa: F401
    from pro_service.core import heartbeat as _heartbeat  # noqa: F401
    from pro_service.messages import models as _messages  # noqa: F401
    from pro_service.participants import models as _participants  # noqa: F401
    from pro_service.responses import models as _responses  # noqa: F401
    from pro_service.safety import models as _safety  # noqa: F401
    from pro_service.schedule import models as _schedule  # noqa: F401
    from pro_service.sms import models as _sms  # noqa: F401
    from pro_service.staff import models as _staff  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from pro_service.dashboard import bp as dashboard_bp
    from pro_service.exports.api import blp as exports_blp
    from pro_service.ops.metrics import bp as ops_metrics_bp
    from pro_service.participants.api import blp as participants_blp
    from pro_service.messages.api import blp as messages_blp
    from pro_service.responses.api import blp as responses_blp
    from pro_service.safety.api import blp as safety_blp
    from pro_service.sms.dev import bp as sms_dev_bp
    from pro_service.sms.webhooks import bp as sms_bp
    from pro_service.voice.dev import bp as voice_dev_bp
    from pro_service.voice.webhooks import bp as voice_bp
    from pro_service.webform.views import bp as webform_bp

    app.register_blueprint(ops)
    app.register_blueprint(ops_metrics_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(webform_bp)
    app.register_blueprint(sms_bp)
    app.register_blueprint(sms_dev_bp)
    app.register_blueprint(voice_bp)
    app.register_blueprint(voice_dev_bp)
    api.register_blueprint(participants_blp)
    api.register_blueprint(safety_blp)
    api.register_blueprint(exports_blp)
    api.register_blueprint(responses_blp)
    api.register_blueprint(messages_blp)
    # signed provider webhooks and bearer-token API clients carry no cookie authority
    for blueprint in (sms_bp, voice_bp, participants_blp, safety_blp, exports_blp, responses_blp):
        csrf.exempt(blueprint)


def _register_cli(app: Flask) -> None:
    from pro_service.audit.cli import audit_cli
    from pro_service.cli import demo_cli
    from pro_service.instruments.cli import instruments_cli, score_cli
    from pro_service.ops.cli import keys_cli
    from pro_service.participants.cli import participants_cli
    from pro_service.safety.cli import rota_cli
    from pro_service.schedule.cli import schedule_cli
    from scheduler.cli import scheduler_cli, tick_command
    from pro_service.staff.cli import sites_cli, staff_cli
    from pro_service.webform.cli import link_command

    participants_cli.add_command(link_command)

    for group in (audit_cli, participants_cli, staff_cli, sites_cli, demo_cli, instruments_cli,
                  score_cli, schedule_cli, scheduler_cli, tick_command, keys_cli, rota_cli):
        app.cli.add_command(group)


def prepare_worker() -> None:
    """Ready a server process after `create_app`, before its first request (wsgi.py).

    The safety screen's matchers are built now rather than in a participant's first text; then
    the app's long-lived objects (mappers, lexicon, instruments: about 200,000) are frozen out
    of the cyclic garbage collector, whose full scans of them otherwise cost about 100 ms each.
    """
    import gc

    from pro_service.safety.detect import warm_up

    warm_up()
    gc.freeze()
