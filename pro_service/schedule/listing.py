"""The participants list of the staff workspace: search, filters, progress counts per row.

A page costs a fixed number of statements whatever its size: the page of participants, their
occasion counts grouped in SQL, and the totals by status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.participants.service import visible_participants
from pro_service.schedule.domain.completion import OVERDUE_WITHIN
from pro_service.schedule.models import ACTIVE_STATUSES, Occasion, OccasionStatus
from pro_service.staff.models import Site, StaffUser
from pro_service.staff.policy import WORKSPACE_READERS, require


@dataclass(frozen=True)
class Progress:
    completed: int = 0
    missed: int = 0
    open: int = 0
    overdue: int = 0
    due_so_far: int = 0


@dataclass
class ParticipantPage:
    rows: list[tuple[Participant, Progress]]
    total: int
    page: int
    per_page: int
    by_status: dict[str, int] = field(default_factory=dict)
    overdue_total: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def overdue_condition(now: datetime) -> sa.ColumnElement[bool]:
    """Overdue as the completion reports count it (`schedule.domain.completion`): the window
    has opened, nothing is submitted, and it closes within 24 h."""
    return sa.and_(Occasion.status.in_((OccasionStatus.SCHEDULED, *ACTIVE_STATUSES)),
                   Occasion.opens_at <= now, Occasion.closes_at > now,
                   Occasion.closes_at <= now + OVERDUE_WITHIN)


def _filtered(staff: StaffUser, filters: dict[str, Any], now: datetime) -> sa.Select[tuple[Participant]]:
    stmt = visible_participants(staff)
    if q := (filters.get("q") or "").strip():
        stmt = stmt.where(Participant.study_id.contains(q, autoescape=True))
    if filters.get("site"):
        stmt = stmt.where(Participant.site_id.in_(sa.select(Site.id).where(Site.code == filters["site"])))
    if filters.get("status"):
        stmt = stmt.where(Participant.status == filters["status"])
    if filters.get("overdue"):
        stmt = stmt.where(Participant.id.in_(sa.select(Occasion.participant_id).where(overdue_condition(now))))
    return stmt


def progress_of(participant_ids: list[int], now: datetime) -> dict[int, Progress]:
    """Occasion counts per participant in one grouped statement (run even for an empty page, so a
    page's statements never depend on its rows)."""
    status = Occasion.status
    due = sa.and_(Occasion.opens_at <= now, status != OccasionStatus.CANCELLED)
    rows = db.session.execute(
        sa.select(Occasion.participant_id,
                  sa.func.sum(sa.case((status == OccasionStatus.COMPLETED, 1), else_=0)),
                  sa.func.sum(sa.case((status == OccasionStatus.MISSED, 1), else_=0)),
                  sa.func.sum(sa.case((status.in_(ACTIVE_STATUSES), 1), else_=0)),
                  sa.func.sum(sa.case((overdue_condition(now), 1), else_=0)),
                  sa.func.sum(sa.case((due, 1), else_=0)))
        .where(Occasion.participant_id.in_(participant_ids))
        .group_by(Occasion.participant_id)).all()
    return {pid: Progress(*(int(v or 0) for v in values)) for pid, *values in rows}


def list_participants(staff: StaffUser, *, filters: dict[str, Any], page: int, per_page: int,
                      now: datetime) -> ParticipantPage:
    """A page of the participants the caller may see, with progress and totals."""
    require(staff, WORKSPACE_READERS, "see participants")
    stmt = _filtered(staff, filters, now)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    people = list(db.session.scalars(stmt.order_by(Participant.study_id)
                                     .offset((page - 1) * per_page).limit(per_page)))
    progress = progress_of([p.id for p in people], now)
    visible = visible_participants(staff).subquery()
    by_status = dict(db.session.execute(sa.select(visible.c.status, sa.func.count())
                                        .group_by(visible.c.status)).tuples().all())
    overdue_total = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Occasion.participant_id)))
        .where(overdue_condition(now), Occasion.participant_id.in_(sa.select(visible.c.id)))) or 0
    return ParticipantPage([(p, progress.get(p.id, Progress())) for p in people], total, page,
                           per_page, by_status, overdue_total)
