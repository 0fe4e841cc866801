"""What a delivery report means for the participant: 21610 is an unsubscribed number."""

from __future__ import annotations

from datetime import datetime

from pro_service.core.db import unit_of_work
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants import service as participants
from pro_service.participants.domain import Status
from pro_service.participants.models import Participant

UNSUBSCRIBED = "21610"


def after_status(msg: Message, *, now: datetime) -> None:
    """Opt the participant out when the carrier reports the number unsubscribed."""
    if msg.error_code != UNSUBSCRIBED or msg.participant_id is None:
        return
    with unit_of_work():
        p = db.session.get(Participant, msg.participant_id)
        if p is not None and p.status == Status.ACTIVE:
            participants.set_sms_opt_out(p, opted_out=True, now=now, actor="system:twilio",
                                         reason="delivery report 21610: recipient unsubscribed")
