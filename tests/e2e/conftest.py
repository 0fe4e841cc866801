"""SMS end-to-end helpers: signed webhooks (RequestValidator) and a Twilio gateway on the fake."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from twilio.request_validator import RequestValidator

from pro_service.extensions import db
from pro_service.messages.gateway import TwilioGateway

AUTH_TOKEN = "fake-auth-token"  # noqa: S105 - the fake server's test credential
PUBLIC = "https://pro.example.org"
SENDER = "+8613123400999"
TWILIO_APP = {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_BASE_URL": PUBLIC,
              "TWILIO_ACCOUNT_SID": "AC" + "0" * 32}
OPEN_BL = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # BL window open for baseline 2027-01-11
BASE = date(2027, 1, 11)
_sids = itertools.count(1)


def sign(url: str, form: dict[str, str]) -> str:
    return RequestValidator(AUTH_TOKEN).compute_signature(url, form)


@pytest.fixture
def sms_post(client):
    """POST a signed inbound SMS; returns (status, reply texts)."""

    def post(sender: str, body: str, sid: str | None = None, path: str = "/sms/inbound",
             signature: str | None = None, **extra: str) -> tuple[int, list[str]]:
        form = {"MessageSid": sid or f"SM{next(_sids):032x}", "From": sender, "Body": body,
                "To": SENDER, **extra}
        sig = signature if signature is not None else sign(PUBLIC + path, form)
        db.session.commit()
        resp = client.post(path, data=form, headers={"X-Twilio-Signature": sig})
        db.session.expire_all()
        texts = re.findall(r"<Message>(.*?)</Message>", resp.get_data(as_text=True), re.S)
        return resp.status_code, [_unescape(t) for t in texts]

    return post


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


@pytest.fixture
def twilio_gateway(fake_twilio) -> TwilioGateway:
    return TwilioGateway(account_sid=fake_twilio.account_sid, auth_token=fake_twilio.auth_token,
                         messaging_service_sid=None, from_number=SENDER,
                         status_callback=PUBLIC + "/sms/status", api_base_url=fake_twilio.url,
                         timeout=1.0)


@pytest.fixture
def tick_at(app, twilio_gateway) -> Callable[[datetime], dict[str, int]]:
    from scheduler.jobs import tick

    def run(now: datetime) -> dict[str, int]:
        db.session.commit()
        counts = tick(app, now=now, gateway=twilio_gateway)
        db.session.expire_all()
        return counts

    return run


@pytest.fixture
def send_outbox(app, twilio_gateway):
    """One pass of the scheduler's sender (what a NOTIFY or poll wakes) at the web edge's clock."""
    from pro_service.core import clock
    from scheduler.jobs import send_outbox as one_pass

    def run() -> dict[str, int]:
        db.session.commit()
        counts = one_pass(app, clock.now(), twilio_gateway)
        db.session.expire_all()
        return counts

    return run


@pytest.fixture
def frozen_clock(monkeypatch):
    """Fix the web edge's clock (webhooks read core.clock.now)."""
    from pro_service.core import clock

    holder = {"now": OPEN_BL}
    monkeypatch.setattr(clock, "now", lambda: holder["now"])
    return holder
