"""Participant: pseudonymous study id, encrypted phone, preferences and anchor dates."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pro_service.core.db import Base
from pro_service.staff.models import Site


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[str] = mapped_column(sa.String(20), unique=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), index=True)
    phone_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    phone_index: Mapped[str] = mapped_column(sa.String(64), unique=True)
    language: Mapped[str] = mapped_column(sa.String(8), default="zh-CN")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Shanghai")
    status: Mapped[str] = mapped_column(sa.String(20), default="active", index=True)
    channel: Mapped[str] = mapped_column(sa.String(20), default="sms_chat")
    quiet_start: Mapped[time] = mapped_column(sa.Time, default=time(21, 0))
    quiet_end: Mapped[time] = mapped_column(sa.Time, default=time(8, 0))
    baseline: Mapped[date | None]
    infusion_1: Mapped[date | None]
    infusion_2: Mapped[date | None]
    infusion_3: Mapped[date | None]
    sms_opted_out_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    site: Mapped[Site] = relationship(lazy="joined")


class Caregiver(Base):
    """A registered caregiver of a participant (issue 12): their texts are about them.

    The phone is stored encrypted with an HMAC blind index, like a participant's, so an
    inbound `From` number finds the caregiver without plaintext at rest.
    """

    __tablename__ = "caregivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    relation: Mapped[str] = mapped_column(sa.String(40))
    language: Mapped[str] = mapped_column(sa.String(8), default="zh-CN")
    phone_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    phone_index: Mapped[str] = mapped_column(sa.String(64), unique=True)
    consent_date: Mapped[date]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    participant: Mapped[Participant] = relationship(lazy="joined")
