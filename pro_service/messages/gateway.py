"""SMS gateways behind one interface: Twilio for production, console for development."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pro_service.core.crypto import mask_phone
from pro_service.messages.domain.segments import count_segments

log = logging.getLogger("pro_service.sms.gateway")


@dataclass(frozen=True)
class SendResult:
    provider_sid: str
    status: str
    segments: int


class GatewayError(Exception):
    """A send that failed; transient ones are retried, permanent ones are not.

    `ambiguous` means the provider may have accepted the message anyway (the request left but no
    answer came back): it is reconciled with the provider's log before any retry.
    """

    def __init__(self, message: str, *, code: str | None, transient: bool,
                 ambiguous: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.transient = transient
        self.ambiguous = ambiguous


def body_hash(body: str) -> str:
    """The fingerprint of a text as sent, kept with the row to find it in the provider's log."""
    return hashlib.sha256(body.encode()).hexdigest()


class Gateway(Protocol):
    def send(self, to: str, body: str) -> SendResult: ...

    def find_sent(self, to: str, since: datetime, fingerprint: str,
                  exclude: frozenset[str] = frozenset()) -> SendResult | None:
        """The provider's record of a message to `to` since `since` whose body hash matches."""
        ...


class ConsoleGateway:
    """Development gateway: logs a masked line; the dev inbox page shows the outbox rows."""

    def find_sent(self, to: str, since: datetime, fingerprint: str,
                  exclude: frozenset[str] = frozenset()) -> SendResult | None:
        """The console keeps no log to ask: an interrupted console send is sent again."""
        return None

    def send(self, to: str, body: str) -> SendResult:
        _, segments = count_segments(body)
        sid = "CONSOLE" + uuid.uuid4().hex[:25]
        log.info("console SMS to %s (%d segment(s)): %s", mask_phone(to), segments,
                 re.sub(r"https?://\S+", "[link]", body)[:60])
        return SendResult(provider_sid=sid, status="sent", segments=segments)


class TwilioGateway:
    """The official twilio Client; a Messaging Service SID or a from-number; status callbacks."""

    def __init__(self, *, account_sid: str, auth_token: str, messaging_service_sid: str | None,
                 from_number: str | None, status_callback: str | None,
                 api_base_url: str | None = None, timeout: float = 10.0) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        if not (messaging_service_sid or from_number):
            raise ValueError("Twilio needs PRO_TWILIO_MESSAGING_SERVICE_SID or PRO_TWILIO_FROM")
        self._local = threading.local()  # one HTTP session per sending thread

        def new_client() -> Client:
            client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
            if api_base_url:
                client.api.base_url = api_base_url.rstrip("/")
            return client

        self._new_client = new_client
        self.timeout = timeout
        self.sender: dict[str, Any] = (
            {"messaging_service_sid": messaging_service_sid} if messaging_service_sid
            else {"from_": from_number}
        )
        self.status_callback = status_callback

    @property
    def client(self) -> Any:
        """This thread's twilio Client (requests sessions are not shared between threads)."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._new_client()
        return client

    def send(self, to: str, body: str) -> SendResult:
        from requests.exceptions import ConnectTimeout, RequestException
        from twilio.base.exceptions import TwilioRestException

        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            msg = self.client.messages.create(to=to, body=body, **self.sender, **extra)
        except TwilioRestException as exc:
            transient = exc.status == 429 or exc.status >= 500
            raise GatewayError(f"twilio {exc.status} {exc.code}", code=str(exc.code or exc.status),
                               transient=transient) from None
        except ConnectTimeout:
            raise GatewayError("network: ConnectTimeout", code=None, transient=True) from None
        except RequestException as exc:  # the request may have reached Twilio: reconcile first
            raise GatewayError(f"network: {type(exc).__name__}", code=None, transient=True,
                               ambiguous=True) from None
        return SendResult(provider_sid=msg.sid, status=msg.status or "queued",
                          segments=int(msg.num_segments or 1))

    def find_sent(self, to: str, since: datetime, fingerprint: str,
                  exclude: frozenset[str] = frozenset()) -> SendResult | None:
        """Page through Twilio's Messages list (To, DateSent window) for a body-hash match.

        Twilio filters DateSent by date, so the window starts a day early and every page is read;
        `exclude` holds sids already recorded on other rows (two identical texts to one number).
        """
        from requests.exceptions import RequestException
        from twilio.base.exceptions import TwilioException

        try:
            for msg in self.client.messages.stream(to=to, date_sent_after=since - timedelta(days=1),
                                                   page_size=100):
                if msg.sid not in exclude and body_hash(msg.body or "") == fingerprint:
                    return SendResult(provider_sid=msg.sid, status=msg.status or "sent",
                                      segments=int(msg.num_segments or 1))
        except TwilioException as exc:  # a list page the library could not load
            status = getattr(exc.args[1], "status_code", None) if len(exc.args) > 1 else None
            raise GatewayError(f"twilio list {status}", code=str(status), transient=True) from None
        except RequestException as exc:
            raise GatewayError(f"network: {type(exc).__name__}", code=None, transient=True) from None
        return None


def make_gateway(config: dict[str, Any]) -> Gateway:
    """Choose the gateway from configuration (PRO_SMS_GATEWAY)."""
    if config["SMS_GATEWAY"] == "twilio":
        return TwilioGateway(
            account_sid=config["TWILIO_ACCOUNT_SID"], auth_token=config["TWILIO_AUTH_TOKEN"],
            messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID"),
            from_number=config.get("TWILIO_FROM"),
            status_callback=config["PUBLIC_BASE_URL"] + "/sms/status",
            api_base_url=config.get("TWILIO_API_BASE_URL"),
            timeout=float(config.get("TWILIO_TIMEOUT") or 10.0),
        )
    return ConsoleGateway()
