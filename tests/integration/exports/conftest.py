"""Export fixtures: sites, staff, participants and answered occasions at fixed instants."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.responses import service as responses
from pro_service.responses.models import Response
from pro_service.schedule.models import Occasion
from tests.factories import valid_answers

# Default participant: baseline 2027-01-11, Asia/Shanghai (UTC+8, no DST).
BL_EARLY = datetime(2027, 1, 4, 3, 0, tzinfo=UTC)  # 11:00 local on 01-04: study day -7
BL_ON_DAY = datetime(2027, 1, 11, 3, 0, tzinfo=UTC)  # 11:00 local on the baseline date: day 1
W4_ON_TARGET = datetime(2027, 2, 8, 2, 0, tzinfo=UTC)  # 10:00 local on 02-08: day 29
W4_TOO_EARLY = datetime(2027, 2, 4, 12, 0, tzinfo=UTC)  # 20:00 local on 02-04, before 02-05 09:00
AFTER_BL_CLOSED = datetime(2027, 1, 12, 1, 0, tzinfo=UTC)  # BL closes 01-12 00:00 local

MIXED_EQ5D = {"MO": 2, "SC": 1, "UA": 3, "PD": 4, "AD": 2, "VAS": 63}
# The wall clock the export endpoints read (data cuts default to it and may not pass it):
# after every fixed instant the tests write data at, unless a test moves it.
LATE = datetime(2027, 12, 31, tzinfo=UTC)


class WallClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.fixture(autouse=True)
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> WallClock:
    """Inject the time the export endpoints see (`wall_clock.at = ...` moves it)."""
    fake = WallClock(LATE)
    monkeypatch.setattr(clock, "now", fake.now)
    return fake


def occasion_of(p: Participant, timepoint: str, instrument: str) -> Occasion:
    occ = db.session.scalar(sa.select(Occasion).where(
        Occasion.participant_id == p.id, Occasion.timepoint == timepoint,
        Occasion.instrument == instrument))
    assert occ is not None, (p.study_id, timepoint, instrument)
    return occ


def open_occasion(p: Participant, timepoint: str, instrument: str) -> Occasion:
    """Open an occasion as the scheduler would (tests choose `now` inside or around its window)."""
    occ = occasion_of(p, timepoint, instrument)
    occ.status = "open"
    db.session.commit()
    return occ


@pytest.fixture
def answer(app: Flask) -> Callable[..., Response]:
    """Submit a complete response to a participant's occasion at a given instant."""

    def submit(p: Participant, timepoint: str, instrument: str = "EQ5D5L", *, at: datetime,
               answers: dict[str, Any] | None = None, level: int = 1) -> Response:
        occ = open_occasion(p, timepoint, instrument)
        spec = app.extensions["pro.instruments"][instrument]
        return responses.submit_response(occ.id, answers or valid_answers(spec, level),
                                         instrument=spec, channel="web", now=at, actor="test")

    return submit


@pytest.fixture
def world(make_site: Callable[..., Any], make_staff: Callable[..., Any]) -> dict[str, Any]:
    """Two sites and one staff user of each role (site-scoped ones at 302)."""
    make_site("302")
    make_site("303")
    roles = ("admin", "investigator", "coordinator", "safety_officer", "analyst")
    return {role: make_staff(role, ("302",)) for role in roles}


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of an exported CSV, after checking its `#END` line (rows and SHA-256)."""
    body, end = split_end_line(text)
    reader = csv.DictReader(io.StringIO(body))
    rows = list(reader)
    assert end == f"#END rows={len(rows)} sha256={hashlib.sha256(body.encode()).hexdigest()}"
    return list(reader.fieldnames or []), rows


def split_end_line(text: str) -> tuple[str, str]:
    body, _, end = text.rstrip("\r\n").rpartition("\r\n")
    assert end.startswith("#END "), f"no #END line: {text[-120:]!r}"
    return body + "\r\n", end
