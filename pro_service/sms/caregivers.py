"""Texts from a registered caregiver's phone (issue 12): reports about the participant.

The text is screened with the participant as experiencer (the alert says "reported by
caregiver (relation)", the advice goes to the caregiver, in the caregiver's language);
a clarifying question goes to the caregiver. A caregiver may answer the symptom check
for the participant (stored with reporter = caregiver, never scored) but not the
self-reported questionnaires (EQ-5D, CLDQ): the bot says so politely.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants.caregivers import caregiver_opt_out
from pro_service.participants.domain import Status
from pro_service.participants.models import Caregiver, Participant
from pro_service.responses import service as responses
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion
from pro_service.sms import safety_questions
from pro_service.sms.domain.dialogue import current_prompt, step
from pro_service.sms.domain.keywords import Keyword, classify
from pro_service.sms.domain.state import Completed, Phase, State
from pro_service.sms.models import Conversation
from pro_service.sms.replies_text import say

# Screens run on every caregiver text first (the safety room, wired by the factory).
screens: list[Callable[[Participant, Caregiver, Message, datetime], list[str]]] = []

REFUSAL = {
    "zh-CN": "谢谢您的帮助！这份问卷需要病人本人填写，请让病人自己回复。如病人有不适，您可以随时发短信告诉我们。",
    "en": "Thank you for helping! This questionnaire must be answered by the patient themselves. "
    "If the patient is unwell, you can text us at any time.",
}
STOPPED = {
    "zh-CN": "已退订。本号码发来的短信将不再作为病人的情况处理。紧急情况请拨打{emergency}。",
    "en": "You are unsubscribed: texts from this number are no longer taken as reports about the "
    "patient. In an emergency call {emergency}.",
}
CAREGIVER_INSTRUMENTS = responses.CAREGIVER_INSTRUMENTS


def caregiver_replies(cg: Caregiver, msg: Message, instruments: dict[str, Any],
                      now: datetime) -> list[str]:
    """The replies to one caregiver text (inside the inbound unit of work)."""
    p = cg.participant
    answered = safety_questions.answer_open_question(p, msg, now, caregiver=cg)
    if answered is not None:
        return [*answered, *_resume(cg, p, instruments, now)]
    advice = [text for screen in screens for text in screen(p, cg, msg, now)]
    keyword = classify(msg.body)
    if keyword == Keyword.HELP:
        site = p.site
        return [*advice, say("help", cg.language, site_phone=site.site_phone or "",
                             emergency=site.emergency_number)]
    if keyword == Keyword.STOP:
        caregiver_opt_out(cg, now=now)
        lang = "en" if cg.language == "en" else "zh-CN"
        return [*advice, STOPPED[lang].format(emergency=p.site.emergency_number)]
    if asked := safety_questions.ask_if_unsure(p, msg, now, caregiver=cg):
        return [*advice, *asked]
    if advice:
        return [*advice, *_resume(cg, p, instruments, now)]
    if p.status != Status.ACTIVE:
        return [say("nothing_open", cg.language, site_phone=p.site.site_phone or "")]
    return _converse(cg, p, msg, instruments, now)


def _current(p: Participant, now: datetime) -> Occasion | None:
    occasions = schedule.active_occasions(p.id, now)
    return occasions[0] if occasions else None


def _resume(cg: Caregiver, p: Participant, instruments: dict[str, Any], now: datetime) -> list[str]:
    occ = _current(p, now)
    if occ is None or occ.instrument not in CAREGIVER_INSTRUMENTS:
        return []
    convo = db.session.scalar(sa.select(Conversation).where(Conversation.occasion_id == occ.id))
    if convo is None:
        return []
    state = State.from_dict(convo.state)
    if state.phase not in (Phase.ASKING, Phase.CONFIRMING):
        return []
    return [current_prompt(state, instruments[occ.instrument], cg.language)]


def _converse(cg: Caregiver, p: Participant, msg: Message, instruments: dict[str, Any],
              now: datetime) -> list[str]:
    occ = _current(p, now)
    if occ is None:
        return [say("nothing_open", cg.language, site_phone=p.site.site_phone or "")]
    if occ.instrument not in CAREGIVER_INSTRUMENTS:
        return [REFUSAL["en" if cg.language == "en" else "zh-CN"]]
    instrument = instruments[occ.instrument]
    convo = _conversation(p, occ, now)
    result = step(State.from_dict(convo.state), msg.body, instrument, cg.language)
    convo.state, convo.updated_at = result.state.to_dict(), now
    if result.answers:
        responses.save_draft(occ.id, {k: a.value for k, a in result.answers.items()},
                             instrument=instrument, channel="sms", now=now,
                             provenance={k: {"sid": msg.provider_sid, "raw": a.raw, "how": str(a.how),
                                             "reporter": "caregiver", "caregiver_id": cg.id}
                                         for k, a in result.answers.items()})
    if any(isinstance(e, Completed) for e in result.events):
        answers = {k: a.value for k, a in result.state.answers.items()}
        responses.submit_response(occ.id, answers, instrument=instrument, channel="sms", now=now,
                                  actor=f"caregiver:{cg.id}", reporter="caregiver")
    return list(result.replies)


def _conversation(p: Participant, occ: Occasion, now: datetime) -> Conversation:
    convo = db.session.scalar(sa.select(Conversation).where(Conversation.occasion_id == occ.id))
    if convo is None:
        convo = Conversation(participant_id=p.id, occasion_id=occ.id,
                             state=State(phase=Phase.INVITED).to_dict(), created_at=now, updated_at=now)
        db.session.add(convo)
        db.session.flush()
    return convo
