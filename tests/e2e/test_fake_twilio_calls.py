"""The fake Twilio server's Calls API answers the real twilio library like Twilio does."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

TWIML = "<Response><Say>hello</Say></Response>"


def test_a_call_is_accepted_recorded_and_answered_with_a_call_resource(fake_twilio):
    call = fake_twilio.client().calls.create(to="+8613123400001", from_="+8613123400999", twiml=TWIML)
    assert call.sid.startswith("CA") and call.status == "queued" and call.to == "+8613123400001"
    [placed] = fake_twilio.calls
    assert (placed.sid, placed.twiml, placed.from_) == (call.sid, TWIML, "+8613123400999")


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"to": "12345", "from_": "+8613123400999", "twiml": TWIML}, 21211),
    ({"to": "+8613123400001", "from_": "", "twiml": TWIML}, 21213),
    ({"to": "+8613123400001", "from_": "+8613123400999"}, 21205),
])
def test_bad_call_requests_are_refused_with_twilio_error_codes(fake_twilio, kwargs, code):
    with pytest.raises(TwilioRestException) as refused:
        fake_twilio.client().calls.create(**kwargs)
    assert refused.value.status == 400 and refused.value.code == code
    assert fake_twilio.calls == []


def test_wrong_credentials_and_scripted_outages_apply_to_calls(fake_twilio):
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    stranger = Client(fake_twilio.account_sid, "wrong-token", http_client=TwilioHttpClient(timeout=5))
    stranger.api.base_url = fake_twilio.url
    with pytest.raises(TwilioRestException) as refused:
        stranger.calls.create(to="+8613123400001", from_="+8613123400999", twiml=TWIML)
    assert refused.value.status == 401
    fake_twilio.fail_next(status=503, code=20500)
    with pytest.raises(TwilioRestException) as outage:
        fake_twilio.client().calls.create(to="+8613123400001", from_="+8613123400999", twiml=TWIML)
    assert outage.value.status == 503 and fake_twilio.calls == []
