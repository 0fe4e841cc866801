"""Web form use cases: open a link, save a page, submit; all through the response pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pro_service.core.errors import Gone
from pro_service.instruments.domain.definitions import Instrument
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
                                channel=CHANNEL, now=now)


def submit_form(form: Form, *, now: datetime) -> None:
    """Submit the saved answers through the one pipeline (Response channel "web" + scores)."""
    answers = {key: value for key, value in form.answers.items() if value is not None}
    responses.submit_response(form.occasion_id, answers, instrument=form.instrument,
                              channel=CHANNEL, now=now, actor=form.actor)
