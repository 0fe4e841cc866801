"""The real twilio library talks to the fake Twilio server as it would to Twilio."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from pro_service.messages.domain.segments import Encoding
from tests.fakes.fake_twilio import FakeTwilio, fake_twilio  # noqa: F401 (fixture)

TO = "+8613800138000"
SENDER = "+15005550006"
SERVICE = "MG" + "a" * 32


@pytest.fixture
def client(fake_twilio: FakeTwilio) -> Iterator[Client]:  # noqa: F811 (fixture)
    twilio_client = fake_twilio.client(timeout=2.0)
    yield twilio_client
    _close(twilio_client)


def _close(twilio_client: Client) -> None:
    http_client = twilio_client.http_client
    if isinstance(http_client, TwilioHttpClient) and http_client.session is not None:
        http_client.session.close()


def test_create_through_the_real_client_returns_sid_and_segments(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
    client: Client,
) -> None:
    callback = "https://pro.example.test/sms/status"
    message = client.messages.create(
        to=TO, from_=SENDER, body="Reply 1", status_callback=callback
    )
    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert (message.status, message.num_segments, message.direction) == (
        "queued",
        "1",
        "outbound-api",
    )
    assert (message.to, message.from_, message.account_sid) == (
        TO,
        SENDER,
        fake_twilio.account_sid,
    )
    assert message.error_code is None
    assert isinstance(message.date_created, datetime)
    (sent,) = fake_twilio.messages
    assert (sent.sid, sent.body, sent.status_callback) == (
        message.sid,
        "Reply 1",
        callback,
    )


def test_chinese_body_is_counted_in_ucs2_segments(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
    client: Client,
) -> None:
    message = client.messages.create(
        to=TO, messaging_service_sid=SERVICE, body="问" * 71
    )
    assert message.num_segments == "2"
    assert (
        message.status == "accepted"
    )  # Twilio's answer when only a Messaging Service is given
    assert message.messaging_service_sid == SERVICE
    assert fake_twilio.messages[0].encoding is Encoding.UCS2


def test_wrong_credentials_are_refused_with_20003(fake_twilio: FakeTwilio) -> None:  # noqa: F811
    intruder = Client(
        fake_twilio.account_sid, "wrong-token", http_client=TwilioHttpClient(timeout=2)
    )
    intruder.api.base_url = fake_twilio.url
    with pytest.raises(TwilioRestException) as raised:
        intruder.messages.create(to=TO, from_=SENDER, body="hi")
    _close(intruder)
    assert (raised.value.status, raised.value.code) == (401, 20003)
    assert fake_twilio.messages == []


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"to": "", "from_": SENDER, "body": "hi"}, 21604),
        ({"to": "13800138000", "from_": SENDER, "body": "hi"}, 21211),
        ({"to": TO, "from_": SENDER}, 21602),
        ({"to": TO, "body": "hi"}, 21603),
        ({"to": TO, "from_": SENDER, "body": "x" * 1601}, 21617),
        (
            {"to": TO, "from_": SENDER, "body": "hi", "status_callback": "not a url"},
            21609,
        ),
    ],
)
def test_invalid_form_is_refused_with_twilio_error_codes(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
    client: Client,
    fields: dict[str, str],
    code: int,
) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(**fields)
    assert (raised.value.status, raised.value.code) == (400, code)
    assert fake_twilio.messages == []


def test_scripted_500_and_429_fail_once_each(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
    client: Client,
) -> None:
    fake_twilio.fail_next()
    fake_twilio.rate_limit_next()
    with pytest.raises(TwilioRestException) as server_error:
        client.messages.create(to=TO, from_=SENDER, body="one")
    with pytest.raises(TwilioRestException) as rate_limited:
        client.messages.create(to=TO, from_=SENDER, body="two")
    client.messages.create(to=TO, from_=SENDER, body="three")
    assert (server_error.value.status, server_error.value.code) == (500, 20500)
    assert (rate_limited.value.status, rate_limited.value.code) == (429, 20429)
    assert [m.body for m in fake_twilio.messages] == ["three"]
    assert [r.status for r in fake_twilio.requests] == [500, 429, 201]


def test_unsubscribed_recipient_is_refused_with_21610(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
    client: Client,
) -> None:
    fake_twilio.unsubscribed(TO)
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=TO, from_=SENDER, body="hi")
    assert (raised.value.status, raised.value.code) == (400, 21610)
    fake_twilio.resubscribed(TO)
    assert client.messages.create(to=TO, from_=SENDER, body="hi").status == "queued"


def test_held_connection_times_out_in_the_http_client(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
) -> None:
    impatient = fake_twilio.client(timeout=0.3)
    fake_twilio.timeout_next()
    with pytest.raises(requests.exceptions.Timeout):
        impatient.messages.create(to=TO, from_=SENDER, body="hi")
    _close(impatient)
    assert fake_twilio.messages == []


def test_timed_out_request_may_still_be_delivered() -> None:
    with FakeTwilio(hold_seconds=0.5) as fake:
        impatient = fake.client(timeout=0.2)
        fake.timeout_next(deliver=True)
        with pytest.raises(requests.exceptions.Timeout):
            impatient.messages.create(to=TO, from_=SENDER, body="ambiguous")
        _close(impatient)
        deadline = time.monotonic() + 3
        while not fake.messages and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [m.body for m in fake.messages] == ["ambiguous"]


def test_slow_answer_arrives_within_the_client_timeout(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
    client: Client,
) -> None:
    fake_twilio.slow_next(0.2)
    started = time.monotonic()
    client.messages.create(to=TO, from_=SENDER, body="slow")
    assert time.monotonic() - started >= 0.2
    assert len(fake_twilio.messages) == 1


def test_concurrent_sends_are_all_recorded(fake_twilio: FakeTwilio) -> None:  # noqa: F811
    def send(number: int) -> str:
        own = fake_twilio.client(timeout=2.0)
        try:
            return str(own.messages.create(to=TO, from_=SENDER, body=f"m{number}").sid)
        finally:
            _close(own)

    with ThreadPoolExecutor(max_workers=4) as pool:
        sids = list(pool.map(send, range(12)))
    assert sorted(m.sid for m in fake_twilio.messages) == sorted(sids)


def test_unknown_path_answers_twilio_404(fake_twilio: FakeTwilio) -> None:  # noqa: F811
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(fake_twilio.url + "/2010-04-01/Accounts.json", timeout=2)  # noqa: S310
    assert raised.value.code == 404
    raised.value.close()


def test_request_validator_signature_round_trips() -> None:
    validator = RequestValidator("fake-auth-token")
    url = "https://pro.example.test/sms/inbound"
    params = {"From": TO, "Body": "1", "MessageSid": "SM" + "b" * 32}
    signature = validator.compute_signature(url, params)
    assert validator.validate(url, params, signature)
    assert not validator.validate(url, {**params, "Body": "2"}, signature)


def test_messages_list_filters_by_recipient_and_date_and_pages_like_twilio(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
    client: Client,
) -> None:
    other = "+8613800138001"
    sent = [client.messages.create(to=TO, from_=SENDER, body=f"m{i}").sid for i in range(7)]
    client.messages.create(to=other, from_=SENDER, body="not for TO")
    today = datetime.now(UTC)
    listed = client.messages.list(to=TO, date_sent_after=today - timedelta(days=1), page_size=3)
    assert sorted(m.sid for m in listed) == sorted(sent)  # three pages followed by the library
    assert {m.to for m in listed} == {TO} and all(m.status == "sent" and m.date_sent for m in listed)
    first = client.messages.page(to=TO, page_size=3)
    assert len(list(first)) == 3 and first.next_page_url and "PageToken=PA" in first.next_page_url
    assert [m.body for m in listed][:2] == ["m6", "m5"]  # newest first
    assert client.messages.list(to=TO, date_sent_after=today + timedelta(days=1)) == []
    assert client.messages.list(to=TO, date_sent_before=today - timedelta(days=1)) == []
    gets = [r for r in fake_twilio.requests if r.method == "GET"]
    assert len(gets) >= 4 and all(r.status == 200 for r in gets)


def test_messages_list_refuses_bad_credentials_and_paging(fake_twilio: FakeTwilio) -> None:  # noqa: F811
    stranger = Client(fake_twilio.account_sid, "wrong-token",
                      http_client=TwilioHttpClient(timeout=2.0))
    stranger.api.base_url = fake_twilio.url
    with pytest.raises(TwilioException) as raised:  # the library's error for a list page
        stranger.messages.list(to=TO)
    assert raised.value.args[1].status_code == 401
    _close(stranger)
    own = fake_twilio.client(timeout=2.0)
    with pytest.raises(TwilioException) as raised:
        own.messages.page(to=TO, page_size=5000)
    assert raised.value.args[1].status_code == 400
    _close(own)


def test_a_hung_provider_holds_creates_until_it_recovers(
    fake_twilio: FakeTwilio,  # noqa: F811 (fixture)
) -> None:
    fake_twilio.hang()
    impatient = fake_twilio.client(timeout=0.3)
    with pytest.raises(requests.exceptions.Timeout):
        impatient.messages.create(to=TO, from_=SENDER, body="held")
    _close(impatient)
    assert fake_twilio.messages == []
    fake_twilio.recover()
    deadline = time.monotonic() + 3
    while not fake_twilio.messages and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [m.body for m in fake_twilio.messages] == ["held"]  # accepted once released
