"""Web form use cases: open a link, save a page, submit; all through the response pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pro_service.core.db import unit_of_work
from pro_service.core.errors import Gone
from pro_service.instruments.domain.definitions import Instrument
from pro_service.responses import clinic
from pro_service.responses import service as responses
from pro_service.schedule import service as schedule
from pro_service.schedule.models import OccasionStatus
from pro_service.webform import flow
from pro_service.webform.flow import Page

CHANNEL = "web"


@dataclass(frozen=True)
class Form:
    """One occasion as the web form sees it: its questions, pages and saved answers."""

    occasion_id: int
    actor: str
    language: str  # the participant's language
    instrument: Instrument
    pages: tuple[Page, ...]
    completed: bool
    answers: dict[str, Any] = field(default_factory=dict)
    channel: str = CHANNEL  # "clinic" on a site device in a staff-started session
    provenance: dict[str, Any] = field(default_factory=dict)
    clinic_session_id: int | None = None

    def page(self, number: int) -> Page | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None


def open_form(token: str, *, instruments: Mapping[str, Instrument], now: datetime) -> Form:
    """The form a link opens: NotFound when unknown, Gone when expired or not answerable."""
    occ = responses.occasion_for_token(token, now=now)
    completed = occ.status == OccasionStatus.COMPLETED
    if not completed and not schedule.is_answerable(occ, now):
        raise Gone("this link cannot be used now")
    instrument = instruments[occ.instrument]
    return Form(occasion_id=occ.id, actor=f"participant:{occ.participant.study_id}",
                language=occ.participant.language, instrument=instrument,
                pages=flow.pages_of(instrument), completed=completed,
                answers={} if completed else responses.get_draft_answers(occ.id))


def open_clinic_form(token: str, *, staff_id: int | None, instruments: Mapping[str, Instrument],
                     now: datetime) -> Form:
    """The form of an in-clinic session, for the staff login that started it."""
    bound = clinic.clinic_session(token, staff_id=staff_id, now=now)
    occ = bound.occasion
    completed = occ.status == OccasionStatus.COMPLETED
    if not completed and not schedule.is_answerable(occ, now):
        raise Gone("this questionnaire cannot be answered now")
    instrument = instruments[occ.instrument]
    return Form(occasion_id=occ.id, actor=f"participant:{occ.participant.study_id}",
                language=occ.participant.language, instrument=instrument,
                pages=flow.pages_of(instrument), completed=completed,
                answers={} if completed else responses.get_draft_answers(occ.id),
                channel=clinic.CHANNEL, provenance=clinic.facilitator_provenance(bound),
                clinic_session_id=bound.session_id)


def save_page(form: Form, page: Page, fields: Mapping[str, str], *, now: datetime,
              partial: bool = False) -> dict[str, str]:
    """Save a page's answers as the draft; with errors nothing is saved and they are returned.

    `partial` (going back) keeps whatever valid answers the page has and ignores the rest.
    """
    answers, errors = flow.parse_page(page, fields)
    if partial:
        if answers:
            form.answers.update(_save(form, answers, now))
        return {}
    if errors:
        return errors
    form.answers.update(_save(form, answers, now))
    return {}


def _save(form: Form, answers: dict[str, Any], now: datetime) -> dict[str, Any]:
    return responses.save_draft(form.occasion_id, answers, instrument=form.instrument,
                                channel=form.channel, now=now, provenance=form.provenance)


def submit_form(form: Form, *, now: datetime) -> None:
    """Submit the saved answers through the one pipeline (channel "web" or "clinic" + scores)."""
    answers = {key: value for key, value in form.answers.items() if value is not None}
    with unit_of_work():
        responses.submit_response(form.occasion_id, answers, instrument=form.instrument,
                                  channel=form.channel, now=now, actor=form.actor,
                                  provenance=form.provenance or None)
        if form.clinic_session_id is not None:
            clinic.end_clinic_session(form.clinic_session_id, now=now)
