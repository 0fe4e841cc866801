"""POST /voice/ack: the keypress of an escalation call (signed by Twilio), answered in TwiML."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, request
from twilio.request_validator import RequestValidator

from pro_service.core import clock
from pro_service.safety import calls
from pro_service.voice.gateway import voice_gateway_of
from pro_service.voice.jobs import place_due_calls
from pro_service.voice.twiml import answer_twiml

log = logging.getLogger("pro_service.voice.webhooks")
bp = Blueprint("voice", __name__, url_prefix="/voice")


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403) a request whose X-Twilio-Signature does not match the public URL and form."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = current_app.config.get("TWILIO_AUTH_TOKEN")
        signature = request.headers.get("X-Twilio-Signature", "")
        url = current_app.config["PUBLIC_BASE_URL"] + request.full_path.rstrip("?")
        if not token or not signature or not RequestValidator(token).validate(
                url, request.form.to_dict(flat=True), signature):
            log.warning("refused voice webhook with a missing or wrong signature")
            abort(403, description="signature check failed")
        return view(*args, **kwargs)

    return wrapper


@bp.post("/ack")
@twilio_signed
def ack() -> Response:
    """Pressing 1 acknowledges the alert the call was about, if the callee's role may."""
    call_id = request.args.get("call", "")
    if not call_id.isdigit():
        abort(400, description="call is required")
    call = calls.call_for_keypress(int(call_id), request.form.get("CallSid", ""))
    outcome = calls.acknowledge_by_keypress(call, digits=request.form.get("Digits", ""),
                                            now=clock.now())
    return Response(answer_twiml(call.language, outcome), mimetype="application/xml")


def placer_for(app: Flask) -> Callable[[list[int]], None]:
    """A function that places the given call ids at once through the app's voice gateway."""

    def place(ids: list[int]) -> None:
        place_due_calls(now=clock.now(), limit=len(ids), gateway=voice_gateway_of(app),
                        public_base_url=app.config["PUBLIC_BASE_URL"],
                        data_key=app.config["DATA_KEY"], only_ids=ids)

    return place
