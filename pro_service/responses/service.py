"""The one response pipeline every channel uses: drafts, submission, scores, corrections, links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import insert_loaded, insert_rows, unit_of_work, update_loaded
from pro_service.core.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument
from pro_service.instruments.scoring import score_answers
from pro_service.responses.domain import answers_problems
from pro_service.responses.models import OccasionLink, Response, ResponseDraft, Score
from pro_service.participants.models import Participant
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion, OccasionStatus

# Called inside the submission's transaction with (response, instrument, now); the safety
# room is wired here by the factory so structured symptom answers and score rules raise alerts.
after_submit: list[Callable[[Response, Instrument, datetime], None]] = []


@dataclass(frozen=True)
class Held:
    """An occasion the caller's transaction has already locked, with its draft as read under
    that lock (None: it has none). Spares the hot SMS path a second lock and read."""

    occasion: Occasion
    draft: ResponseDraft | None


# the participant comes in the same query (every caller checks their status); only the
# occasion row is locked. Built once: a statement object keeps its cache key.
_LOCK_OCCASION = (sa.select(Occasion).options(joinedload(Occasion.participant, innerjoin=True))
                  .where(Occasion.id == sa.bindparam("occasion_id")).with_for_update(of=Occasion))
_CURRENT_RESPONSE = sa.select(Response).where(Response.occasion_id == sa.bindparam("occasion_id"),
                                              Response.superseded.is_(False))
_DRAFT = sa.select(ResponseDraft).where(ResponseDraft.occasion_id == sa.bindparam("occasion_id"))


def _locked_occasion(occasion_id: int) -> Occasion:
    occ = db.session.scalar(_LOCK_OCCASION, {"occasion_id": occasion_id})
    if occ is None:
        raise NotFound(f"no occasion {occasion_id}")
    return occ


# A caregiver may answer the symptom check for the participant, never a self-reported PRO
# questionnaire (EQ-5D, CLDQ); what a caregiver answered is never scored (issue 12).
CAREGIVER_INSTRUMENTS = frozenset({"SYMPTOMS"})
REPORTERS = ("participant", "caregiver")


def submit_response(occasion_id: int, answers: dict[str, Any], *, instrument: Instrument,
                    channel: str, now: datetime, actor: str,
                    provenance: dict[str, Any] | None = None,
                    reporter: str = "participant") -> Response:
    """Store a complete response with its scores and close the occasion as completed."""
    if reporter not in REPORTERS:
        raise InvalidInput(f"unknown reporter {reporter!r}")
    if reporter == "caregiver" and instrument.code not in CAREGIVER_INSTRUMENTS:
        raise Forbidden("a caregiver may not answer a self-reported questionnaire")
    with unit_of_work():
        occ = _locked_occasion(occasion_id)
        if occ.status == OccasionStatus.COMPLETED:
            raise Conflict("this questionnaire has already been submitted")
        if not schedule.is_answerable(occ, now):
            raise Gone("this questionnaire's window has closed")
        return complete_occasion(occ, answers, instrument=instrument, channel=channel, now=now,
                                 actor=actor, provenance=provenance, reporter=reporter)


def complete_occasion(occ: Occasion, answers: dict[str, Any], *, instrument: Instrument,
                      channel: str, now: datetime, actor: str,
                      provenance: dict[str, Any] | None = None, completed_on: date | None = None,
                      reason: str | None = None, reporter: str = "participant") -> Response:
    """Validate, store and score a complete response for a locked occasion (caller's checks done).

    Every channel ends here (sms, web, clinic, paper), so validation and scoring are one rule.
    """
    if problems := answers_problems(instrument, answers, complete=True):
        raise InvalidInput("; ".join(problems), problems=problems)
    draft = _draft(occ.id)
    partial = current_response(occ.id)  # a window closed on some answers: late entry completes it
    if partial is not None:
        partial.superseded = True
    resp = _store(occ, answers, instrument=instrument, channel=channel, now=now, actor=actor,
                  provenance=provenance or (draft.provenance if draft else None),
                  started_at=draft.started_at if draft else now, status="complete",
                  completed_on=completed_on, reason=reason, reporter=reporter,
                  version=partial.version + 1 if partial else 1, supersedes=partial)
    if draft:
        db.session.delete(draft)
    schedule.mark_completed(occ, now=now)
    for hook in after_submit:
        hook(resp, instrument, now)
    return resp


def _store(occ: Occasion, answers: dict[str, Any], *, instrument: Instrument, channel: str,
           now: datetime, actor: str, provenance: dict[str, Any] | None, started_at: datetime | None,
           status: str, version: int = 1, supersedes: Response | None = None,
           reason: str | None = None, completed_on: date | None = None,
           reporter: str = "participant") -> Response:
    session = db.session
    # scores are built in memory with the response: one flush inserts both, nothing is re-read
    scores = [Score(scale=row.scale_code, value=row.value, algorithm_id=row.algorithm_id)
              for row in (score_answers(instrument, answers) if status == "complete" else ())]
    resp = Response(occasion_id=occ.id, participant_id=occ.participant_id, instrument=instrument.code,
                    instrument_version=instrument.version, channel=channel, status=status,
                    reporter=reporter,
                    version=version, supersedes_id=supersedes.id if supersedes else None,
                    answers=answers, provenance=provenance, reason=reason, actor=actor,
                    started_at=started_at, submitted_at=now, completed_on=completed_on,
                    scores=scores)
    try:
        with session.begin_nested():
            session.add(resp)
            session.flush()
    except IntegrityError:
        raise Conflict("this questionnaire has already been submitted") from None
    record_event(actor=actor, action="response.submit" if version == 1 else "response.correct",
                 entity_type="response", entity_id=resp.id, now=now, reason=reason,
                 after={"occasion_id": occ.id, "instrument": instrument.code, "channel": channel,
                        "version": version, "status": status,
                        "completed_on": completed_on.isoformat() if completed_on else None,
                        "scores": {s.scale: s.value for s in resp.scores}})
    return resp


def correct_response(response_id: int, answers: dict[str, Any], *, instrument: Instrument,
                     reason: str, actor: str, now: datetime) -> Response:
    """Store a corrected version that supersedes the current one; the old one stays as it was."""
    if not reason or len(reason.strip()) < 3:
        raise InvalidInput("a correction needs a reason")
    with unit_of_work():
        current = db.session.get(Response, response_id)
        if current is None:
            raise NotFound(f"no response {response_id}")
        if current.superseded:
            raise Conflict("only the current version can be corrected")
        if problems := answers_problems(instrument, answers, complete=True):
            raise InvalidInput("; ".join(problems), problems=problems)
        occ = _locked_occasion(current.occasion_id)
        current.superseded = True
        return _store(occ, answers, instrument=instrument, channel="staff", now=now, actor=actor,
                      provenance={"corrected_from": current.id}, started_at=current.started_at,
                      status="complete", version=current.version + 1, supersedes=current,
                      reason=reason, completed_on=current.completed_on)


def current_response(occasion_id: int) -> Response | None:
    return db.session.scalar(_CURRENT_RESPONSE, {"occasion_id": occasion_id})


def _draft(occasion_id: int) -> ResponseDraft | None:
    return db.session.scalar(_DRAFT, {"occasion_id": occasion_id})


def get_draft_answers(occasion_id: int) -> dict[str, Any]:
    draft = _draft(occasion_id)
    return dict(draft.answers) if draft else {}


def save_draft(occasion_id: int, updates: dict[str, Any], *, instrument: Instrument, channel: str,
               now: datetime, provenance: dict[str, Any] | None = None,
               held: Held | None = None) -> dict[str, Any]:
    """Merge answers into the occasion's draft (partial answers survive a closed browser)."""
    with unit_of_work():
        if held is not None and held.occasion.id != occasion_id:
            raise ValueError("the held occasion is not the one being answered")
        occ = held.occasion if held is not None else _locked_occasion(occasion_id)
        if occ.status == OccasionStatus.COMPLETED:
            raise Conflict("this questionnaire has already been submitted")
        if not schedule.is_answerable(occ, now):
            raise Gone("this questionnaire's window has closed")
        if problems := answers_problems(instrument, updates, complete=False):
            raise InvalidInput("; ".join(problems), problems=problems)
        draft = held.draft if held is not None else _draft(occ.id)
        merged = {"answers": {**(draft.answers if draft else {}), **updates},
                  "provenance": {**(draft.provenance if draft else {}), **(provenance or {})},
                  "channel": channel, "updated_at": now}
        if draft is None:
            insert_loaded(ResponseDraft(occasion_id=occ.id, started_at=now, **merged))
        else:
            update_loaded(draft, **merged)
        schedule.mark_in_progress(occ, now=now)
        return dict(merged["answers"])


def keep_partials(closed: Sequence[Occasion], *, instruments: dict[str, Instrument],
                  now: datetime) -> int:
    """Keep the drafts of occasions just closed as partial responses; the drafts in one query."""
    if not closed:
        return 0
    drafts = {d.occasion_id: d for d in db.session.scalars(sa.select(ResponseDraft).where(
        ResponseDraft.occasion_id.in_([occ.id for occ in closed])))}
    return sum(keep_partial(occ, instrument=instruments[occ.instrument], now=now,
                            draft=drafts.get(occ.id)) is not None
               for occ in closed if occ.id in drafts)


def keep_partial(occ: Occasion, *, instrument: Instrument, now: datetime,
                 draft: ResponseDraft | None = None) -> Response | None:
    """When a window closes with a draft, keep its answers as a partial response."""
    draft = draft or _draft(occ.id)
    if draft is None or not draft.answers:
        return None
    resp = _store(occ, dict(draft.answers), instrument=instrument, channel=draft.channel, now=now,
                  actor="system:close", provenance=draft.provenance, started_at=draft.started_at,
                  status="partial")
    db.session.delete(draft)
    return resp


def issue_link(occ: Occasion, *, now: datetime) -> str:
    """A one-time web-form token (192 bits) valid until the window closes; only its hash is kept."""
    token = crypto.new_token(24)
    insert_rows(OccasionLink, [{"occasion_id": occ.id, "token_hash": crypto.token_hash(token),
                                "created_at": now, "expires_at": occ.closes_at}])
    return token


def occasion_for_token(token: str, *, now: datetime) -> Occasion:
    """The occasion a link opens: NotFound when unknown, Gone when expired or cancelled."""
    if not token or len(token) > 100:
        raise NotFound("unknown link")
    link = db.session.scalar(sa.select(OccasionLink).where(
        OccasionLink.token_hash == crypto.token_hash(token)))
    if link is None:
        raise NotFound("unknown link")
    occ = db.session.get(Occasion, link.occasion_id)
    assert occ is not None
    if occ.status == OccasionStatus.COMPLETED:
        return occ
    if link.expires_at <= now or occ.status in (OccasionStatus.MISSED, OccasionStatus.CANCELLED) \
            or occ.closes_at <= now:
        raise Gone("this link has expired")
    return occ


def issue_link_for(study_id: str, occasion: str | None, *, now: datetime, actor: str) -> tuple[Occasion, str]:
    """A fresh web-form token for a participant's answerable occasion (staff and development use).

    `occasion` is a timepoint ("W4"), timepoint:instrument ("BL:CLDQ") or an occasion id;
    without it the oldest answerable occasion. Audited; only the token's hash is stored.
    """
    with unit_of_work():
        p = db.session.scalar(sa.select(Participant).where(Participant.study_id == study_id))
        if p is None:
            raise NotFound(f"no participant {study_id}")
        candidates = [o for o in schedule.active_occasions(p.id, now) if _matches(o, occasion)]
        if not candidates:
            raise Gone(f"{study_id} has no open occasion" + (f" matching {occasion}" if occasion else ""))
        occ = candidates[0]
        token = issue_link(occ, now=now)
        record_event(actor=actor, action="link.issue", entity_type="occasion", entity_id=occ.id,
                     now=now, after={"study_id": study_id, "timepoint": occ.timepoint,
                                     "instrument": occ.instrument})
        return occ, token


def _matches(occ: Occasion, ref: str | None) -> bool:
    if not ref:
        return True
    if ref.isdigit():
        return occ.id == int(ref)
    timepoint, _, instrument = ref.partition(":")
    return occ.timepoint == timepoint and (not instrument or occ.instrument == instrument)
