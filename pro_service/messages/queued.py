"""Queued participant messages with the time each will go out in the participant's zone."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.domain.send_times import SendTime, send_time
from pro_service.messages.models import Message, MessageStatus
from pro_service.participants.models import Participant
from pro_service.participants.service import get_participant
from pro_service.staff.models import StaffUser

MAX_ROWS = 200


@dataclass(frozen=True)
class Queued:
    message: Message
    study_id: str
    send: SendTime


def queued_for_participants(participants: list[Participant]) -> list[Queued]:
    """Queued outbound messages of these participants, soonest first, with their send times."""
    by_id = {p.id: p for p in participants}
    if not by_id:
        return []
    rows = db.session.scalars(sa.select(Message).where(
        Message.participant_id.in_(by_id), Message.direction == "out",
        Message.status == MessageStatus.QUEUED).order_by(Message.send_after, Message.id)
        .limit(MAX_ROWS))
    out = []
    for m in rows:
        p = by_id[m.participant_id]  # type: ignore[index]
        out.append(Queued(m, p.study_id, send_time(m.send_after or m.created_at, m.created_at,
                                                   p.timezone, p.quiet_start, p.quiet_end)))
    return out


def queued_messages(study_id: str, *, staff: StaffUser) -> list[Queued]:
    """One visible participant's queued messages (site scoping as everywhere)."""
    return queued_for_participants([get_participant(study_id, staff)])


def queued_in_dev_inbox(limit: int = MAX_ROWS) -> dict[int, SendTime]:
    """Send times of every queued participant message, by message id (the development inbox)."""
    people = {p.id: p for p in db.session.scalars(sa.select(Participant))}
    return {q.message.id: q.send for q in queued_for_participants(list(people.values()))[:limit]}
