"""The one place entry points read the wall clock; services take `now` as an argument."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Return the current instant, timezone-aware UTC."""
    return datetime.now(UTC)
