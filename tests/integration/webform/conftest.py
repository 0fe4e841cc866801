"""Web form fixtures: an open occasion with a fresh link, a fixed clock, page helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from pro_service.extensions import db
from pro_service.messages.gateway import ConsoleGateway
from pro_service.participants.models import Participant
from pro_service.responses import service as responses
from pro_service.schedule.models import Occasion
from scheduler.jobs import tick
from tests.factories import T0

NOW = T0 + timedelta(hours=1)  # inside the baseline window of EQ-5D-5L and CLDQ
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Link:
    """A link and the occasion's plain values (reading an expired ORM row would open a
    transaction, and SQLite's BEGIN IMMEDIATE would then block the live server)."""

    occasion_id: int
    opens_at: datetime
    closes_at: datetime
    token: str

    @property
    def url(self) -> str:
        return f"/s/{self.token}"

    @property
    def form_url(self) -> str:
        return f"/s/f/{self.occasion_id}"


@pytest.fixture
def clock_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the instant the web form's views see."""

    def set_now(instant: datetime) -> None:
        monkeypatch.setattr("pro_service.core.clock.now", lambda: instant)

    set_now(NOW)
    return set_now


def open_link(app: Flask, participant: Participant, instrument: str,
              timepoint: str | None = None) -> Link:
    """Open the participant's occasions as the scheduler would and issue a link to one."""
    db.session.commit()
    tick(app, now=T0, gateway=ConsoleGateway())
    query = sa.select(Occasion).where(Occasion.participant_id == participant.id,
                                      Occasion.instrument == instrument)
    if timepoint:
        query = query.where(Occasion.timepoint == timepoint)
    occ = db.session.scalars(query.order_by(Occasion.opens_at)).first()
    assert occ is not None
    token = responses.issue_link(occ, now=T0)
    found = Link(occ.id, occ.opens_at, occ.closes_at, token)
    db.session.commit()
    return found


@pytest.fixture
def link(app: Flask, make_site: Callable[..., Any], make_participant: Callable[..., Participant],
         clock_at: Callable[[datetime], None]) -> Callable[..., Link]:
    """A fresh link to an open occasion of a new participant (EQ-5D-5L by default)."""
    make_site()

    def make(instrument: str = "EQ5D5L", **participant: Any) -> Link:
        return open_link(app, make_participant(**participant), instrument)

    return make


@pytest.fixture
def symptom_link(app: Flask, link: Callable[..., Link],
                 make_participant: Callable[..., Participant],
                 clock_at: Callable[[datetime], None]) -> Callable[..., Link]:
    """A link to a participant's first symptom check, opened, with the clock inside its window."""

    def make(**participant: Any) -> Link:
        lnk = open_link(app, make_participant(**participant), "SYMPTOMS")
        occ = db.session.get(Occasion, lnk.occasion_id)
        assert occ is not None
        occ.status = "open"
        db.session.commit()
        clock_at(lnk.opens_at + timedelta(hours=1))
        return lnk

    return make


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


def post_page(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    """Post a page's answers with the CSRF token its form carries."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={"csrf_token": csrf_of(page.text), **data})


def answer_all(client: FlaskClient, link: Link, answers: dict[str, Any]) -> None:
    """Walk the pages in order, answering each item from `answers`."""
    client.get(link.url)
    number = 1
    while True:
        url = f"{link.form_url}/{number}"
        page = client.get(url)
        if page.status_code != 200:
            break
        fields = {key: _field(value) for key, value in answers.items()
                  if f'name="{key}"' in page.text}
        resp = client.post(url, data={"csrf_token": csrf_of(page.text), "action": "next", **fields})
        assert resp.status_code == 303, (url, resp.status_code)
        number += 1


def _field(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
