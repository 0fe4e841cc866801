"""The record status grid: participants × timepoints, one cell per occasion, site summaries.

Each page costs a fixed number of statements: the page of participants, their occasions with
a flag for a kept partial answer (one join), and one grouped summary per site.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.participants.service import visible_participants
from pro_service.responses.completion import completion_figures
from pro_service.responses.models import Response
from pro_service.schedule.domain.completion import totals
from pro_service.schedule.domain.protocol import Protocol
from pro_service.schedule.models import Occasion, OccasionStatus
from pro_service.staff.models import Site, StaffUser
from pro_service.staff.policy import WORKSPACE_READERS, require

# One letter per state so a cell reads without colour (greyscale, colour blindness, print).
LETTERS = {"scheduled": "S", "open": "O", "reminded": "R", "in_progress": "I", "completed": "C",
           "partial": "P", "missed": "M", "missed_before_enrolment": "B", "cancelled": "X",
           "none": "–"}


def display_state(status: str, reminders_sent: int, has_partial: bool) -> str:
    """The state staff see: open splits into open/reminded, a missed one with answers is partial."""
    if status == OccasionStatus.OPEN and reminders_sent > 0:
        return "reminded"
    if status == OccasionStatus.MISSED and has_partial:
        return "partial"
    return str(status)


@dataclass(frozen=True)
class Cell:
    state: str
    occasion_id: int
    response_id: int | None

    @property
    def letter(self) -> str:
        return LETTERS[self.state]


@dataclass
class SiteSummary:
    site: str
    expected: int = 0
    completed: int = 0
    partial: int = 0
    missed: int = 0
    open_now: int = 0
    overdue: int = 0
    missed_before_enrolment: int = 0
    rate: float | None = None  # completed among closed windows (the completion API's rate)


@dataclass
class Grid:
    columns: list[tuple[str, str]]  # (timepoint, instrument)
    rows: list[tuple[Participant, dict[tuple[str, str], Cell]]]
    summaries: list[SiteSummary]
    total: int
    page: int
    per_page: int
    instruments: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def grid_columns(protocol: Protocol, instrument: str | None) -> list[tuple[str, str]]:
    """Every (timepoint, instrument) pair of the protocol in schedule order, optionally one instrument."""
    return [(tp.code, code) for tp in protocol.timepoints for code in tp.instruments
            if instrument in (None, "", code)]


def _cells(participant_ids: list[int], instrument: str | None) -> dict[int, dict[tuple[str, str], Cell]]:
    current = sa.and_(Response.occasion_id == Occasion.id, Response.superseded.is_(False))
    stmt = sa.select(Occasion.participant_id, Occasion.timepoint, Occasion.instrument, Occasion.id,
                     Occasion.status, Occasion.reminders_sent, Response.id) \
        .outerjoin(Response, current).where(Occasion.participant_id.in_(participant_ids))
    if instrument:
        stmt = stmt.where(Occasion.instrument == instrument)
    out: dict[int, dict[tuple[str, str], Cell]] = {pid: {} for pid in participant_ids}
    for pid, tp, code, oid, status, reminded, response_id in db.session.execute(stmt):
        state = display_state(status, reminded, response_id is not None)
        out[pid][(tp, code)] = Cell(state, oid, response_id)
    return out


def site_summaries(staff: StaffUser, *, site: str | None, instrument: str | None,
                   now: datetime, protocol: Protocol | None = None) -> list[SiteSummary]:
    """Per site, from the completion figures the API and CSV give (`completion_figures`).

    expected so far = every occasion whose window has opened and is not cancelled; open now
    = open + overdue (a window closing within 24 h); missed includes missed before enrolment.
    """
    rows = completion_figures(staff, {"site": site, "instrument": instrument}, now=now,
                              protocol=protocol)
    out = []
    for code, group in itertools.groupby(sorted(rows, key=lambda r: r["site"]), key=lambda r: r["site"]):
        t = totals(group, site=code)
        out.append(SiteSummary(
            code, expected=t["total"] - t["not_yet_due"] - t["cancelled"], completed=t["completed"],
            partial=t["partial"], missed=t["missed"] + t["missed_before_enrolment"],
            open_now=t["open"] + t["overdue"], overdue=t["overdue"],
            missed_before_enrolment=t["missed_before_enrolment"], rate=t["rate"]))
    return out


def status_grid(staff: StaffUser, *, protocol: Protocol, site: str | None, instrument: str | None,
                page: int, per_page: int, now: datetime) -> Grid:
    """One page of the record status grid the caller may see."""
    require(staff, WORKSPACE_READERS, "see the record status grid")
    stmt = visible_participants(staff)
    if site:
        stmt = stmt.where(Participant.site_id.in_(sa.select(Site.id).where(Site.code == site)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    people = list(db.session.scalars(stmt.order_by(Participant.study_id)
                                     .offset((page - 1) * per_page).limit(per_page)))
    cells = _cells([p.id for p in people], instrument) if people else {}
    instruments = list(dict.fromkeys(code for tp in protocol.timepoints for code in tp.instruments))
    return Grid(grid_columns(protocol, instrument), [(p, cells.get(p.id, {})) for p in people],
                site_summaries(staff, site=site, instrument=instrument, now=now, protocol=protocol),
                total, page,
                per_page, instruments)
