"""The participant's answerable occasions in the order the SMS conversation takes them up."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion
from pro_service.sms.domain.order import conversation_order
from pro_service.sms.models import Conversation


def occasions_in_order(participant_id: int, now: datetime) -> list[Occasion]:
    """Open occasions: one mid-questionnaire first, then symptom checks, then oldest first."""
    occasions = schedule.active_occasions(participant_id, now)
    if len(occasions) < 2:
        return occasions
    phases = {occasion_id: state.get("phase") for occasion_id, state in db.session.execute(
        sa.select(Conversation.occasion_id, Conversation.state).where(
            Conversation.occasion_id.in_([o.id for o in occasions])))}
    return conversation_order(occasions, instrument=lambda o: o.instrument,
                              phase=lambda o: phases.get(o.id))
