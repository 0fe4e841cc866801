"""Scheduler job: close occasions whose window ended, keeping partial answers as partial."""

from __future__ import annotations

from datetime import datetime

from pro_service.core.db import unit_of_work
from pro_service.instruments.domain.definitions import Instrument
from pro_service.responses.service import keep_partials
from pro_service.schedule import service as schedule


def close_missed(*, now: datetime, limit: int, instruments: dict[str, Instrument]) -> dict[str, int]:
    """Mark expired occasions missed; a draft with answers becomes a partial response."""
    with unit_of_work():
        closed = schedule.close_expired(now=now, limit=limit)
        partial = keep_partials(closed, instruments=instruments, now=now)
    return {"missed": len(closed), "partial": partial}
