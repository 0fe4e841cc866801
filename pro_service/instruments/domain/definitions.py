"""Plain, frozen descriptions of an instrument as loaded from its JSON file (DESIGN §4).

These are the shapes every channel consumes: the SMS chatbot asks `Item.sms` texts one by one,
the web form renders `Item.text`, and scoring reads answers keyed by `Item.id`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ResponseType(StrEnum):
    CHOICE = "choice"  # coded options (EQ-5D levels 1-5, CLDQ 1-7)
    INTEGER = "integer"  # a bounded integer (EQ VAS 0-100)
    YES_NO = "yes_no"  # symptom check items
    FREE_TEXT = "free_text"  # "anything else?"


@dataclass(frozen=True)
class Choice:
    code: int
    label: dict[str, str]  # language -> label, e.g. {"zh-CN": "...", "en": "..."}
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # extra reply words per language


@dataclass(frozen=True)
class Item:
    id: str  # stable answer key, e.g. "MO", "VAS", "CLDQ01", "SC_BLEED"
    text: dict[str, str]  # full wording per language (web form)
    sms: dict[str, str]  # short SMS wording per language
    type: ResponseType
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None  # integer items
    maximum: int | None = None
    required: bool = True
    safety_category: str | None = None  # yes_no symptom items: the alert category a "yes" raises
    safety_urgency: str | None = None


@dataclass(frozen=True)
class Instrument:
    code: str  # "EQ5D5L", "CLDQ", "SYMPTOMS"
    version: str
    title: dict[str, str]
    license: str
    recall_period: dict[str, str]
    languages: tuple[str, ...]
    items: tuple[Item, ...]
    scoring: dict[str, object]  # {"scorer": "eq5d", ...} / {"scorer": "cldq", "domains": {...}}

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)
