"""A naive datetime is read as UTC by the zone-labelled time formatting (it used to raise)."""

from __future__ import annotations

from datetime import UTC, datetime

from pro_service.core.localtime import format_local, to_local


def test_a_naive_instant_is_read_as_utc():
    naive, aware = datetime(2027, 1, 1, 2, 0), datetime(2027, 1, 1, 2, 0, tzinfo=UTC)  # noqa: DTZ001
    assert to_local(naive, "Asia/Shanghai") == to_local(aware, "Asia/Shanghai")
    assert format_local(naive, "Asia/Shanghai") == "2027-01-01 10:00 UTC+8"
