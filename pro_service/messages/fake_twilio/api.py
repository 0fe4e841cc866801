"""Twilio's Messages API as the fake answers it: error codes, form checks, JSON shapes.

Codes and messages follow https://www.twilio.com/docs/errors; the Message resource
follows the 2010-04-01 API reference (`num_segments` is a string, dates are RFC 2822).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from pro_service.messages.domain.segments import Encoding, count_segments

API_VERSION = "2010-04-01"
MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
CALLS_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Calls\.json$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_MAX_BODY = 1600
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 1000
_ERRORS = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20001: "Invalid paging or filter parameter",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
    21201: "No 'To' number is specified",
    21205: "Url parameter is required",
    21211: "Invalid 'To' Phone Number",
    21213: "No 'From' number is specified",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21606: "The 'From' phone number provided is not a valid, message-capable Twilio "
    "phone number.",
    21609: "Invalid StatusCallback url",
    21610: "Attempt to send to unsubscribed recipient",
    21617: "The concatenated message body exceeds the 1600 character limit.",
}


class TwilioError(Exception):
    """A refusal the fake answers with Twilio's error JSON."""

    def __init__(self, status: int, code: int) -> None:
        super().__init__(code)
        self.status, self.code = status, code

    def payload(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": _ERRORS.get(self.code, "Error"),
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


@dataclass(frozen=True)
class SentMessage:
    """One message the fake accepted."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    body: str
    messaging_service_sid: str | None
    status_callback: str | None
    encoding: Encoding
    num_segments: int
    date_created: datetime
    form: dict[str, str] = field(repr=False)


def check_form(form: Mapping[str, str]) -> None:
    """Refuse a create request the way Twilio does, first problem first."""
    to, body, callback = (
        form.get("To", ""),
        form.get("Body", ""),
        form.get("StatusCallback"),
    )
    if not to:
        raise TwilioError(400, 21604)
    if not _E164.match(to):
        raise TwilioError(400, 21211)
    if not body:
        raise TwilioError(400, 21602)
    if len(body) > _MAX_BODY:
        raise TwilioError(400, 21617)
    if not (form.get("From") or form.get("MessagingServiceSid")):
        raise TwilioError(400, 21603)
    if callback is not None and not re.match(r"^https?://[^\s/]+", callback):
        raise TwilioError(400, 21609)


def new_message(
    account: str, form: Mapping[str, str], created: datetime
) -> SentMessage:
    """The record of a message accepted from a checked create `form`."""
    encoding, segments = count_segments(form["Body"])
    return SentMessage(
        sid="SM" + secrets.token_hex(16),
        account_sid=account,
        to=form["To"],
        from_=form.get("From") or None,
        body=form["Body"],
        messaging_service_sid=form.get("MessagingServiceSid") or None,
        status_callback=form.get("StatusCallback"),
        encoding=encoding,
        num_segments=segments,
        date_created=created,
        form=dict(form),
    )


def message_json(message: SentMessage) -> dict[str, Any]:
    """The Message resource as Twilio returns it on create."""
    uri = f"/{API_VERSION}/Accounts/{message.account_sid}/Messages/{message.sid}"
    created = format_datetime(message.date_created)
    return {
        "account_sid": message.account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": created,
        "date_sent": None,
        "date_updated": created,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": "0",
        "num_segments": str(message.num_segments),
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        # Twilio answers "accepted" when only a Messaging Service was given.
        "status": "queued" if message.from_ else "accepted",
        "subresource_uris": {"media": f"{uri}/Media.json"},
        "to": message.to,
        "uri": f"{uri}.json",
    }


def _filter_date(value: str) -> date:
    """A DateSent filter value: `YYYY-MM-DD` or an ISO datetime; Twilio compares dates."""
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise TwilioError(400, 20001) from None


def list_messages(messages: Sequence[SentMessage], query: Mapping[str, str]) -> list[SentMessage]:
    """Filter like Twilio's Messages list (To, From, DateSent=, DateSent<=, DateSent>=), newest first."""
    found = list(messages)
    if query.get("To"):
        found = [m for m in found if m.to == query["To"]]
    if query.get("From"):
        found = [m for m in found if m.from_ == query["From"]]
    for key, keep in (("DateSent", lambda d, v: d == v), ("DateSent<", lambda d, v: d <= v),
                      ("DateSent>", lambda d, v: d >= v)):
        if query.get(key):
            limit = _filter_date(query[key])
            found = [m for m in found if keep(m.date_created.date(), limit)]
    return sorted(found, key=lambda m: (m.date_created, m.sid), reverse=True)


def page_json(account: str, found: list[SentMessage], query: Mapping[str, str]) -> dict[str, Any]:
    """One page of a list, with Twilio's paging keys (PageSize, Page, PageToken, next_page_uri)."""
    try:
        size = int(query.get("PageSize") or DEFAULT_PAGE_SIZE)
        page = int(query.get("Page") or 0)
    except ValueError:
        raise TwilioError(400, 20001) from None
    if not 1 <= size <= MAX_PAGE_SIZE or page < 0:
        raise TwilioError(400, 20001)
    token = query.get("PageToken", "")
    start = page * size
    if token.startswith("PA"):  # the sid of the last record on the previous page
        sids = [m.sid for m in found]
        start = sids.index(token[2:]) + 1 if token[2:] in sids else len(found)
    chunk = found[start:start + size]
    base = f"/{API_VERSION}/Accounts/{account}/Messages.json"
    filters = {k: v for k, v in query.items() if k not in ("Page", "PageSize", "PageToken")}

    def uri(**extra: object) -> str:
        return base + "?" + urlencode({**filters, "PageSize": size, **extra})

    more = start + size < len(found)
    return {
        "messages": [listed_json(m) for m in chunk],
        "end": start + len(chunk) - 1 if chunk else 0,
        "first_page_uri": uri(Page=0),
        "next_page_uri": uri(Page=page + 1, PageToken="PA" + chunk[-1].sid) if more and chunk else None,
        "page": page,
        "page_size": size,
        "previous_page_uri": uri(Page=page - 1) if page > 0 else None,
        "start": start,
        "uri": uri(Page=page, **({"PageToken": token} if token else {})),
    }


def listed_json(message: SentMessage) -> dict[str, Any]:
    """A Message as the list shows it later: sent, with its DateSent."""
    return {**message_json(message), "status": "sent",
            "date_sent": format_datetime(message.date_created)}


@dataclass(frozen=True)
class PlacedCall:
    """One call the fake accepted (Calls API): its TwiML is what the callee would hear."""

    sid: str
    account_sid: str
    to: str
    from_: str
    twiml: str | None
    url: str | None
    date_created: datetime
    form: dict[str, str] = field(repr=False)


def check_call_form(form: Mapping[str, str]) -> None:
    """Refuse a Calls create request the way Twilio does, first problem first."""
    to = form.get("To", "")
    if not to:
        raise TwilioError(400, 21201)
    if not _E164.match(to):
        raise TwilioError(400, 21211)
    if not form.get("From"):
        raise TwilioError(400, 21213)
    if not (form.get("Twiml") or form.get("Url") or form.get("ApplicationSid")):
        raise TwilioError(400, 21205)


def new_call(account: str, form: Mapping[str, str], created: datetime) -> PlacedCall:
    """The record of a call accepted from a checked create `form`."""
    return PlacedCall(sid="CA" + secrets.token_hex(16), account_sid=account, to=form["To"],
                      from_=form["From"], twiml=form.get("Twiml"), url=form.get("Url"),
                      date_created=created, form=dict(form))


def call_json(call: PlacedCall) -> dict[str, Any]:
    """The Call resource as Twilio returns it on create."""
    uri = f"/{API_VERSION}/Accounts/{call.account_sid}/Calls/{call.sid}"
    created = format_datetime(call.date_created)
    return {
        "account_sid": call.account_sid,
        "api_version": API_VERSION,
        "date_created": created,
        "date_updated": created,
        "direction": "outbound-api",
        "duration": None,
        "end_time": None,
        "from": call.from_,
        "from_formatted": call.from_,
        "parent_call_sid": None,
        "price": None,
        "price_unit": "USD",
        "sid": call.sid,
        "start_time": None,
        "status": "queued",
        "subresource_uris": {"recordings": f"{uri}/Recordings.json"},
        "to": call.to,
        "to_formatted": call.to,
        "uri": f"{uri}.json",
    }
