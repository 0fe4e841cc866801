"""An occasion is invited once: the scheduler and a chatbot reply share one idempotency key.

The scheduler queues `invitation:<occasion id>` when the occasion opens (sms.jobs); a reply that
points to the next questionnaire after a completed one carries the invitation only when the
outbox has not sent it (a queued copy is cancelled, the reply row takes or keeps the key).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages import service as outbox
from pro_service.messages.models import Message, MessageStatus


class Invitation(str):
    """A reply that is also the occasion's invitation (idempotency key `invitation:<id>`)."""

    occasion_id: int

    def __new__(cls, text: str, *, occasion_id: int) -> Invitation:
        self = super().__new__(cls, text)
        self.occasion_id = occasion_id
        return self


def _invitation_key(occasion_id: int) -> str:
    return f"invitation:{occasion_id}"  # the key sms.jobs queues invitations under


def invitation_still_due(occasion_id: int, inbound: Message, now: datetime) -> bool:
    """Whether the reply may carry this occasion's invitation: an occasion is invited once.

    Not yet queued: the reply takes the key. Queued but not yet sending: it is cancelled and the
    reply carries it. Sending or sent by the outbox: the participant has it already.
    """
    row = db.session.scalar(sa.select(Message).where(
        Message.idempotency_key == _invitation_key(occasion_id)).with_for_update())
    if row is None:
        return True
    if row.status != MessageStatus.QUEUED:
        return False
    _cancel_for_reply(row, inbound, now)
    return True


def _cancel_for_reply(row: Message, inbound: Message, now: datetime) -> None:
    row.status, row.updated_at = MessageStatus.CANCELLED, now
    row.last_error = f"delivered in the reply to inbound message {inbound.id}"


def store_invitation_reply(inbound: Message, text: Invitation, now: datetime) -> bool:
    """Store the reply as the occasion's invitation under its key; False if the key was taken.

    The key is taken only when the scheduler queued the invitation after `invitation_still_due`
    looked (it waited for that commit): that queued copy is cancelled, this reply stays plain.
    """
    row = outbox.queue_message(kind="invitation", body=str(text), now=now,
                               participant_id=inbound.participant_id, occasion_id=text.occasion_id,
                               key=_invitation_key(text.occasion_id), reply_to_id=inbound.id)
    if row is not None:
        row.status, row.sent_at = MessageStatus.SENT, now
        return True
    queued = db.session.scalar(sa.select(Message).where(
        Message.idempotency_key == _invitation_key(text.occasion_id),
        Message.status == MessageStatus.QUEUED).with_for_update())
    if queued is not None:
        _cancel_for_reply(queued, inbound, now)
    return False
