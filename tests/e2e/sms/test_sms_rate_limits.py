"""Rate limits never hurt genuine traffic: signed webhooks are not limited, failures are.

The flood of the fault-and-abuse run: 300 signed messages from 100 participants' numbers in
under a minute, with 250 unsigned requests from the same client address interleaved. Every
signed message is answered 200 and stored; the unsigned ones are refused (403, then 429 once
the client is over its failure limit) and store nothing. Run on memory and on Redis storage.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
import redis
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.models import Message
from tests.e2e.conftest import TWILIO_APP
from tests.factories import fictional_mobile

REDIS_URL = "redis://127.0.0.1:6379/0"
SIGNED_SENDERS = 100
PER_SENDER = 3
UNSIGNED = 250


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


STORAGES = [
    pytest.param({**TWILIO_APP, "RATELIMIT_ENABLED": True}, id="memory"),
    pytest.param({**TWILIO_APP, "RATELIMIT_ENABLED": "true", "REDIS_URL": REDIS_URL,
                  "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}, id="redis",
                 marks=pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")),
]


@pytest.fixture
def senders(make_site, make_participant, frozen_clock):
    make_site("302", site_phone="+861012345678")
    phones = [fictional_mobile(20000 + n) for n in range(SIGNED_SENDERS)]
    for phone in phones:
        make_participant(phone=phone)
    return phones


@pytest.mark.parametrize("app", STORAGES, indirect=True)
def test_signed_webhooks_are_never_limited_while_unsigned_ones_from_that_address_are(
        app, senders, sms_post):
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        assert app.config["RATELIMIT_ENABLED"] is True  # "true" parsed, not merely truthy
    signed_status, unsigned_status = [], []
    for n, (round_, sender) in enumerate(itertools.product(range(PER_SENDER), senders)):
        signed_status.append(sms_post(sender, f"hello {round_}")[0])
        if n % 6 < 5:  # 250 unsigned requests interleaved with the 300 signed ones
            unsigned_status.append(sms_post(sender, "forged", signature="not-a-signature")[0])

    assert len(signed_status) == 300 and signed_status.count(200) == 300
    assert len(unsigned_status) == UNSIGNED
    assert set(unsigned_status) == {403, 429} and unsigned_status[:20] == [403] * 20
    assert unsigned_status[-1] == 429
    inbound = db.session.scalars(sa.select(Message.body).where(Message.direction == "in")).all()
    assert len(inbound) == 300 and "forged" not in inbound


@pytest.mark.parametrize("app", [{**TWILIO_APP, "RATELIMIT_ENABLED": True}], indirect=True)
def test_a_client_over_its_failure_limit_still_gets_its_signed_messages_through(
        app, senders, sms_post):
    for _ in range(30):
        sms_post(senders[0], "forged", signature="wrong")
    assert sms_post(senders[0], "forged", signature="wrong")[0] == 429
    assert sms_post(senders[0], "hello")[0] == 200


@pytest.mark.parametrize("app", [{**TWILIO_APP, "RATELIMIT_ENABLED": True, "TRUSTED_PROXIES": "1"}],
                         indirect=True)
def test_failures_are_counted_per_real_client_behind_a_trusted_proxy(app, client, senders):
    def forged(addr: str) -> int:
        return client.post("/sms/inbound", data={"MessageSid": "SMx", "From": senders[0]},
                           headers={"X-Twilio-Signature": "bad", "X-Forwarded-For": addr}).status_code

    assert [forged("203.0.113.7") for _ in range(21)][-1] == 429
    assert forged("203.0.113.8") == 403  # another client behind the same proxy is not blocked
