"""Development phone: see the escalation calls the console voice gateway would have placed and
press a key on one (no signature: development only, like the dev SMS inbox)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.safety import calls

bp = Blueprint("voice_dev", __name__, url_prefix="/dev/voice", template_folder="templates")


@bp.before_request
def _only_in_development() -> None:
    cfg = current_app.config
    if cfg["ENV"] == "production" or cfg["SMS_GATEWAY"] != "console":
        abort(404)


@bp.get("/")
def calls_page() -> str:
    return render_template("voice/dev_calls.html", calls=calls.recent_calls(limit=50))


@bp.post("/<int:call_id>/press")
def press(call_id: int) -> Response:
    """Press a key on a placed call, as the callee would."""
    call = calls.call_for_keypress(call_id, request.form.get("call_sid", ""))
    calls.acknowledge_by_keypress(call, digits=request.form.get("digits", ""), now=clock.now())
    return redirect(url_for("voice_dev.calls_page"))
