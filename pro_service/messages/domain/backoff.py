"""Retry timing for transient send failures: exponential backoff with jitter."""

from __future__ import annotations

import random
from datetime import timedelta

BASE_SECONDS = 30
CAP_SECONDS = 3600
MAX_ATTEMPTS = 5


def retry_delay(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Delay before the next try after `attempts` failures: 30 s·2^(n-1), capped, ±25 % jitter."""
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    base = min(CAP_SECONDS, BASE_SECONDS * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * rng.uniform(0.75, 1.25))
