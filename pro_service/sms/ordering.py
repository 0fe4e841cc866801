"""The participant's answerable occasions in the order the SMS conversation takes them up."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
    found = [OpenOccasion(occ, convo, draft) for occ, convo, draft
             in db.session.execute(_open_statement(lock), {"participant_id": participant_id, "now": now})]
    phases = {o.occasion.id: o.conversation.state.get("phase") if o.conversation else None
              for o in found}
    return conversation_order(found, instrument=lambda o: o.occasion.instrument,
                              phase=lambda o: phases[o.occasion.id])


@functools.cache
def _open_statement(lock: bool) -> sa.Select[Any]:
    # built once per variant: the hot path skips statement construction and its cache key
    stmt = (sa.select(Occasion, Conversation, ResponseDraft)
            .outerjoin(Conversation, Conversation.occasion_id == Occasion.id)
            .outerjoin(ResponseDraft, ResponseDraft.occasion_id == Occasion.id)
            .where(Occasion.participant_id == sa.bindparam("participant_id"),
                   Occasion.status.in_(ACTIVE_STATUSES), Occasion.closes_at > sa.bindparam("now"))
            .order_by(Occasion.opens_at, Occasion.id))
    if lock:
        stmt = stmt.with_for_update(of=Occasion).execution_options(populate_existing=True)
    return stmt
