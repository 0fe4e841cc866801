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


ACTIVE_STATUSES = (OccasionStatus.OPEN, OccasionStatus.IN_PROGRESS)
NOT_ENDED = (OccasionStatus.SCHEDULED, OccasionStatus.OPEN, OccasionStatus.IN_PROGRESS)


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
    status: Mapped[str] = mapped_column(sa.String(20), default=OccasionStatus.SCHEDULED)
    opened_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    next_reminder_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    participant: Mapped[Participant] = relationship()
