"""Message: the outbox and the inbound log (DESIGN §2)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pro_service.core.db import Base


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    CANCELLED = "cancelled"
    RECEIVED = "received"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (sa.Index("ix_messages_due", "status", "send_after"),
                      sa.Index("ix_messages_sending", "status", "sending_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(sa.String(3))  # "out" | "in"
    kind: Mapped[str] = mapped_column(sa.String(40))
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_users.id"), index=True)
    occasion_id: Mapped[int | None] = mapped_column(index=True)
    alert_id: Mapped[int | None] = mapped_column(index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20))
    provider_sid: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    encoding: Mapped[str | None] = mapped_column(sa.String(8))
    segments: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    send_after: Mapped[datetime | None]
    ignore_quiet_hours: Mapped[bool] = mapped_column(default=False)
    error_code: Mapped[str | None] = mapped_column(sa.String(20))
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    from_index: Mapped[str | None] = mapped_column(sa.String(64))
    correlation_id: Mapped[str | None] = mapped_column(sa.String(64))  # the request that queued it
    reply_to_id: Mapped[int | None]  # an inbound message this answers (webhook replies)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # Send protocol (DESIGN §10): lower priority leaves first; a claim is a lease held by one
    # dispatcher's token; `sending_at` is committed just before the provider call, with the hash of
    # the exact text sent, so a row left in `sending` is reconciled with the provider's log.
    priority: Mapped[int] = mapped_column(sa.SmallInteger, default=3, server_default="3")
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_until: Mapped[datetime | None]
    sending_at: Mapped[datetime | None]
    sent_body_hash: Mapped[str | None] = mapped_column(sa.String(64))
    reconcile: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
