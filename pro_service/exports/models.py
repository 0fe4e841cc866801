"""DataCut (a named, frozen data cut) and ExportFile (a dataset rendered to a file)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pro_service.core.db import Base


class DataCut(Base):
    """A named cut: its time and filters; its files' hashes are the ExportFile rows."""

    __tablename__ = "data_cuts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    as_of: Mapped[datetime]
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"))
    created_at: Mapped[datetime]


class ExportFile(Base):
    """One dataset in one format for one caller, filters and `as_of`, rendered to a file."""

    __tablename__ = "export_files"
    __table_args__ = (sa.Index("ix_export_files_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    cut_id: Mapped[int | None] = mapped_column(sa.ForeignKey("data_cuts.id"), index=True)
    dataset: Mapped[str] = mapped_column(sa.String(20))
    format: Mapped[str] = mapped_column(sa.String(20))
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    as_of: Mapped[datetime]
    # pending|running|ready|failed|expired (a requested file deleted after its retention period)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"))
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    rows: Mapped[int | None]
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # when the retention job removed its file from disk (a cut's row stays `ready`: it re-renders)
    deleted_at: Mapped[datetime | None]
    # A build is a lease held by one builder's token, as the outbox's claim (messages.sending): a
    # row left `running` past `claimed_until` (its builder died) is built again; `attempts` counts
    # the builds begun, so one abandoned every time ends `failed` (exports.files.MAX_ATTEMPTS).
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
