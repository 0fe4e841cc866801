"""Scheduler jobs of the SMS channel: open and invite, remind, dispatch the outbox."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any


from pro_service.core import crypto
from pro_service.core.db import unit_of_work
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument
from pro_service.messages import service as outbox
from pro_service.messages.gateway import Gateway
from pro_service.messages.models import Message
from pro_service.messages.sending import LEASE, Dispatcher, SendHooks, dispatch_outbox
from pro_service.messages.service import Outbound, Recipient
from pro_service.participants import service as participants
from pro_service.participants.domain import Channel, Status
from pro_service.participants.models import Participant
from pro_service.responses import service as responses
from pro_service.schedule import service as schedule
from pro_service.schedule.domain.protocol import Protocol
from pro_service.schedule.domain.reminders import reminder_send_at
from pro_service.schedule.domain.windows import next_allowed_instant
from pro_service.schedule.models import Occasion
from pro_service.sms import notices
from pro_service.sms.domain.prompts import invitation
from pro_service.staff.models import StaffUser
from pro_service.staff.service import site_contacts

log = logging.getLogger("pro_service.jobs")
# Messages about one occasion: cancelled at send time once it is completed, closed or cancelled.
OCCASION_PROMPTS = frozenset({"invitation", "reminder"})


def quiet_deferred(p: Participant, at: datetime) -> datetime:
    """The first instant at or after `at` outside the participant's quiet hours."""
    return next_allowed_instant(at, p.timezone, p.quiet_start, p.quiet_end)


def open_and_invite(*, now: datetime, limit: int, protocol: Protocol,
                    instruments: dict[str, Instrument]) -> dict[str, int]:
    """Open due occasions and queue each invitation in the same transaction."""
    with unit_of_work():
        opened = schedule.open_due(now=now, limit=limit, reminder_hours=protocol.reminder_hours)
        invitations = [_invitation(occ, instruments[occ.instrument], now) for occ in opened
                       if occ.participant.status == Status.ACTIVE]  # opted out: web link on request
        queued = outbox.queue_messages(invitations, now=now)
    return {"opened": len(opened), "invitations": queued}


def _invitation(occ: Occasion, instrument: Instrument, now: datetime) -> Outbound:
    p = occ.participant
    body = (invitation(instrument, p.language) if p.channel == Channel.SMS_CHAT
            else notices.link_invitation(instrument.title, p.language))
    return Outbound(kind="invitation", body=body, participant_id=p.id, occasion_id=occ.id,
                    key=f"invitation:{occ.id}", send_after=quiet_deferred(p, now))


def queue_reminders(*, now: datetime, limit: int, protocol: Protocol,
                    instruments: dict[str, Instrument]) -> dict[str, int]:
    """Queue due reminders (24 h, 72 h after opening) while an occasion is incomplete."""
    reminders = []
    with unit_of_work():
        for occ in schedule.due_reminders(now=now, limit=limit):
            p, n = occ.participant, occ.reminders_sent + 1
            send_at = reminder_send_at(now, occ.closes_at, p.timezone, p.quiet_start, p.quiet_end)
            if p.status == Status.ACTIVE and send_at is not None:
                body = notices.reminder(instruments[occ.instrument].title, p.language)
                reminders.append(Outbound(kind="reminder", body=body, participant_id=p.id,
                                          occasion_id=occ.id, key=f"reminder:{occ.id}:{n}",
                                          send_after=send_at))
            schedule.mark_reminded(occ, now=now, reminder_hours=protocol.reminder_hours)
        queued = outbox.queue_messages(reminders, now=now)
    return {"reminders": queued}


def send_hooks(keys: participants.Keys) -> SendHooks:
    """How the SMS channel resolves recipients and reacts to failures."""
    return SendHooks(resolve=lambda m, at: _recipient(m, keys, at), address=lambda m: _address(m, keys),
                     on_failed=_note_failure, on_permanent=_permanent, defer=_defer)


def dispatch(*, now: datetime, limit: int, gateway: Gateway, keys: participants.Keys,
             only_ids: Sequence[int] | None = None, concurrency: int = 8,
             lease: timedelta = LEASE, max_priority: int | None = None) -> dict[str, int]:
    """Send due outbox rows (or just `only_ids`), most urgent first, `concurrency` at a time."""
    from flask import current_app

    sender = Dispatcher(app=current_app._get_current_object(),  # type: ignore[attr-defined]
                        gateway=gateway, hooks=send_hooks(keys), concurrency=concurrency, lease=lease)
    counts = dispatch_outbox(sender, now=now, limit=limit, only_ids=only_ids, max_priority=max_priority)
    return counts.as_dict()


def _address(msg: Message, keys: participants.Keys) -> str | None:
    """The recipient's number alone (for asking the provider's log), or None."""
    if msg.staff_id is not None:
        staff = db.session.get(StaffUser, msg.staff_id)
        return crypto.decrypt(staff.alert_phone_enc, keys.data_key, "staff.alert_phone") \
            if staff is not None and staff.alert_phone_enc else None
    p = db.session.get(Participant, msg.participant_id) if msg.participant_id else None
    return participants.phone_of(p, keys) if p is not None else None


def _recipient(msg: Message, keys: participants.Keys, now: datetime) -> Recipient:
    if msg.staff_id is not None:
        staff = db.session.get(StaffUser, msg.staff_id)
        if staff is None or not staff.alert_phone_enc or not staff.active:
            return Recipient(None, False, "staff member has no alert phone")
        return Recipient(crypto.decrypt(staff.alert_phone_enc, keys.data_key, "staff.alert_phone"))
    if msg.participant_id is None:
        return Recipient(None, False, "no recipient")
    p, occ = schedule.participant_and_occasion(msg.participant_id, msg.occasion_id)
    if p is None:
        return Recipient(None, False, "no recipient")
    if p.status == Status.WITHDRAWN or (p.status == Status.OPTED_OUT
                                        and msg.kind not in outbox.SENT_DESPITE_OPT_OUT):
        return Recipient(None, False, f"participant {p.status}")
    answerable = occ is not None and schedule.is_answerable(occ, now)
    # an invitation or reminder goes out only while its occasion can be answered
    if (msg.kind in OCCASION_PROMPTS or notices.LINK in msg.body) and not answerable:
        return Recipient(None, False, "occasion no longer open")
    body = _with_link(msg, occ, now) if occ is not None and notices.LINK in msg.body else None
    return Recipient(participants.phone_of(p, keys), body=body)


def _with_link(msg: Message, occ: Occasion, now: datetime) -> str:
    """The text with a fresh one-time link, made at send time so no token is stored in clear."""
    token = responses.issue_link(occ, now=now)
    return msg.body.replace(notices.LINK, f"{_public_base_url()}/s/{token}")


def _public_base_url() -> str:
    from flask import current_app

    return str(current_app.config["PUBLIC_BASE_URL"])


def _defer(msg: Message, at: datetime) -> datetime:
    if msg.participant_id is None or msg.ignore_quiet_hours:
        return at
    p = db.session.get(Participant, msg.participant_id)
    return quiet_deferred(p, at) if p else at


def _permanent(msg: Message, code: str | None, now: datetime) -> None:
    if code == "21610" and msg.participant_id is not None:
        p = db.session.get(Participant, msg.participant_id)
        if p is not None and p.status == Status.ACTIVE:
            participants.set_sms_opt_out(p, opted_out=True, now=now, actor="system:twilio",
                                         reason="carrier reports the number unsubscribed (21610)")


def _note_failure(msg: Message, now: datetime) -> None:
    if msg.participant_id is None or msg.kind.startswith("staff_"):
        return
    p = db.session.get(Participant, msg.participant_id)
    if p is None:
        return
    for staff in site_contacts(p.site_id)[:1]:
        outbox.queue_message(kind="staff_delivery_failed", body=notices.delivery_failed_note(
            p.study_id, msg.kind), now=now, staff_id=staff.id, key=f"delivery_failed:{msg.id}:{staff.id}",
            ignore_quiet_hours=True)


__all__: list[Any] = ["dispatch", "open_and_invite", "queue_reminders"]


def invitation_for(occ: Occasion, instrument: Instrument, now: datetime) -> Outbound:
    """The occasion's invitation as first sent (staff may send it again from the workspace)."""
    return _invitation(occ, instrument, now)
