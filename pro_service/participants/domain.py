"""Pure rules for participant data: identifiers, languages, time zones, anchor dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

STUDY_ID = re.compile(r"^\d{3}-\d{4}$")
LANGUAGES = ("zh-CN", "en")
ANCHORS = ("baseline", "infusion_1", "infusion_2", "infusion_3")
DEFAULT_QUIET = (time(21, 0), time(8, 0))


class Status(StrEnum):
    ACTIVE = "active"
    OPTED_OUT = "opted_out"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


class Channel(StrEnum):
    SMS_CHAT = "sms_chat"
    SMS_LINK = "sms_link"


@dataclass(frozen=True)
class Anchors:
    baseline: date | None = None
    infusion_1: date | None = None
    infusion_2: date | None = None
    infusion_3: date | None = None


def study_id_problem(value: str) -> str | None:
    """Explain why a study id is invalid (format NNN-NNNN: site number, participant number)."""
    if not STUDY_ID.match(value or ""):
        return "study_id must look like 302-0007 (three-digit site, dash, four digits)"
    return None


def timezone_problem(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"timezone {value!r} is not an IANA time zone such as Asia/Shanghai"
    return None


def anchor_problem(anchors: Anchors) -> str | None:
    """Anchors must come in order: baseline ≤ infusion_1 < infusion_2 < infusion_3."""
    seq = [(name, getattr(anchors, name)) for name in ANCHORS]
    present = [(n, d) for n, d in seq if d is not None]
    for (n1, d1), (n2, d2) in zip(present, present[1:], strict=False):
        if n1 == "baseline" and d2 < d1:
            return f"{n2} ({d2}) is before {n1} ({d1})"
        if n1 != "baseline" and d2 <= d1:
            return f"{n2} ({d2}) must be after {n1} ({d1})"
    return None
