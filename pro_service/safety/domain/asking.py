"""When the detector is unsure it asks (issue 12, DESIGN §10 "Ask when unsure").

A red flag named in a question ("黑便是什么意思？"), in a message correcting an earlier
one ("刚才打错了…"), or only caught by the body-system safety net is not alerted: it
becomes an `Unsure` result, which the chatbot turns into one yes/no question. A "yes"
raises the category's alert at `urgency`; the `Detection` holds both kinds of result.

A question that also states the participant's own current symptom ("我这两天拉黑便，
是不是药的副作用？", "can I take paracetamol for my fever?") is an affirmation: the
symptom stands in a statement clause, or in the question with the speaker's own "I/my".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from pro_service.safety.domain.context import Scene, Status
from pro_service.safety.domain.cues import Role
from pro_service.safety.domain.lexicon import Category, Urgency

_QUESTION_MARKS = ("?", "？")
_MY = re.compile(r"(?<![a-z])my(?![a-z])")


class Reason(StrEnum):
    QUESTION = "question"  # asked about, not stated
    CORRECTION = "correction"  # the message corrects an earlier one
    CATCHALL = "catchall"  # only the body-system safety net matched


@dataclass(frozen=True)
class Finding:
    category: Category
    urgency: Urgency
    evidence: str  # the matched span of the original text
    start: int
    end: int
    language: str  # "zh-CN" or "en"
    term_id: str
    # he, she or a relative is the subject (participant's own phone): the alert is
    # marked "may concern another person" and the participant is asked
    other_person: bool = False


@dataclass(frozen=True)
class Unsure:
    category: Category
    urgency: Urgency  # what a "yes" raises
    reason: Reason
    evidence: str
    term_id: str
    language: str


@dataclass(frozen=True)
class Detection:
    """Findings (alerts) and unsure results (questions); iterates over the findings."""

    findings: tuple[Finding, ...] = ()
    unsure: tuple[Unsure, ...] = ()

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __bool__(self) -> bool:
        return bool(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]


def ask_reason(start: int, status: Status, scene: Scene) -> Reason | None:
    """Why a mention with context `status` is asked about instead of alerted, if so."""
    if status is Status.NEGATED or status is Status.OTHER_PERSON:
        return None
    if scene.of(Role.CORRECTION):
        return Reason.CORRECTION
    if status is Status.HYPOTHETICAL:
        return Reason.QUESTION if _question_sentence(start, scene) else None
    if status in (Status.HISTORICAL, Status.RESOLVED):
        return None
    if _interrogative_clause(start, scene) and not _own(start, scene):
        return Reason.QUESTION
    return None


def _question_sentence(start: int, scene: Scene) -> bool:
    s_start, s_end = scene.layout.sentence(start)
    if _ends_with_question_mark(s_end, scene):
        return True
    return any(s_start <= c.start < s_end for c in scene.of(Role.QUESTION))


def _ends_with_question_mark(s_end: int, scene: Scene) -> bool:
    return scene.layout.text[s_end : s_end + 1] in _QUESTION_MARKS


def _interrogative_clause(start: int, scene: Scene) -> bool:
    """A question word in the mention's clause (weak ones only before a "?")."""
    c_start, c_end = scene.layout.clause(start)
    if any(c_start <= c.start < c_end for c in scene.of(Role.QUESTION)):
        return True
    _, s_end = scene.layout.sentence(start)
    if not _ends_with_question_mark(s_end, scene):
        return False
    clause = scene.layout.text[c_start:c_end]
    lead = len(clause) - len(clause.lstrip())
    return any(
        c_start <= c.start < c_end
        and (scene.layout.text[c.start] > "\u3000" or c.start == c_start + lead)
        for c in scene.of(Role.QUESTION_WEAK)
    )


def _own(start: int, scene: Scene) -> bool:
    """The speaker's own "I/my/我" before the mention in its clause."""
    c_start, _ = scene.layout.clause(start)
    if scene.cut(c_start, start, Role.FIRST_PERSON):
        return True
    return bool(_MY.search(scene.layout.text, c_start, start))
