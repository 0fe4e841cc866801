"""Development SMS inbox (console gateway): see what would have been sent, simulate replies."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pro_service.core import clock, crypto
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.messages.queued import queued_in_dev_inbox
from pro_service.participants.models import Participant
from pro_service.participants.service import phone_of
from pro_service.sms import service
from pro_service.sms.webhooks import context
from pro_service.staff.models import StaffUser

bp = Blueprint("sms_dev", __name__, url_prefix="/dev/sms", template_folder="templates")


@bp.before_request
def _only_in_development() -> None:
    cfg = current_app.config
    if cfg["ENV"] == "production" or cfg["SMS_GATEWAY"] != "console":
        abort(404)


@bp.get("/")
def inbox() -> str:
    rows = db.session.scalars(sa.select(Message).order_by(Message.id.desc()).limit(200)).all()
    people = {p.id: p.study_id for p in db.session.scalars(sa.select(Participant))}
    staff = db.session.scalars(sa.select(StaffUser).where(StaffUser.alert_phone_enc.is_not(None))
                               .order_by(StaffUser.id)).all()
    return render_template("sms/dev_inbox.html", messages=rows, people=people, staff=staff,
                           send_times=queued_in_dev_inbox(), now=clock.now())


@bp.post("/reply")
def reply() -> Response:
    """Simulate an inbound SMS from a demo participant (no signature: development only)."""
    p = db.session.scalar(sa.select(Participant).where(
        Participant.study_id == request.form.get("study_id", "")))
    if p is None:
        abort(404)
    ctx = context()
    sid = "SMDEV" + clock.now().strftime("%Y%m%d%H%M%S%f")
    service.handle_inbound(service.Inbound(sid, phone_of(p, ctx.keys), request.form.get("body", "")),
                           ctx=ctx, now=clock.now())
    return redirect(url_for("sms_dev.inbox"))


@bp.post("/staff-reply")
def staff_reply() -> Response:
    """Simulate an SMS from a demo staff member's alert phone (e.g. `ACK 123456`)."""
    user = db.session.scalar(sa.select(StaffUser).where(
        StaffUser.email == request.form.get("email", ""), StaffUser.alert_phone_enc.is_not(None)))
    if user is None or user.alert_phone_enc is None:
        abort(404)
    ctx = context()
    number = crypto.decrypt(user.alert_phone_enc, ctx.keys.data_key, "staff.alert_phone")
    sid = "SMDEV" + clock.now().strftime("%Y%m%d%H%M%S%f")
    service.handle_inbound(service.Inbound(sid, number, request.form.get("body", "")), ctx=ctx,
                           now=clock.now())
    return redirect(url_for("sms_dev.inbox"))
