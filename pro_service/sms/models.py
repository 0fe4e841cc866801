"""Conversation: the SMS chatbot's state for one occasion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pro_service.core.db import Base


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    occasion_id: Mapped[int] = mapped_column(sa.ForeignKey("occasions.id"), unique=True)
    state: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SafetyQuestion(Base):
    """One clarifying yes/no safety question put by the chatbot (issue 12, pure rules in
    `sms.domain.clarify`): at most one open per participant and sender."""

    __tablename__ = "safety_questions"
    __table_args__ = (sa.Index("ix_safety_questions_due", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    caregiver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("caregivers.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # symptom | about_participant
    category: Mapped[str] = mapped_column(sa.String(30))
    urgency: Mapped[str] = mapped_column(sa.String(12))  # what a "yes" raises
    term_id: Mapped[str] = mapped_column(sa.String(60), default="")
    reason: Mapped[str] = mapped_column(sa.String(20))  # question | correction | catchall | other_person
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id"))  # the original text
    alert_id: Mapped[int | None] = mapped_column(sa.ForeignKey("safety_alerts.id"))
    asked_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    answer_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id"))
