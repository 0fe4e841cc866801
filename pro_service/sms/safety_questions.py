"""Clarifying safety questions in the SMS conversation (issue 12): ask, answer, expire.

The rules are pure (`sms.domain.clarify`); this module keeps the one open question per
participant and sender in `SafetyQuestion` rows, raises alerts through the safety room
and audits every step. It runs inside the inbound SMS transaction (`sms.service`) and
in the scheduler (`expire_questions`).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core.db import for_update_skip_locked, unit_of_work
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants.models import Caregiver, Participant
from pro_service.safety import service as safety
from pro_service.safety.detect import Detection, detect
from pro_service.safety.domain.escalation import advice
from pro_service.safety.domain.reporters import caregiver_advice, crisis_text, marking
from pro_service.sms.domain import clarify
from pro_service.sms.models import SafetyQuestion

EXCERPT = 200


def _open_for(participant_id: Any, caregiver: Caregiver | None,
              now: datetime) -> tuple[sa.ColumnElement[bool], ...]:
    """What makes a question open for a participant (a value or a column) and sender."""
    sender = (SafetyQuestion.caregiver_id == caregiver.id if caregiver is not None
              else SafetyQuestion.caregiver_id.is_(None))
    return (SafetyQuestion.participant_id == participant_id, sender,
            SafetyQuestion.status == clarify.Status.OPEN, SafetyQuestion.expires_at > now)


def open_question(p: Participant, caregiver: Caregiver | None, now: datetime) -> SafetyQuestion | None:
    """The question open for this participant and sender, if any."""
    return db.session.scalar(sa.select(SafetyQuestion).where(*_open_for(p.id, caregiver, now))
                             .order_by(SafetyQuestion.id.desc()).limit(1))


@functools.cache
def participant_question_open() -> sa.ColumnElement[bool]:
    """Whether a question is open for the participant's own phone: an EXISTS to read with the
    participant's row (`participants.lock_by_phone_and`), sparing the lookup when none is.
    Built once; its bound parameter `now` is the instant of the check."""
    return sa.exists().where(*_open_for(Participant.id, None, sa.bindparam("now")))


def answer_open_question(p: Participant, msg: Message, now: datetime,
                         caregiver: Caregiver | None = None,
                         maybe_open: bool = True) -> list[str] | None:
    """Take a yes/no reply to the open question; None when there is none or it is no answer.

    `maybe_open=False` says the caller already knows no question is open (read under the lock).
    """
    reply = clarify.parse_answer(msg.body)
    if reply is None or not maybe_open:  # no yes/no, or nothing open: no need to look
        return None
    question = open_question(p, caregiver, now)
    if question is None:
        return None
    outcome = clarify.answer(clarify.Kind(question.kind), question.category, question.urgency, reply)
    question.status, question.answered_at, question.answer_message_id = outcome.status, now, msg.id
    _audit(question, p, caregiver, "safety_question.answer", now, answer=str(reply))
    language = caregiver.language if caregiver else p.language
    replies = [clarify.thanks_text(reply, language)]
    if outcome.raise_alert:
        _raise(question, p, caregiver, outcome, now, answer=str(reply))
        replies.append(_advice(p, caregiver, outcome, language, now))
    return replies


def ask_if_unsure(p: Participant, msg: Message, now: datetime,
                  caregiver: Caregiver | None = None) -> list[str]:
    """Ask one clarifying question when the detector is unsure and none is open."""
    found: Detection = detect(msg.body, reporter="caregiver" if caregiver else "participant")
    unsure = [clarify.Ask(clarify.Kind.SYMPTOM, str(q.category), str(q.urgency), q.term_id)
              for q in found.unsure]
    others = [f for f in found if f.other_person]
    about = (clarify.Ask(clarify.Kind.ABOUT_PARTICIPANT, str(others[0].category),
                         str(others[0].urgency), others[0].term_id) if others else None)
    if not unsure and about is None:  # nothing to ask: the open question does not matter
        return []
    ask = clarify.choose(unsure, about, open_question(p, caregiver, now) is not None)
    if ask is None:
        return []
    reasons = {str(q.category): str(q.reason) for q in found.unsure}
    question = SafetyQuestion(
        participant_id=p.id, caregiver_id=caregiver.id if caregiver else None, kind=ask.kind,
        category=ask.category, urgency=ask.urgency, term_id=ask.term_id,
        reason=reasons.get(ask.category, "other_person"), status=clarify.Status.OPEN,
        message_id=msg.id, alert_id=_alert_for(p, msg, ask.category) if about is ask else None,
        asked_at=now, expires_at=clarify.expires_at(now))
    db.session.add(question)
    db.session.flush()
    _audit(question, p, caregiver, "safety_question.ask", now)
    return [clarify.question_text(ask, caregiver.language if caregiver else p.language)]


def expire_questions(*, now: datetime, limit: int) -> dict[str, int]:
    """Silence for 30 minutes: urgent for bleeding, confusion or breathing, else routine."""
    with unit_of_work() as session:
        due = session.scalars(for_update_skip_locked(sa.select(SafetyQuestion).where(
            SafetyQuestion.status == clarify.Status.OPEN, SafetyQuestion.expires_at <= now)
            .order_by(SafetyQuestion.expires_at).limit(limit), session)).all()
        raised = 0
        for question in due:
            outcome = clarify.on_silence(clarify.Kind(question.kind), question.category,
                                         question.term_id)
            question.status = outcome.status
            p = session.get(Participant, question.participant_id)
            caregiver = session.get(Caregiver, question.caregiver_id) if question.caregiver_id else None
            _audit(question, p, caregiver, "safety_question.expire", now)
            if outcome.raise_alert and p is not None:
                _raise(question, p, caregiver, outcome, now, answer="none within 30 min")
                raised += 1
        return {"expired": len(due), "alerts": raised}


def _raise(question: SafetyQuestion, p: Participant, caregiver: Caregiver | None,
           outcome: clarify.Outcome, now: datetime, *, answer: str) -> None:
    original = db.session.get(Message, question.message_id)
    evidence: dict[str, Any] = {
        "message_id": question.message_id, "excerpt": (original.body if original else "")[:EXCERPT],
        "question_id": question.id, "answer": answer, "term": question.term_id,
        "reporter": "caregiver" if caregiver else "participant"}
    mark = marking(caregiver_relation=caregiver.relation if caregiver else None, other_person=False)
    if mark:
        evidence["marking"] = mark
    alert, _ = safety.raise_alert(p, category=outcome.category, urgency=outcome.urgency,
                                  source="free_text", evidence=evidence, now=now)
    question.alert_id = alert.id


def _advice(p: Participant, caregiver: Caregiver | None, outcome: clarify.Outcome,
            language: str, now: datetime) -> str:
    site = p.site
    text = (caregiver_advice(outcome.urgency, language, site.emergency_number) if caregiver
            else advice(outcome.urgency, language, site.emergency_number, now=now, tz=site.timezone))
    if outcome.category == "self_harm":
        text += crisis_text(language, site.crisis_line, site.emergency_number)
    return text


def _alert_for(p: Participant, msg: Message, category: str) -> int | None:
    """The alert the screen raised from this message for `category` (about-participant)."""
    for alert in safety.open_alerts_of(p.id, category):
        if any(e.get("message_id") == msg.id for e in alert.evidence):
            return alert.id
    return None


def _audit(question: SafetyQuestion, p: Participant | None, caregiver: Caregiver | None,
           action: str, now: datetime, **extra: str) -> None:
    actor = (f"caregiver:{caregiver.id}" if caregiver else
             f"participant:{p.study_id}" if p is not None and action == "safety_question.answer"
             else "system:sms")
    record_event(actor=actor, action=action, entity_type="safety_question", entity_id=question.id,
                 now=now, after={"kind": question.kind, "category": question.category,
                                 "urgency": question.urgency, "status": question.status, **extra})
