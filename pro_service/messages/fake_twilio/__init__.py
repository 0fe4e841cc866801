"""A local stand-in for Twilio's Messages API, for tests and development (DESIGN §5).

`FakeTwilio` serves `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (and
`.../Calls.json`, the Calls API used for voice escalation, recorded in `fake.calls`) over real
HTTP on 127.0.0.1 so that the official `twilio` library reaches it unchanged:

    client = Client(sid, token, http_client=TwilioHttpClient(timeout=5))
    client.api.base_url = fake.url          # or simply: client = fake.client(timeout=5)

It checks Basic auth and the form like Twilio (same statuses, error codes and JSON
shapes), records every accepted message, and plays scripted faults on upcoming requests.
Run it alone with `python -m pro_service.messages.fake_twilio --port 8099`.
"""

from __future__ import annotations

from pro_service.messages.fake_twilio.api import (
    PlacedCall,
    SentMessage,
    TwilioError,
    call_json,
    message_json,
)
from pro_service.messages.fake_twilio.server import FakeTwilio, Fault, RequestLog

__all__ = [
    "FakeTwilio",
    "PlacedCall",
    "Fault",
    "RequestLog",
    "SentMessage",
    "TwilioError",
    "call_json",
    "message_json",
]
