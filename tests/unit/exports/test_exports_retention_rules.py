"""An export file's retention period runs from when it was built; the query and the check agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pro_service.exports.domain.retention import built_before, expires_at, is_expired

BUILT = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
DAYS_30 = timedelta(days=30)


def test_a_file_expires_exactly_its_retention_period_after_it_was_built() -> None:
    assert expires_at(BUILT, DAYS_30) == datetime(2027, 3, 31, 8, 0, tzinfo=UTC)
    assert not is_expired(BUILT, DAYS_30, BUILT + DAYS_30 - timedelta(microseconds=1))
    assert is_expired(BUILT, DAYS_30, BUILT + DAYS_30)


@given(built=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1),
                          timezones=st.just(UTC)),
       days=st.integers(min_value=1, max_value=36500),
       later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40000)))
def test_the_job_query_selects_exactly_the_files_the_download_check_calls_expired(
        built: datetime, days: int, later: timedelta) -> None:
    now = built + later
    assert (built <= built_before(timedelta(days=days), now)) == is_expired(
        built, timedelta(days=days), now)
