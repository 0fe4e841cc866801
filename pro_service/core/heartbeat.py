"""Scheduler liveness: each scheduler process records a heartbeat; readiness reads the newest."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pro_service.core.db import Base, unit_of_work

STALE_AFTER = timedelta(minutes=5)  # /healthz/ready fails when no scheduler beat this recently


class SchedulerHeartbeat(Base):
    __tablename__ = "scheduler_heartbeats"

    process: Mapped[str] = mapped_column(sa.String(120), primary_key=True)  # host:pid
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime] = mapped_column(index=True)


def process_name() -> str:
    """This process's heartbeat key: host name and pid."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


def beat(*, now: datetime, started_at: datetime, process: str | None = None) -> None:
    """Record that this scheduler process is alive at `now`."""
    name = process or process_name()
    with unit_of_work() as session:
        row = session.get(SchedulerHeartbeat, name)
        if row is None:
            session.add(SchedulerHeartbeat(process=name, started_at=started_at, beat_at=now))
        else:
            row.beat_at = now


def newest_beat(session: sa.orm.Session) -> datetime | None:
    """The most recent heartbeat of any scheduler process (None when none ever ran)."""
    return session.scalar(sa.select(sa.func.max(SchedulerHeartbeat.beat_at)))


def scheduler_silence(now: datetime) -> timedelta | None:
    """How long no scheduler has beaten when that is over STALE_AFTER (timedelta.max: never); else None."""
    from pro_service.extensions import db

    newest = newest_beat(db.session)
    if newest is None:
        return timedelta.max
    silence = now - newest
    return silence if silence > STALE_AFTER else None


def forget_older_than(*, now: datetime, age: timedelta = timedelta(days=7)) -> int:
    """Drop heartbeats of processes gone for a week, so the table stays one row per process."""
    with unit_of_work() as session:
        result = session.execute(sa.delete(SchedulerHeartbeat).where(
            SchedulerHeartbeat.beat_at < now - age))
        return int(result.rowcount)  # type: ignore[attr-defined]
