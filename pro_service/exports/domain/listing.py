"""Safety listing rows: every alert as it stood at a data cut (as_of)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AlertRecord:
    code: str
    study_id: str
    site: str
    source: str
    category: str
    urgency: str
    created_at: datetime
    ack_at: datetime | None
    ack_via: str | None
    triaged_at: datetime | None
    triage: str | None
    meddra_term: str | None
    sae_report_due_at: datetime | None


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def alert_row(alert: AlertRecord, as_of: datetime) -> dict[str, Any]:
    """One listing row; acknowledgement and triage made after the cut are left out."""
    acked = alert.ack_at is not None and alert.ack_at <= as_of
    triaged = alert.triaged_at is not None and alert.triaged_at <= as_of
    status = "triaged" if triaged else "acknowledged" if acked else "open"
    return {
        "alert_code": alert.code, "study_id": alert.study_id, "site": alert.site,
        "source": alert.source, "category": alert.category, "urgency": alert.urgency,
        "status": status, "raised_at_utc": _iso(alert.created_at),
        "acknowledged_at_utc": _iso(alert.ack_at) if acked else None,
        "acknowledged_via": alert.ack_via if acked else None,
        "triaged_at_utc": _iso(alert.triaged_at) if triaged else None,
        "triage": alert.triage if triaged else None,
        "meddra_term": alert.meddra_term if triaged else None,
        "sae_flag": ("Y" if alert.triage == "sae" else "N") if triaged else None,
        "sae_report_due_at_utc": _iso(alert.sae_report_due_at) if triaged else None,
    }
