"""The participant's answerable occasions in the order the SMS conversation takes them up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.responses.models import ResponseDraft
from pro_service.responses.service import Held
from pro_service.schedule.models import ACTIVE_STATUSES, Occasion
from pro_service.sms.domain.order import conversation_order
from pro_service.sms.models import Conversation


@dataclass(frozen=True)
class OpenOccasion:
    """An answerable occasion with its SMS conversation and draft (None where there is none)."""

    occasion: Occasion
    conversation: Conversation | None
    draft: ResponseDraft | None

    def held(self) -> Held:
        """The occasion as locked by `open_occasions(..., lock=True)`, for `save_draft`."""
        return Held(self.occasion, self.draft)


def open_occasions(participant_id: int, now: datetime, *, lock: bool = False) -> list[OpenOccasion]:
    """Open occasions: one mid-questionnaire first, then symptom checks, then oldest first.

    One statement reads each occasion with its conversation and draft; with `lock` it also takes
    the occasions' row locks until commit (re-reading them), so answering one needs no second
    lock. The scheduler claims occasions with SKIP LOCKED, so it never waits on these locks.
    """
    stmt = (sa.select(Occasion, Conversation, ResponseDraft)
            .outerjoin(Conversation, Conversation.occasion_id == Occasion.id)
            .outerjoin(ResponseDraft, ResponseDraft.occasion_id == Occasion.id)
            .where(Occasion.participant_id == participant_id,
                   Occasion.status.in_(ACTIVE_STATUSES), Occasion.closes_at > now)
            .order_by(Occasion.opens_at, Occasion.id))
    if lock:
        stmt = stmt.with_for_update(of=Occasion).execution_options(populate_existing=True)
    found = [OpenOccasion(occ, convo, draft) for occ, convo, draft in db.session.execute(stmt)]
    phases = {o.occasion.id: o.conversation.state.get("phase") if o.conversation else None
              for o in found}
    return conversation_order(found, instrument=lambda o: o.occasion.instrument,
                              phase=lambda o: phases[o.occasion.id])
