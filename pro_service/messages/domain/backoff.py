"""Retry timing for transient send failures: exponential backoff with jitter, by priority."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from pro_service.messages.domain.priority import Priority

BASE_SECONDS = 30
CAP_SECONDS = 3600
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float
    cap_seconds: float
    max_attempts: int


ROUTINE_POLICY = RetryPolicy(BASE_SECONDS, CAP_SECONDS, MAX_ATTEMPTS)
# A staff safety text is retried soon and for long: 5 s·2^(n-1) up to a minute, for about 25 min,
# so an outage delays the coordinator's alert by seconds after it ends, not half an hour.
SAFETY_POLICY = RetryPolicy(5, 60, 30)


def policy_for(priority: int) -> RetryPolicy:
    """Staff safety texts retry fast and long; everything else backs off to an hour."""
    return SAFETY_POLICY if priority <= Priority.STAFF_SAFETY else ROUTINE_POLICY


def retry_delay(attempts: int, rng: random.Random | None = None,
                policy: RetryPolicy = ROUTINE_POLICY) -> timedelta:
    """Delay before the next try after `attempts` failures: base·2^(n-1), capped, ±25 % jitter."""
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    base = min(policy.cap_seconds, policy.base_seconds * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * rng.uniform(0.75, 1.25))
