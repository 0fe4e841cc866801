"""In-clinic sessions: a coordinator starts an occasion's web form on a site device.

A session is short-lived, bound to one occasion and to the staff login that started it; only
the SHA-256 of its 192-bit token is stored. The participant answers alone through the same
one-question-per-page form in their language; the response has channel `clinic` and names
the staff member as facilitator (DESIGN §10 "Clinic channels").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, Forbidden, Gone, NotFound
from pro_service.extensions import db
from pro_service.participants.service import get_participant
from pro_service.participants.domain import Status
from pro_service.participants.models import Participant
from pro_service.responses.models import ClinicSession, PaperEntry
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion, OccasionStatus
from pro_service.staff.models import Role, StaffUser

CHANNEL = "clinic"
SESSION_MINUTES = 60  # long enough for a CLDQ at an unhurried pace, short for a shared tablet
STARTING_ROLES = frozenset({Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR})


@dataclass(frozen=True)
class Started:
    token: str  # shown once, in the URL the site device opens
    occasion: Occasion
    expires_at: datetime


def start_clinic_session(study_id: str, timepoint: str, instrument: str, *, staff: StaffUser,
                         now: datetime, reminder_hours: tuple[int, ...]) -> Started:
    """Start a session for an occasion whose window is open now (registered today included)."""
    if staff.role not in STARTING_ROLES:
        raise Forbidden(f"the {staff.role} role may not start an in-clinic questionnaire")
    with unit_of_work() as session:
        p = get_participant(study_id, staff)
        found = schedule.find_occasion(p.id, timepoint, instrument)
        if found is None:
            raise NotFound(f"{study_id} has no {instrument} occasion at {timepoint}")
        occ = db.session.get(Occasion, found.id, with_for_update=True)
        assert occ is not None
        if occ.status == OccasionStatus.COMPLETED:
            raise Conflict("this questionnaire has already been answered")
        schedule.open_for_clinic(occ, now=now, reminder_hours=reminder_hours)
        if not schedule.is_answerable(occ, now):
            raise Gone("this occasion's window is not open now; enter a paper form instead")
        token = crypto.new_token(24)
        expires = min(now + timedelta(minutes=SESSION_MINUTES), occ.closes_at)
        row = ClinicSession(occasion_id=occ.id, staff_id=staff.id, token_hash=crypto.token_hash(token),
                            created_at=now, expires_at=expires)
        session.add(row)
        session.flush()
        record_event(actor=f"staff:{staff.id}", action="clinic.start", entity_type="occasion",
                     entity_id=occ.id, now=now, after={"study_id": study_id, "timepoint": timepoint,
                                                       "instrument": instrument,
                                                       "session": row.id,
                                                       "expires_at": expires.isoformat()})
        return Started(token, occ, expires)


@dataclass(frozen=True)
class Bound:
    """A live session as the web form uses it."""

    session_id: int
    occasion: Occasion
    facilitator_id: int
    facilitator_name: str


def clinic_session(token: str, *, staff_id: int | None, now: datetime) -> Bound:
    """The session a token names, for the staff login that started it; Gone once over."""
    if not token or len(token) > 100:
        raise NotFound("unknown in-clinic session")
    row = db.session.scalar(sa.select(ClinicSession).where(
        ClinicSession.token_hash == crypto.token_hash(token)))
    if row is None:
        raise NotFound("unknown in-clinic session")
    if staff_id != row.staff_id:
        raise Forbidden("this in-clinic session belongs to another staff login; "
                        "log in as the person who started it")
    occ = db.session.get(Occasion, row.occasion_id)
    staff = db.session.get(StaffUser, row.staff_id)
    assert occ is not None and staff is not None
    if occ.status != OccasionStatus.COMPLETED and (row.ended_at is not None or row.expires_at <= now):
        raise Gone("this in-clinic session has ended; start a new one from the dashboard")
    return Bound(row.id, occ, staff.id, staff.name)


def facilitator_provenance(bound: Bound) -> dict[str, object]:
    """What a clinic response records about how it was taken."""
    return {"facilitator": {"staff_id": bound.facilitator_id, "name": bound.facilitator_name},
            "clinic_session": bound.session_id}


def end_clinic_session(session_id: int, *, now: datetime) -> None:
    """Close a session once its questionnaire is submitted (joins the caller's transaction)."""
    with unit_of_work():
        row = db.session.get(ClinicSession, session_id)
        if row is not None and row.ended_at is None:
            row.ended_at = now


@dataclass(frozen=True)
class EntryRow:
    """One occasion as the clinic page offers it."""

    occasion: Occasion
    can_start: bool  # its window is open now: a site device may take it in clinic
    can_transcribe: bool  # no answer yet and not cancelled: a paper form may be entered
    pending_by: str | None  # a first paper entry awaits its second, entered by this person


@dataclass(frozen=True)
class Overview:
    participant: Participant
    rows: tuple[EntryRow, ...]
    may_enter: bool


def clinic_overview(study_id: str, *, staff: StaffUser, now: datetime) -> Overview:
    """The participant's occasions up to a week ahead, with what staff may do in clinic or from paper."""
    p = get_participant(study_id, staff)
    pending = {e.occasion_id: e for e in db.session.scalars(
        sa.select(PaperEntry).join(Occasion, Occasion.id == PaperEntry.occasion_id)
        .where(Occasion.participant_id == p.id))}
    names = {s.id: s.name for s in db.session.scalars(sa.select(StaffUser).where(
        StaffUser.id.in_({e.staff_id for e in pending.values()} or {-1})))}
    rows = []
    for occ in schedule.occasions_of(p.id):
        if occ.opens_at > now + UPCOMING:
            continue  # far future windows: nothing to take in clinic or from paper yet
        open_now = occ.status in OPENABLE and occ.opens_at <= now < occ.closes_at
        writable = occ.status not in (OccasionStatus.COMPLETED, OccasionStatus.CANCELLED)
        entry = pending.get(occ.id)
        rows.append(EntryRow(occ, open_now and p.status != Status.WITHDRAWN, writable,
                             names.get(entry.staff_id, "?") if entry else None))
    return Overview(p, tuple(rows), staff.role in STARTING_ROLES)


OPENABLE = (OccasionStatus.SCHEDULED, OccasionStatus.OPEN, OccasionStatus.IN_PROGRESS)
UPCOMING = timedelta(days=7)  # a paper form filled a little early may still be entered (with a reason)
