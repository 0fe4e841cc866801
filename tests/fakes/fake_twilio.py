"""The `fake_twilio` fixture: a fake Twilio Messages API on 127.0.0.1, one per test.

Register it for the whole suite in the root conftest with
`pytest_plugins = ["tests.fakes.fake_twilio"]`, or import it into one test module with
`from tests.fakes.fake_twilio import fake_twilio  # noqa: F401`.

Point code under test at it with `fake_twilio.client(timeout=...)` (a real
`twilio.rest.Client` whose `client.api.base_url` is `fake_twilio.url`), or configure
`TWILIO_API_BASE_URL=fake_twilio.url`, `TWILIO_ACCOUNT_SID=fake_twilio.account_sid`,
`TWILIO_AUTH_TOKEN=fake_twilio.auth_token`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pro_service.messages.fake_twilio import FakeTwilio, Fault, RequestLog, SentMessage

__all__ = ["FakeTwilio", "Fault", "RequestLog", "SentMessage", "fake_twilio"]


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A started fake Twilio server, stopped after the test."""
    fake = FakeTwilio(hold_seconds=5.0).start()
    try:
        yield fake
    finally:
        fake.stop()
