"""Completion figures by site, timepoint and instrument: the one source for API, CSV and grid.

`completion_figures` groups occasions in SQL by the facts classification needs (status,
window position at `now`, partial answers, first completing channel), so its cost follows
the number of groups, not of occasions; `schedule.domain.completion` turns them into states.
`occasion_cells` gives the same state per occasion for a grid of participants × timepoints.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.participants.service import visible_participants
from pro_service.responses.models import Response, ResponseDraft
from pro_service.schedule.domain.completion import (
    OVERDUE_WITHIN,
    Cell,
    Facts,
    add,
    classify,
    empty_figures,
    with_rate,
)
from pro_service.schedule.domain.protocol import Protocol
from pro_service.schedule.models import Occasion
from pro_service.staff.models import Site, StaffUser

FILTERS = ("site", "timepoint", "instrument")


def _facts_columns(now: datetime) -> list[sa.ColumnElement[Any]]:
    partial = sa.or_(
        sa.exists().where(Response.occasion_id == Occasion.id, Response.status == "partial"),
        sa.exists().where(ResponseDraft.occasion_id == Occasion.id))
    channel = (sa.select(Response.channel).where(Response.occasion_id == Occasion.id,
                                                 Response.status == "complete")
               .order_by(Response.version).limit(1).scalar_subquery())
    return [Occasion.status.label("status"), (Occasion.opens_at > now).label("not_yet_open"),
            (Occasion.closes_at <= now).label("closed"),
            (Occasion.closes_at <= now + OVERDUE_WITHIN).label("closing_soon"),
            partial.label("has_partial"), channel.label("channel")]


def _scoped(stmt: sa.Select[Any], staff: StaffUser, filters: Mapping[str, Any]) -> sa.Select[Any]:
    visible = visible_participants(staff).with_only_columns(Participant.id)
    stmt = (stmt.join(Participant, Participant.id == Occasion.participant_id)
            .join(Site, Site.id == Participant.site_id).where(Participant.id.in_(visible)))
    for name, column in zip(FILTERS, (Site.code, Occasion.timepoint, Occasion.instrument),
                            strict=True):
        if filters.get(name):
            stmt = stmt.where(column == filters[name])
    if filters.get("study_ids") is not None:
        stmt = stmt.where(Participant.study_id.in_(filters["study_ids"]))
    return stmt


def _facts(row: Mapping[str, Any]) -> Facts:
    return Facts(status=row["status"], not_yet_open=bool(row["not_yet_open"]),
                 closed=bool(row["closed"]), closing_soon=bool(row["closing_soon"]),
                 has_partial=bool(row["has_partial"]))


def completion_figures(staff: StaffUser, filters: Mapping[str, Any], *, now: datetime,
                       protocol: Protocol | None = None) -> list[dict[str, Any]]:
    """Figures per site × timepoint × instrument the caller may see (`COLUMNS` keys), protocol order.

    Filters: site, timepoint, instrument (codes). Groups with no occasion are left out.
    """
    inner = _scoped(sa.select(Site.code.label("site"), Occasion.timepoint, Occasion.instrument,
                              *_facts_columns(now)).select_from(Occasion), staff, filters).subquery()
    stmt = sa.select(*inner.c, sa.func.count().label("n")).group_by(*inner.c)
    figures: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in db.session.execute(stmt).mappings():
        key = (row["site"], row["timepoint"], row["instrument"])
        target = figures.setdefault(key, empty_figures(*key))
        add(target, classify(_facts(row)), closed=bool(row["closed"]), channel=row["channel"],
            count=int(row["n"]))
    return in_protocol_order(figures, protocol)


def in_protocol_order(figures: Mapping[tuple[str, str, str], dict[str, Any]],
                      protocol: Protocol | None) -> list[dict[str, Any]]:
    """Figures rows by site, then the protocol's timepoint order, then instrument, with rates."""
    order = {t.code: n for n, t in enumerate(protocol.timepoints)} if protocol else {}
    keys = sorted(figures, key=lambda k: (k[0], order.get(k[1], len(order)), k[1], k[2]))
    return [with_rate(figures[k]) for k in keys]


def occasion_cells(staff: StaffUser, filters: Mapping[str, Any], *,
                   now: datetime) -> dict[int, tuple[Cell, str | None]]:
    """Each visible occasion's report state and completing channel, by occasion id (for a grid).

    Filters as `completion_figures`, plus `study_ids` (an iterable) to bound a page.
    """
    stmt = _scoped(sa.select(Occasion.id, *_facts_columns(now)).select_from(Occasion), staff,
                   filters)
    return {row["id"]: (classify(_facts(row)), row["channel"])
            for row in db.session.execute(stmt).mappings()}

