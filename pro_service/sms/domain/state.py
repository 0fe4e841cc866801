"""The chatbot's conversation state and the events a step emits.

State is a frozen value the service stores as JSON (`to_dict` / `from_dict`) on the
conversation row between inbound messages; nothing else is remembered between steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from pro_service.sms.domain.replies import AnswerValue, How, ParsedAnswer


class Phase(StrEnum):
    INVITED = "invited"  # invitation sent, waiting for "1"
    ASKING = "asking"  # item `index` has been asked
    CONFIRMING = "confirming"  # read-back sent, waiting for OK or BACK
    PAUSED = "paused"  # LATER received; `resume_phase` says where to go back to
    DONE = "done"  # answers confirmed


@dataclass(frozen=True)
class AnswerRecord:
    """One answer with its provenance: the reply as sent and how it was read."""

    value: AnswerValue
    raw: str
    how: How

    @classmethod
    def of(cls, parsed: ParsedAnswer) -> AnswerRecord:
        return cls(parsed.value, parsed.raw, parsed.how)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "raw": self.raw, "how": str(self.how)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnswerRecord:
        return cls(data["value"], data["raw"], How(data["how"]))


@dataclass(frozen=True)
class State:
    """Where a conversation stands; `answers` maps item id to its latest answer."""

    phase: Phase = Phase.INVITED
    index: int = 0
    retries: int = 0  # consecutive invalid replies to the current item
    answers: Mapping[str, AnswerRecord] = field(default_factory=dict)
    resume_phase: Phase | None = None  # set only while paused

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "phase": str(self.phase),
            "index": self.index,
            "retries": self.retries,
            "answers": {key: record.to_dict() for key, record in self.answers.items()},
            "resume_phase": None
            if self.resume_phase is None
            else str(self.resume_phase),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> State:
        """Rebuild a state saved by `to_dict`."""
        resume = data.get("resume_phase")
        return cls(
            phase=Phase(data["phase"]),
            index=int(data["index"]),
            retries=int(data["retries"]),
            answers={k: AnswerRecord.from_dict(v) for k, v in data["answers"].items()},
            resume_phase=None if resume is None else Phase(resume),
        )


@dataclass(frozen=True)
class Started:
    kind: ClassVar[str] = "started"


@dataclass(frozen=True)
class AnswerRecorded:
    kind: ClassVar[str] = "answer_recorded"
    item_id: str
    answer: AnswerRecord


@dataclass(frozen=True)
class OfferWebLink:
    kind: ClassVar[str] = "offer_web_link"
    item_id: str


@dataclass(frozen=True)
class Paused:
    kind: ClassVar[str] = "paused"


@dataclass(frozen=True)
class Resumed:
    kind: ClassVar[str] = "resumed"


@dataclass(frozen=True)
class Completed:
    kind: ClassVar[str] = "completed"
    answers: Mapping[str, AnswerRecord]


Event = Started | AnswerRecorded | OfferWebLink | Paused | Resumed | Completed
