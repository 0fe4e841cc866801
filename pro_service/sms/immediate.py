"""Send chosen outbox rows right now (safety alerts after their commit); the scheduler retries."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from pro_service.core import clock
from pro_service.messages.gateway import Gateway, make_gateway
from pro_service.participants.service import Keys
from pro_service.sms.jobs import dispatch


def gateway_of(app: Flask) -> Gateway:
    """The app's gateway, made once from configuration."""
    gateway = app.extensions.get("pro.gateway")
    if gateway is None:
        gateway = app.extensions["pro.gateway"] = make_gateway(app.config)
    return gateway  # type: ignore[no-any-return]


def sender_for(app: Flask) -> Callable[[list[int]], None]:
    """A function that dispatches the given message ids at once through the app's gateway."""

    def send(ids: list[int]) -> None:
        keys = Keys(app.config["DATA_KEY"], app.config["INDEX_KEY"])
        dispatch(now=clock.now(), limit=len(ids), gateway=gateway_of(app), keys=keys, only_ids=ids)

    return send
