"""Paper transcription: staff enter a paper form (channel `paper`), optionally double-entered.

Single entry stores the response at once. Double entry keeps the first transcription aside
(`PaperEntry`, not clinical data) until a second person enters the same form: equal entries
store the response; differing ones raise `EntriesDiffer` with the differences and store
nothing, until the second person, having checked the paper, resends with `resolve=True`.
The same validation and scoring as every other channel (`service.complete_occasion`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument
from pro_service.participants.service import get_participant
from pro_service.responses.domain import (
    answers_problems,
    entry_differences,
    is_outside_window,
    paper_date_problem,
)
from pro_service.responses.models import PaperEntry, Response
from pro_service.responses.service import complete_occasion
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion, OccasionStatus
from pro_service.staff.models import Role, StaffUser

CHANNEL = "paper"
ENTERING_ROLES = frozenset({Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR})


class EntriesDiffer(DomainError):
    """The second transcription disagrees with the first; `differences` lists each field."""

    status = 409
    title = "Conflict"


@dataclass(frozen=True)
class PaperForm:
    """One paper form as a transcriber typed it."""

    study_id: str
    timepoint: str
    instrument: str
    answers: dict[str, Any]
    completed_on: date  # the participant's local date written on the form
    reason: str | None = None  # needed when completed_on is outside the window
    double_entry: bool = False
    resolve: bool = False  # second entry after checking the paper: take these answers


@dataclass(frozen=True)
class PaperResult:
    status: str  # "stored" | "awaiting_second_entry"
    occasion: Occasion
    response: Response | None = None


def enter_paper(form: PaperForm, *, staff: StaffUser, instrument: Instrument,
                now: datetime) -> PaperResult:
    """Transcribe one paper form for an occasion that has no answer yet (late entry allowed)."""
    if staff.role not in ENTERING_ROLES:
        raise Forbidden(f"the {staff.role} role may not transcribe paper forms")
    with unit_of_work() as session:
        occ = _occasion(form, staff)
        _check(occ, form, instrument, now)
        pending = session.scalar(sa.select(PaperEntry).where(PaperEntry.occasion_id == occ.id))
        if pending is not None:
            return _second_entry(occ, pending, form, staff=staff, instrument=instrument, now=now)
        if form.double_entry:
            return _first_entry(occ, form, staff=staff, now=now)
        resp = _store(occ, form, instrument=instrument, staff=staff, now=now,
                      provenance={"transcribed_by": [_who(staff)], "double_entry": False})
        return PaperResult("stored", occ, resp)


def pending_entry(occasion_id: int) -> PaperEntry | None:
    """The first transcription awaiting a second, if any (its answers are not for display)."""
    return db.session.scalar(sa.select(PaperEntry).where(PaperEntry.occasion_id == occasion_id))


def _occasion(form: PaperForm, staff: StaffUser) -> Occasion:
    p = get_participant(form.study_id, staff)
    found = schedule.find_occasion(p.id, form.timepoint, form.instrument)
    if found is None:
        raise NotFound(f"{form.study_id} has no {form.instrument} occasion at {form.timepoint}")
    occ = db.session.get(Occasion, found.id, with_for_update=True)
    assert occ is not None
    return occ


def _check(occ: Occasion, form: PaperForm, instrument: Instrument, now: datetime) -> None:
    if occ.status == OccasionStatus.COMPLETED:
        raise Conflict("this questionnaire already has an answer; correct it instead")
    if occ.status == OccasionStatus.CANCELLED:
        raise Conflict("this occasion was cancelled (participant withdrawn or schedule changed)")
    if problems := answers_problems(instrument, form.answers, complete=True):
        raise InvalidInput("; ".join(problems), problems=problems)
    first, last = schedule.window_days(occ)
    today = now.astimezone(ZoneInfo(occ.participant.timezone)).date()
    if problem := paper_date_problem(form.completed_on, first_day=first, last_day=last,
                                     today=today, reason=form.reason):
        raise InvalidInput(problem, field="completed_on")


def _first_entry(occ: Occasion, form: PaperForm, *, staff: StaffUser, now: datetime) -> PaperResult:
    db.session.add(PaperEntry(occasion_id=occ.id, staff_id=staff.id, answers=dict(form.answers),
                              completed_on=form.completed_on, reason=form.reason, created_at=now))
    record_event(actor=f"staff:{staff.id}", action="paper.first_entry", entity_type="occasion",
                 entity_id=occ.id, now=now, after={"study_id": form.study_id,
                                                   "timepoint": occ.timepoint,
                                                   "instrument": occ.instrument})
    return PaperResult("awaiting_second_entry", occ)


def _second_entry(occ: Occasion, pending: PaperEntry, form: PaperForm, *, staff: StaffUser,
                  instrument: Instrument, now: datetime) -> PaperResult:
    if pending.staff_id == staff.id:
        raise Conflict("the second entry must be made by another person")
    first = {**pending.answers, "completed_on": pending.completed_on.isoformat()}
    second = {**form.answers, "completed_on": form.completed_on.isoformat()}
    differences = entry_differences(first, second)
    if differences and not form.resolve:
        raise EntriesDiffer(f"the two entries differ in {len(differences)} field(s); check the "
                            "paper form and send the right values with resolve", differences=differences)
    first_by = db.session.get(StaffUser, pending.staff_id)
    resp = _store(occ, form, instrument=instrument, staff=staff, now=now, provenance={
        "transcribed_by": [_who(first_by), _who(staff)], "double_entry": True,
        "resolved_differences": differences})
    db.session.delete(pending)
    return PaperResult("stored", occ, resp)


def _store(occ: Occasion, form: PaperForm, *, instrument: Instrument, staff: StaffUser,
           now: datetime, provenance: dict[str, Any]) -> Response:
    first, last = schedule.window_days(occ)
    outside = is_outside_window(form.completed_on, first, last)
    late = occ.status in (OccasionStatus.MISSED, OccasionStatus.MISSED_BEFORE_ENROLMENT)
    return complete_occasion(
        occ, dict(form.answers), instrument=instrument, channel=CHANNEL, now=now,
        actor=f"staff:{staff.id}", completed_on=form.completed_on,
        reason=form.reason.strip() if outside and form.reason else None,
        provenance={**provenance, "completed_on": form.completed_on.isoformat(),
                    "outside_window": outside, "late_entry_from": occ.status if late else None})


def _who(staff: StaffUser | None) -> dict[str, Any]:
    return {"staff_id": staff.id, "name": staff.name} if staff else {"staff_id": None}
