"""The audit hash chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

GENESIS = "0" * 64
_PHONE = re.compile(r"\+?\d(?:[\d \-]?\d){9,}")
PERSONAL_KEYS = frozenset({"phone", "phone_number", "password", "token", "alert_phone"})


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the event fields."""
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def mask_personal(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Replace personal values so an audit payload never holds them in clear."""
    if data is None:
        return None
    masked: dict[str, Any] = {}
    for key, value in data.items():
        if key in PERSONAL_KEYS and value:
            masked[key] = "***masked***"
        elif isinstance(value, str) and _PHONE.fullmatch(value.strip()):
            masked[key] = "***masked***"
        else:
            masked[key] = value
    return masked
