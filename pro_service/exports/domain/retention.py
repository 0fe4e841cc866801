"""How long an export file is kept on disk: its retention period runs from when it was built.

Export files hold pseudonymised clinical data; the sponsor's data-management plan limits how long
copies outside the database may live (ICH E6(R3) 4.2, data retention and protection). The row that
records the export is kept for good (it is the record that the export happened); only the file goes.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def expires_at(built_at: datetime, retention: timedelta) -> datetime:
    """The instant a file built at `built_at` is due for deletion."""
    return built_at + retention


def is_expired(built_at: datetime, retention: timedelta, now: datetime) -> bool:
    """Whether a file built at `built_at` has outlived its retention period at `now`."""
    return expires_at(built_at, retention) <= now


def built_before(retention: timedelta, now: datetime) -> datetime:
    """Files built at or before this instant are expired at `now` (the same rule, for a query)."""
    return now - retention
