"""Response (append-only versions), Score, ResponseDraft and OccasionLink."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pro_service.core.db import Base


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (sa.UniqueConstraint("occasion_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(sa.ForeignKey("occasions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    instrument: Mapped[str] = mapped_column(sa.String(20))
    instrument_version: Mapped[str] = mapped_column(sa.String(20))
    channel: Mapped[str] = mapped_column(sa.String(10))  # sms | web | clinic | paper | staff
    # who answered: participant, or caregiver (symptom check only; never scored as PRO)
    reporter: Mapped[str] = mapped_column(sa.String(12), default="participant",
                                          server_default="participant")
    status: Mapped[str] = mapped_column(sa.String(10))  # complete | partial
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("responses.id"))
    superseded: Mapped[bool] = mapped_column(default=False)
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    provenance: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor: Mapped[str] = mapped_column(sa.String(60))
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime]
    # paper: the local date the participant filled the form in (submitted_at is transcription)
    completed_on: Mapped[date | None]
    scores: Mapped[list[Score]] = relationship(lazy="selectin", order_by="Score.id")


class Score(Base):
    __tablename__ = "scores"
    __table_args__ = (sa.UniqueConstraint("response_id", "scale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id"), index=True)
    scale: Mapped[str] = mapped_column(sa.String(30))
    value: Mapped[float | None]
    algorithm_id: Mapped[str] = mapped_column(sa.String(60))


class ResponseDraft(Base):
    """Working answers of an occasion not yet submitted (web pages, SMS items)."""

    __tablename__ = "response_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(sa.ForeignKey("occasions.id"), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OccasionLink(Base):
    """A one-time web link: only the SHA-256 of its 192-bit token is stored."""

    __tablename__ = "occasion_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(sa.ForeignKey("occasions.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ClinicSession(Base):
    """A short-lived in-clinic session: one occasion, one staff login; only the token's hash is kept."""

    __tablename__ = "clinic_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(sa.ForeignKey("occasions.id"), index=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class PaperEntry(Base):
    """The first transcription of a paper form awaiting its second (double) entry; not yet data."""

    __tablename__ = "paper_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(sa.ForeignKey("occasions.id"), unique=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"))
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    completed_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
