"""Occasion: one instrument at one timepoint for one participant (DESIGN §2)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pro_service.core.db import Base
from pro_service.participants.models import Participant


class OccasionStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    MISSED = "missed"
    CANCELLED = "cancelled"
    # The window had closed before the occasion existed (enrolled late, or an anchor moved it
    # into the past): never silently dropped, counted in completion, open to late entry.
    MISSED_BEFORE_ENROLMENT = "missed_before_enrolment"


ACTIVE_STATUSES = (OccasionStatus.OPEN, OccasionStatus.IN_PROGRESS)
NOT_ENDED = (OccasionStatus.SCHEDULED, OccasionStatus.OPEN, OccasionStatus.IN_PROGRESS)
# Closed without an answer: paper transcription may still record one late, with a reason.
LATE_ENTRY_STATUSES = (OccasionStatus.MISSED, OccasionStatus.MISSED_BEFORE_ENROLMENT)


class Occasion(Base):
    __tablename__ = "occasions"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "timepoint", "instrument"),
        sa.Index("ix_occasions_status_opens", "status", "opens_at"),
        sa.Index("ix_occasions_status_closes", "status", "closes_at"),
        sa.Index("ix_occasions_status_reminder", "status", "next_reminder_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    timepoint: Mapped[str] = mapped_column(sa.String(20))
    instrument: Mapped[str] = mapped_column(sa.String(20))
    anchor: Mapped[str] = mapped_column(sa.String(20))
    target_date: Mapped[date]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(sa.String(30), default=OccasionStatus.SCHEDULED)
    opened_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    next_reminder_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    participant: Mapped[Participant] = relationship()
