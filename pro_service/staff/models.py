"""Site, StaffUser and ApiToken."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pro_service.core.db import Base


class Role(StrEnum):
    ADMIN = "admin"
    INVESTIGATOR = "investigator"
    COORDINATOR = "coordinator"
    SAFETY_OFFICER = "safety_officer"
    ANALYST = "analyst"


SITE_SCOPED = frozenset({Role.INVESTIGATOR, Role.COORDINATOR})
ALL_SITES = frozenset({Role.ADMIN, Role.SAFETY_OFFICER, Role.ANALYST})

staff_sites = sa.Table(
    "staff_sites",
    Base.metadata,
    sa.Column("staff_id", sa.ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("site_id", sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Shanghai")
    emergency_number: Mapped[str] = mapped_column(sa.String(20), default="120")
    site_phone: Mapped[str | None] = mapped_column(sa.String(40))
    # the crisis line named in replies to self-harm reports (issue 12); none: emergency number
    crisis_line: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime]


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    alert_phone_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    alert_phone_index: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(sa.String(8), default="zh-CN", server_default="zh-CN")
    created_at: Mapped[datetime]
    sites: Mapped[list[Site]] = relationship(secondary=staff_sites, lazy="selectin")

    @property
    def site_ids(self) -> set[int]:
        return {s.id for s in self.sites}

    @property
    def all_sites(self) -> bool:
        return self.role in ALL_SITES


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    staff: Mapped[StaffUser] = relationship(lazy="joined")
