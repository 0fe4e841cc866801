"""Twilio webhooks: POST /sms/inbound (TwiML reply) and POST /sms/status (delivery reports)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, request
from twilio.request_validator import RequestValidator

from pro_service.core import clock
from pro_service.core.failure_limits import failure_allowed
from pro_service.core.phones import try_normalise
from pro_service.messages.service import apply_status_callback
from pro_service.participants.service import Keys
from pro_service.sms import service
from pro_service.sms.status import after_status

log = logging.getLogger("pro_service.sms.webhooks")
bp = Blueprint("sms", __name__, url_prefix="/sms")


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403) a request whose X-Twilio-Signature does not match the public URL and form.

    Signed requests are never rate-limited (Twilio does not retry a refused inbound webhook, so
    a 429 would lose a participant's message); failed checks are counted per client and, past
    PRO's WEBHOOK_FAILED_SIGNATURE_LIMIT, answered 429.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = current_app.config.get("TWILIO_AUTH_TOKEN")
        signature = request.headers.get("X-Twilio-Signature", "")
        url = current_app.config["PUBLIC_BASE_URL"] + request.full_path.rstrip("?")
        if not token or not signature or not RequestValidator(token).validate(
                url, request.form.to_dict(flat=True), signature):
            log.warning("refused webhook with a missing or wrong signature")
            if not failure_allowed("webhook-signature", "WEBHOOK_FAILED_SIGNATURE_LIMIT"):
                abort(429, description="too many requests with a failed signature check")
            abort(403, description="signature check failed")
        return view(*args, **kwargs)

    return wrapper


def context() -> service.Context:
    cfg = current_app.config
    return service.Context(keys=Keys(cfg["DATA_KEY"], cfg["INDEX_KEY"]),
                           instruments=current_app.extensions["pro.instruments"],
                           public_base_url=cfg["PUBLIC_BASE_URL"])


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def twiml(replies: list[str]) -> Response:
    """The TwiML answer: one <Message> per reply (the same document `MessagingResponse` writes,
    built as text: every inbound SMS pays for this, and the library builds an element tree)."""
    messages = "".join(f"<Message>{escape(text)}</Message>" if text else "<Message />"
                       for text in replies)
    body = f"<Response>{messages}</Response>" if messages else "<Response />"
    return Response(XML_DECLARATION + body, mimetype="application/xml")


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    """Take one participant or staff SMS and answer in TwiML."""
    sid, sender = request.form.get("MessageSid", ""), try_normalise(request.form.get("From", ""))
    if not sid or len(sid) > 64 or sender is None:
        abort(400, description="MessageSid and a valid From number are required")
    body = request.form.get("Body", "").replace("\x00", "")  # databases refuse NUL in text
    replies = service.handle_inbound(service.Inbound(sid, sender, body),
                                     ctx=context(), now=clock.now())
    return twiml(replies)


@bp.post("/status")
@twilio_signed
def status() -> tuple[str, int]:
    """Record a delivery report for an outbound message."""
    sid = request.form.get("MessageSid", "")
    if not sid:
        abort(400, description="MessageSid is required")
    msg = apply_status_callback(sid=sid, status=request.form.get("MessageStatus", ""),
                                error_code=request.form.get("ErrorCode") or None, now=clock.now())
    if msg is not None:
        after_status(msg, now=clock.now())
    return "", 204
