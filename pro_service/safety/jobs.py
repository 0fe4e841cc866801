"""Scheduler job: escalate unacknowledged alerts."""

from __future__ import annotations

from datetime import datetime

from pro_service.safety.service import escalate_due


def escalate_alerts(*, now: datetime, limit: int) -> dict[str, int]:
    """Move overdue alerts up the chain (bounded batch)."""
    return escalate_due(now=now, limit=limit)
