"""Voice gateways: Twilio's Calls API for production, console for development."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

from flask import Flask

from pro_service.core.crypto import mask_phone
from pro_service.messages.gateway import GatewayError

log = logging.getLogger("pro_service.voice.gateway")


class VoiceGateway(Protocol):
    def call(self, to: str, twiml: str) -> str: ...


class ConsoleVoiceGateway:
    """Development: log a masked line; the dev SMS inbox offers the keypress."""

    def call(self, to: str, twiml: str) -> str:
        log.info("console voice call to %s", mask_phone(to))
        return "CACONSOLE" + uuid.uuid4().hex[:23]


class TwilioVoiceGateway:
    """`client.calls.create(to, from_, twiml)` with the official twilio library."""

    def __init__(self, *, account_sid: str, auth_token: str, from_number: str,
                 api_base_url: str | None = None, timeout: float = 10.0) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
        if api_base_url:
            self.client.api.base_url = api_base_url.rstrip("/")
        self.from_number = from_number

    def call(self, to: str, twiml: str) -> str:
        from requests.exceptions import RequestException
        from twilio.base.exceptions import TwilioRestException

        try:
            call = self.client.calls.create(to=to, from_=self.from_number, twiml=twiml)
        except TwilioRestException as exc:
            transient = exc.status == 429 or exc.status >= 500
            raise GatewayError(f"twilio {exc.status} {exc.code}", code=str(exc.code or exc.status),
                               transient=transient) from None
        except RequestException as exc:
            raise GatewayError(f"network: {type(exc).__name__}", code=None, transient=True) from None
        return str(call.sid)


def make_voice_gateway(config: dict[str, Any]) -> VoiceGateway:
    """Twilio when the SMS gateway is Twilio (from PRO_TWILIO_VOICE_FROM or PRO_TWILIO_FROM)."""
    from_number = config.get("TWILIO_VOICE_FROM") or config.get("TWILIO_FROM")
    if config["SMS_GATEWAY"] == "twilio" and from_number:
        return TwilioVoiceGateway(account_sid=config["TWILIO_ACCOUNT_SID"],
                                  auth_token=config["TWILIO_AUTH_TOKEN"], from_number=from_number,
                                  api_base_url=config.get("TWILIO_API_BASE_URL"))
    if config["SMS_GATEWAY"] == "twilio":
        log.warning("no PRO_TWILIO_VOICE_FROM or PRO_TWILIO_FROM: escalation calls are logged only")
    return ConsoleVoiceGateway()


def voice_gateway_of(app: Flask) -> VoiceGateway:
    """The app's voice gateway, made once from configuration (tests may set it)."""
    gateway = app.extensions.get("pro.voice_gateway")
    if gateway is None:
        gateway = app.extensions["pro.voice_gateway"] = make_voice_gateway(app.config)
    return gateway  # type: ignore[no-any-return]
