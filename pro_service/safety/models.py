"""SafetyAlert: a possible adverse event raised from a participant's report (DESIGN §2, §6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pro_service.core.db import Base
from pro_service.participants.models import Participant


class SafetyAlert(Base):
    __tablename__ = "safety_alerts"
    __table_args__ = (
        sa.Index("ix_safety_alerts_escalation", "status", "next_escalation_at"),
        sa.Index("ix_safety_alerts_dedup", "participant_id", "category", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    source: Mapped[str] = mapped_column(sa.String(20))  # free_text | structured | score_rule
    category: Mapped[str] = mapped_column(sa.String(30))
    urgency: Mapped[str] = mapped_column(sa.String(12))
    status: Mapped[str] = mapped_column(sa.String(15), default="open")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    escalation_level: Mapped[int] = mapped_column(default=0)
    next_escalation_at: Mapped[datetime | None]
    ack_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_users.id"))
    ack_at: Mapped[datetime | None]
    ack_via: Mapped[str | None] = mapped_column(sa.String(10))
    triage: Mapped[str | None] = mapped_column(sa.String(12))
    meddra_term: Mapped[str | None] = mapped_column(sa.String(100))
    triage_note: Mapped[str | None] = mapped_column(sa.Text)
    triaged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_users.id"))
    triaged_at: Mapped[datetime | None]
    sae_report_due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    participant: Mapped[Participant] = relationship()


class OnCallShift(Base):
    """One line of a site's on-call rota: who, which weekdays, from–to in the site's local time."""

    __tablename__ = "on_call_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"))
    weekdays: Mapped[str] = mapped_column(sa.String(40))  # "mon,tue,wed"
    start_time: Mapped[str] = mapped_column(sa.String(5))  # "08:00" local
    end_time: Mapped[str] = mapped_column(sa.String(5))  # "18:00"; not after start = overnight
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(sa.String(80))


class VoiceCall(Base):
    """A phone call placed to a staff member about an unacknowledged emergency alert."""

    __tablename__ = "voice_calls"
    __table_args__ = (sa.Index("ix_voice_calls_due", "status", "created_at"),
                      sa.UniqueConstraint("alert_id", "level"))  # one call per escalation step

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(sa.ForeignKey("safety_alerts.id"), index=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"))
    level: Mapped[int]
    language: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[str] = mapped_column(sa.String(15))  # queued|calling|placed|failed|acknowledged
    provider_sid: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    digits: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    alert: Mapped[SafetyAlert] = relationship()


class AlertContact(Base):
    """A "called the participant" entry in an alert's contact log (append-only)."""

    __tablename__ = "alert_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(sa.ForeignKey("safety_alerts.id"), index=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"))
    called_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(sa.String(20))  # reached|no_answer|left_message|wrong_number
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
