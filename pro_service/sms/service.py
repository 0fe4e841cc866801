"""Inbound SMS: idempotent on MessageSid, safety screen first, keywords, then the chatbot.

`handle_inbound` is one use case in one transaction: the inbound row, the safety alerts, the
conversation state, draft answers, any submitted response and every reply are committed
together, so a repeated delivery finds the inbound row and returns the same replies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.core import crypto
from pro_service.core.db import (insert_loaded, insert_rows, retry_on_lost_connection,
                                  unit_of_work, update_loaded)
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument
from pro_service.messages import service as outbox
from pro_service.messages.models import Message, MessageStatus
from pro_service.participants import service as participants
from pro_service.participants.caregivers import find_caregiver_by_phone
from pro_service.participants.domain import Status
from pro_service.participants.models import Participant
from pro_service.responses import service as responses
from pro_service.schedule.models import Occasion
from pro_service.sms import caregivers, intake, notices, safety_questions
from pro_service.sms.domain.dialogue import current_prompt, step
from pro_service.sms.domain.keywords import Keyword, classify, stop_wish
from pro_service.sms.domain.prompts import invitation, start_hint
from pro_service.sms.domain.state import Completed, Phase, State
from pro_service.sms.invitations import Invitation, invitation_still_due, store_invitation_reply
from pro_service.sms.models import Conversation
from pro_service.sms.ordering import open_occasions
from pro_service.sms.replies_text import UNKNOWN_SENDER, say
from pro_service.staff import service as staff_service

log = logging.getLogger("pro_service.sms")
MAX_BODY = 1600
LINK = "{link}"


@dataclass(frozen=True)
class Inbound:
    sid: str
    sender: str  # E.164
    body: str


@dataclass(frozen=True)
class Context:
    """What the use case needs from configuration, passed in by the webhook."""

    keys: participants.Keys
    instruments: dict[str, Instrument]
    public_base_url: str


@dataclass
class _Turn:
    """What handling one text learned that rendering its replies can reuse: the occasion a
    `{link}` points to (the participant's current one after this text), once the conversation
    has worked it out; `known` False leaves `_render` to look it up."""

    known: bool = False
    link_occasion: Occasion | None = None


# Screens run on every participant text before anything else; each returns advice replies.
# The safety room is wired in by the factory (DESIGN §6). Staff texts go to `staff_handlers`.
screens: list[Callable[[Participant, Message, datetime], list[str]]] = []
staff_handlers: list[Callable[[Any, Message, datetime], list[str] | None]] = []


def handle_inbound(inbound: Inbound, *, ctx: Context, now: datetime) -> list[str]:
    """Record one inbound SMS and return the reply texts (links filled in).

    Safe to deliver any number of times, also at once: a MessageSid seen before (or committed by
    a concurrent delivery first, caught as the unique violation) gets the stored replies. A lost
    database connection retries the whole transaction once.
    """
    try:
        return retry_on_lost_connection(lambda: _handle_once(inbound, ctx, now))
    except sa.exc.IntegrityError:
        db.session.rollback()
        with unit_of_work():
            seen = outbox.find_by_sid(inbound.sid)
            if seen is None:
                raise
            log.info("concurrent duplicate delivery answered with the stored replies")
            return _render(_stored_replies(seen), seen, ctx, now)


def _handle_once(inbound: Inbound, ctx: Context, now: datetime) -> list[str]:
    with unit_of_work():
        index = crypto.blind_index(inbound.sender, ctx.keys.index_key, "phone")
        # one participant, one writer: texts sent at once are handled one after the other. The
        # text is recorded under the lock; a MessageSid seen before (also one that committed while
        # we waited) fails its unique insert: handle_inbound answers with the stored replies.
        found, msg = intake.lock_and_record(
            sid=inbound.sid, body=inbound.body[:MAX_BODY], sender=inbound.sender, index=index,
            keys=ctx.keys, extra=safety_questions.participant_question_open(), params={"now": now},
            now=now)
        p, question_open = found if found else (None, False)
        staff = None if p else staff_service.staff_by_phone_index(index)
        carer = None if p or staff else find_caregiver_by_phone(inbound.sender, ctx.keys)
        if staff is not None or carer is not None:  # the text is about whom they say
            update_loaded(msg, staff_id=staff.id if staff else None,
                          participant_id=carer.participant_id if carer else None)
        turn = _Turn()
        if p is not None:
            replies = _participant_replies(p, msg, inbound.body, ctx, now, question_open, turn)
        elif staff is not None:
            replies = _staff_replies(staff, msg, now)
        elif carer is not None:  # a registered caregiver: a report about the participant
            replies = caregivers.caregiver_replies(carer, msg, ctx.instruments, now)
        else:
            replies = [UNKNOWN_SENDER]
        _store_replies(msg, replies, now)
        return _render(replies, msg, ctx, now, turn)


def _participant_replies(p: Participant, msg: Message, full_body: str, ctx: Context,
                         now: datetime, question_open: bool, turn: _Turn) -> list[str]:
    answered = safety_questions.answer_open_question(p, msg, now, maybe_open=question_open)
    if answered is not None:  # a yes/no to the open safety question, then back to the survey
        return [*answered, *_resume_prompt(p, ctx, now)]
    advice = [text for screen in screens for text in screen(p, msg, now)]
    if len(full_body) > MAX_BODY:
        return [*advice, say("too_long", p.language)]
    keyword = classify(msg.body)
    if keyword == Keyword.START and p.status == Status.ACTIVE:
        keyword = None  # nothing to opt back into: "start" answers the invitation (the dialogue's word)
    if keyword in (Keyword.STOP, Keyword.START, Keyword.HELP):
        return [*advice, _keyword(p, keyword, now)]
    if p.status == Status.WITHDRAWN:
        return [*advice, say("withdrawn", p.language, site_phone=p.site.site_phone or "")]
    if p.status == Status.OPTED_OUT:
        return [*advice, say("opted_out", p.language, emergency=p.site.emergency_number)]
    if stop_wish(msg.body):
        _notify_site(p, notices.stop_wish_note(p.study_id), f"stop_wish:{msg.id}", now)
        return [*advice, say("stop_wish", p.language)]
    if asked := safety_questions.ask_if_unsure(p, msg, now):
        return [*advice, *asked]  # the survey resumes after the answer
    if advice:
        return [*advice, *_resume_prompt(p, ctx, now)]
    return [*advice, *_converse(p, msg, ctx, now, turn)]


def _resume_prompt(p: Participant, ctx: Context, now: datetime) -> list[str]:
    """After safety advice, ask the current item again (the report is not taken as an answer)."""
    found = open_occasions(p.id, now)
    convo = found[0].conversation if found else None
    if convo is None:
        return []
    state = State.from_dict(convo.state)
    if state.phase not in (Phase.ASKING, Phase.CONFIRMING):
        return []
    return [current_prompt(state, ctx.instruments[found[0].occasion.instrument], p.language)]


def _keyword(p: Participant, keyword: Keyword, now: datetime) -> str:
    site = p.site
    if keyword == Keyword.HELP:
        return say("help", p.language, site_phone=site.site_phone or "", emergency=site.emergency_number)
    if p.status == Status.WITHDRAWN:
        return say("withdrawn", p.language, site_phone=site.site_phone or "")
    if keyword == Keyword.START:
        participants.set_sms_opt_out(p, opted_out=False, now=now, actor=f"participant:{p.study_id}",
                                     reason="participant replied START")
        return say("started", p.language)
    changed = participants.set_sms_opt_out(p, opted_out=True, now=now,
                                           actor=f"participant:{p.study_id}",
                                           reason="participant replied STOP")
    if changed:
        _notify_site(p, notices.opted_out_note(p.study_id), f"opted_out:{p.id}:{now.isoformat()}", now)
        return say("stopped", p.language, site_phone=site.site_phone or "",
                   emergency=site.emergency_number)
    return say("opted_out", p.language, emergency=site.emergency_number)


def _notify_site(p: Participant, body: str, key: str, now: datetime) -> None:
    for member in staff_service.site_contacts(p.site_id)[:1]:
        outbox.queue_message(kind="staff_note", body=body, now=now, staff_id=member.id,
                             key=f"{key}:{member.id}", ignore_quiet_hours=True)


def _converse(p: Participant, msg: Message, ctx: Context, now: datetime, turn: _Turn) -> list[str]:
    found = open_occasions(p.id, now, lock=True)
    if not found:
        return [say("nothing_open", p.language, site_phone=p.site.site_phone or "")]
    occ = found[0].occasion
    instrument = ctx.instruments[occ.instrument]
    convo = found[0].conversation
    result = step(State.from_dict(convo.state) if convo else State(phase=Phase.INVITED),
                  msg.body, instrument, p.language)
    if convo is None:
        _start_conversation(p, occ, result.state, now)
    else:
        update_loaded(convo, state=result.state.to_dict(), updated_at=now)
    replies = list(result.replies)
    if result.answers:
        responses.save_draft(occ.id, {k: a.value for k, a in result.answers.items()},
                             instrument=instrument, channel="sms", now=now,
                             provenance={k: {"sid": msg.provider_sid, "raw": a.raw, "how": str(a.how)}
                                         for k, a in result.answers.items()},
                             held=found[0].held())
    # the current occasion after this text, as `open_occasions` would now read it: a text that
    # does not finish `occ` leaves it first (started ones rank first, the others keep their
    # places); finishing it closes it and the next one moves up
    nxt = found[1].occasion if len(found) > 1 else None
    turn.known, turn.link_occasion = True, occ
    if any(isinstance(e, Completed) for e in result.events):
        answers = {k: a.value for k, a in result.state.answers.items()}
        responses.submit_response(occ.id, answers, instrument=instrument, channel="sms", now=now,
                                  actor=f"participant:{p.study_id}")
        turn.link_occasion = nxt
        if nxt is not None:
            replies.append(_next_questionnaire(p, nxt, msg, ctx, now))
    return replies


def _next_questionnaire(p: Participant, nxt: Occasion, msg: Message, ctx: Context,
                        now: datetime) -> str:
    """Point to the next open questionnaire: its invitation once, else only how to start it."""
    instrument = ctx.instruments[nxt.instrument]
    if invitation_still_due(nxt.id, msg, now):
        return Invitation(say("next", p.language) + invitation(instrument, p.language),
                          occasion_id=nxt.id)
    return say("next", p.language) + start_hint(instrument, p.language)


def _start_conversation(p: Participant, occ: Occasion, state: State, now: datetime) -> None:
    """The occasion's first conversation, stored with its state after the first text
    (`open_occasions` read none; the participant's lock keeps any other writer of this
    participant out until commit)."""
    insert_loaded(Conversation(participant_id=p.id, occasion_id=occ.id, state=state.to_dict(),
                               created_at=now, updated_at=now))


def _staff_replies(staff: Any, msg: Message, now: datetime) -> list[str]:
    for handler in staff_handlers:
        replies = handler(staff, msg, now)
        if replies is not None:
            return replies
    return ["[pro-service] Message received. To acknowledge an alert reply: ACK <code>"]


def _store_replies(inbound: Message, replies: list[str], now: datetime) -> None:
    """Keep the webhook's replies as outbound rows (sent in the TwiML answer), in one statement."""
    from pro_service.messages.domain.segments import count_segments

    rows: list[dict[str, Any]] = []
    for text in replies:
        if isinstance(text, Invitation):
            insert_rows(Message, rows)  # the rows keep the replies' order (ids order them)
            rows = []
            if store_invitation_reply(inbound, text, now):
                db.session.flush()
                continue
        encoding, segments = count_segments(text)
        rows.append({**REPLY_ROW, "body": str(text), "participant_id": inbound.participant_id,
                     "staff_id": inbound.staff_id, "reply_to_id": inbound.id, "encoding": encoding,
                     "segments": segments, "created_at": now, "updated_at": now, "sent_at": now})
    insert_rows(Message, rows)


# every column a reply row sets (one executemany needs the same keys in each row)
REPLY_ROW = {"direction": "out", "kind": "reply", "status": MessageStatus.SENT}


def _stored_replies(inbound: Message) -> list[str]:
    return list(db.session.scalars(sa.select(Message.body).where(Message.reply_to_id == inbound.id)
                                   .order_by(Message.id)))


def _render(replies: list[str], inbound: Message, ctx: Context, now: datetime,
            turn: _Turn | None = None) -> list[str]:
    """Fill `{link}` with a fresh one-time link to the participant's current occasion."""
    if not any(LINK in r for r in replies) or inbound.participant_id is None:
        return [r.replace(LINK, "") for r in replies]
    if turn is not None and turn.known:
        current = turn.link_occasion
    else:
        found = open_occasions(inbound.participant_id, now)
        current = found[0].occasion if found else None
    url = f"{ctx.public_base_url}/s/{responses.issue_link(current, now=now)}" if current else ""
    return [r.replace(LINK, url) for r in replies]
