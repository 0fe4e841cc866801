"""Limits on failed attempts only, per client, shared by every worker through the storage.

Genuine traffic is never limited here: a correctly signed webhook or a working web-form link
does not count and is never refused. Only failures (a wrong signature, an unknown or expired
link) are counted per client address; once a client is over its limit further failures are
answered 429 instead of 403/404. The counters live in Redis when `PRO_REDIS_URL` is set, so
two gunicorn workers and any number of machines share them; in memory otherwise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger("pro_service.limits")
EXTENSION = "pro.failure_limits"


@dataclass
class FailureLimits:
    limiter: FixedWindowRateLimiter | None
    prefix: str

    def count_failure(self, scope: str, limits: list[RateLimitItem], client: str) -> bool:
        """Count one failure; False when the client is now over a limit."""
        if self.limiter is None:
            return True
        try:
            return all([self.limiter.hit(item, self.prefix, scope, client) for item in limits])
        except Exception:  # a storage outage must not turn failures into 500s
            log.exception("rate-limit storage unavailable; failure not counted")
            return True


def init_app(app: Flask) -> None:
    """Create the failure counters' storage from the app's rate-limit settings."""
    limiter = None
    if app.config["RATELIMIT_ENABLED"]:
        uri = app.config["RATELIMIT_STORAGE_URI"]
        options = {"key_prefix": "pro-limits"} if uri.startswith("redis") else {}
        limiter = FixedWindowRateLimiter(storage_from_string(uri, **options))
    app.extensions[EXTENSION] = FailureLimits(limiter, app.config.get("RATELIMIT_KEY_PREFIX", "pro"))


def client_address() -> str:
    """The caller's address (the real one behind PRO_TRUSTED_PROXIES proxies, via ProxyFix)."""
    return request.remote_addr or "unknown"


def failure_allowed(scope: str, setting: str) -> bool:
    """Count a failed attempt of this request's client; False once it is over the limit."""
    limits: FailureLimits = current_app.extensions[EXTENSION]
    return limits.count_failure(scope, parse_many(current_app.config[setting]), client_address())
