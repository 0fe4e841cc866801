"""What site staff do to a participant's answers and invitations from the workspace.

Correct an answer (a new version with a reason; the old one stays), hand over a fresh web-form
link in clinic, send an invitation again. Each is one transaction with its audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, NotFound
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument
from pro_service.messages import service as outbox
from pro_service.messages.models import Message
from pro_service.messages.service import Outbound
from pro_service.participants.domain import Status
from pro_service.participants.service import get_participant
from pro_service.responses import service as responses
from pro_service.responses.models import Response
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion
from pro_service.staff.models import StaffUser
from pro_service.staff.policy import PARTICIPANT_WRITERS, require

# The SMS room builds an occasion's invitation text; the factory wires it here (rooms above
# this one cannot be imported). Signature: (occasion, instrument, now) -> Outbound.
invitation_builders: list[Callable[[Occasion, Instrument, datetime], Outbound]] = []


@dataclass(frozen=True)
class FreshLink:
    token: str
    expires_at: datetime
    occasion: Occasion


def _occasion(study_id: str, occasion_id: int, staff: StaffUser) -> Occasion:
    p = get_participant(study_id, staff)
    occ = db.session.get(Occasion, occasion_id)
    if occ is None or occ.participant_id != p.id:
        raise NotFound(f"no occasion {occasion_id} for {study_id}")
    return occ


def correct_answers(study_id: str, response_id: int, changes: dict[str, Any], *, reason: str,
                    staff: StaffUser, instruments: dict[str, Instrument], now: datetime) -> Response:
    """Correct items of the current version: a new version, scores recomputed, old kept."""
    require(staff, PARTICIPANT_WRITERS, "correct answers")
    with unit_of_work():
        p = get_participant(study_id, staff)
        current = db.session.get(Response, response_id)
        if current is None or current.participant_id != p.id:
            raise NotFound(f"no response {response_id} for {study_id}")
        if current.status != "complete":
            raise Conflict("only a complete response can be corrected")
        answers = {**current.answers, **changes}
        return responses.correct_response(response_id, answers, instrument=instruments[current.instrument],
                                          reason=reason, actor=f"staff:{staff.id}", now=now)


def fresh_link(study_id: str, occasion_id: int, *, staff: StaffUser, now: datetime) -> FreshLink:
    """A new one-time web-form link for an answerable occasion, to hand over in clinic."""
    require(staff, PARTICIPANT_WRITERS, "issue web-form links")
    with unit_of_work():
        occ = _occasion(study_id, occasion_id, staff)
        if not schedule.is_answerable(occ, now):
            raise Conflict("this occasion is not open for answers")
        token = responses.issue_link(occ, now=now)
        record_event(actor=f"staff:{staff.id}", action="response.link_issue", entity_type="occasion",
                     entity_id=occ.id, now=now, after={"study_id": study_id,
                                                       "timepoint": occ.timepoint,
                                                       "instrument": occ.instrument})
        return FreshLink(token, occ.closes_at, occ)


def resend_invitation(study_id: str, occasion_id: int, *, staff: StaffUser,
                      instruments: dict[str, Instrument], now: datetime) -> Message | None:
    """Queue the occasion's invitation once more (not while opted out or after the window)."""
    require(staff, PARTICIPANT_WRITERS, "send invitations")
    with unit_of_work():
        occ = _occasion(study_id, occasion_id, staff)
        if occ.participant.status != Status.ACTIVE:
            raise Conflict("the participant is not receiving SMS; hand over a web-form link instead")
        if not schedule.is_answerable(occ, now):
            raise Conflict("this occasion is not open for answers")
        if not invitation_builders:
            raise Conflict("no SMS channel is configured")
        sent_before = db.session.scalar(sa.select(sa.func.count()).where(
            Message.occasion_id == occ.id, Message.kind == "invitation")) or 0
        item = invitation_builders[0](occ, instruments[occ.instrument], now)
        item = replace(item, key=f"invitation:{occ.id}:again:{sent_before}")
        msg = outbox.queue_message(kind=item.kind, body=item.body, now=now, participant_id=item.participant_id,
                                   occasion_id=occ.id, key=item.key, send_after=item.send_after)
        record_event(actor=f"staff:{staff.id}", action="message.invitation_resend", entity_type="occasion",
                     entity_id=occ.id, now=now, after={"study_id": study_id, "timepoint": occ.timepoint,
                                                       "instrument": occ.instrument})
        return msg
