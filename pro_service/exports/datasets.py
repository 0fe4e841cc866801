"""Dataset use cases beyond scores and QS: item-level answers, wide rows, safety listing.

All read "as of" the request's cut (see `service`): occasions and participants that existed
by then, each occasion's latest response version submitted by then, alert steps taken by then.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from pro_service.exports.domain.catalog import Dataset, wide_dataset
from pro_service.exports.domain.items import (
    OccasionRecord,
    completion_cell,
    instrument_scales,
    item_rows,
    wide_row,
)
from pro_service.exports.domain.listing import AlertRecord, alert_row
from pro_service.exports.service import (
    as_it_was,
    as_of_of,
    batches_with_states,
    latest_versions,
    stream,
)
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument
from pro_service.participants.models import Participant
from pro_service.responses.completion import in_protocol_order
from pro_service.responses.models import Response, Score
from pro_service.safety.models import SafetyAlert
from pro_service.schedule.domain.completion import add, empty_figures
from pro_service.schedule.domain.protocol import Protocol
from pro_service.schedule.models import Occasion
from pro_service.staff.models import Site, StaffUser

_current = aliased(Response, name="current_version")
_first = aliased(Response, name="first_version")


def _occasion_query(filters: Mapping[str, Any]) -> sa.Select[Any]:
    as_of = as_of_of(filters)
    latest = latest_versions(as_of)
    stmt = (sa.select(
        Participant.study_id, Site.code.label("site"), Participant.timezone, Participant.baseline,
        Participant.created_at.label("enrolled_at"), Participant.withdrawn_at, Occasion.timepoint,
        Occasion.target_date, Occasion.instrument, Occasion.opens_at, Occasion.closes_at,
        Occasion.status, Occasion.ended_at, _current.id.label("response_id"),
        _current.status.label("response_status"), _current.answers, _current.provenance,
        _current.version, _current.instrument_version, _first.channel,
        _first.submitted_at.label("completed_at"))
        .select_from(Occasion).join(Participant, Participant.id == Occasion.participant_id)
        .join(Site, Site.id == Participant.site_id)
        .outerjoin(latest, latest.c.occasion_id == Occasion.id)
        .outerjoin(_current, sa.and_(_current.occasion_id == Occasion.id,
                                     _current.version == latest.c.version))
        .outerjoin(_first, sa.and_(_first.occasion_id == Occasion.id, _first.version == 1,
                                   _first.submitted_at <= as_of))
        .where(Occasion.created_at <= as_of))
    for name, column in (("timepoint", Occasion.timepoint), ("instrument", Occasion.instrument)):
        if filters.get(name):
            stmt = stmt.where(column == filters[name])
    if filters.get("since"):
        stmt = stmt.where(_first.submitted_at >= filters["since"])
    if filters.get("until"):
        stmt = stmt.where(_first.submitted_at < filters["until"])
    return stmt.order_by(Participant.study_id, Occasion.target_date, Occasion.timepoint,
                         Occasion.instrument)


def occasions(staff: StaffUser, filters: Mapping[str, Any]) -> Iterator[OccasionRecord]:
    """Every occasion scheduled by the cut on the caller's participants, with its responses."""
    stmt = _occasion_query(filters)
    for ids, past in batches_with_states(staff, filters):
        rows = (OccasionRecord(**as_it_was(row, past)) for row in stream(
            stmt.where(Participant.id.in_(ids))))
        # Windows moved after the cut are read back as they were: order by those.
        for _, subject in itertools.groupby(rows, key=lambda o: o.study_id):
            yield from sorted(subject, key=_order)


def completion_at(staff: StaffUser, filters: Mapping[str, Any], *,
                  protocol: Protocol) -> list[dict[str, Any]]:
    """Completion figures as they stood at the cut `filters["as_of"]` (same rows and states as
    `completion_figures`, which reads the occasions as they are now).

    Occasions, windows and participants are read as they were at the cut (those created later
    are left out, windows moved later are read back); an occasion completed after the cut is
    open, overdue or missed in it. The channel is the first response version's, as in the
    item and wide datasets.
    """
    as_of = as_of_of(filters)
    figures: dict[tuple[str, str, str], dict[str, Any]] = {}
    for occ in occasions(staff, filters):
        key = (occ.site, occ.timepoint, occ.instrument)
        add(figures.setdefault(key, empty_figures(*key)), completion_cell(occ, as_of),
            closed=occ.closes_at <= as_of, channel=occ.channel, count=1)
    return in_protocol_order(figures, protocol)


def _order(occ: OccasionRecord) -> tuple[Any, ...]:
    return (occ.target_date, occ.timepoint, occ.instrument)


def iter_item_rows(staff: StaffUser, filters: Mapping[str, Any], *,
                   instruments: Mapping[str, Instrument]) -> Iterator[dict[str, Any]]:
    """One row per item of every occasion scheduled by the cut, answered or with its code."""
    as_of = as_of_of(filters)
    for occ in occasions(staff, filters):
        instrument = instruments.get(occ.instrument)
        if instrument is not None:
            yield from item_rows(occ, instrument, as_of)


def wide_spec(instruments: Mapping[str, Instrument]) -> Dataset:
    """The wide dataset's variables for the loaded instruments."""
    return wide_dataset(instruments, _scales(instruments))


def _scales(instruments: Mapping[str, Instrument]) -> dict[str, tuple[str, ...]]:
    return {code: instrument_scales(inst) for code, inst in instruments.items()}


def _scores_of(response_ids: list[int]) -> dict[int, dict[str, float | None]]:
    out: dict[int, dict[str, float | None]] = {}
    for start in range(0, len(response_ids), 500):
        chunk = response_ids[start:start + 500]
        for rid, scale, value in db.session.execute(
                sa.select(Score.response_id, Score.scale, Score.value)
                .where(Score.response_id.in_(chunk))):
            out.setdefault(rid, {})[scale] = value
    return out


def iter_wide_rows(staff: StaffUser, filters: Mapping[str, Any], *, protocol: Protocol,
                   instruments: Mapping[str, Instrument]) -> Iterator[dict[str, Any]]:
    """One row per participant and timepoint with every instrument's status, scores and items."""
    as_of = as_of_of(filters)
    visitnum = {t.code: n for n, t in enumerate(protocol.timepoints, start=1)}
    scales = _scales(instruments)
    stmt = _occasion_query(filters)
    for ids, past in batches_with_states(staff, filters):
        batch = [OccasionRecord(**as_it_was(r, past))
                 for r in stream(stmt.where(Participant.id.in_(ids)))]
        batch.sort(key=lambda o: (o.study_id, *_order(o)))
        scores = _scores_of([o.response_id for o in batch if o.response_id is not None])
        for (_, timepoint), group in itertools.groupby(batch, key=lambda o: (o.study_id,
                                                                             o.timepoint)):
            yield wide_row(group, visitnum=visitnum.get(timepoint), instruments=instruments,
                           scores=scores, scales=scales, as_of=as_of)


def iter_safety_rows(staff: StaffUser, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every alert raised by the cut on the caller's participants, by participant then time."""
    as_of = as_of_of(filters)
    stmt = (sa.select(SafetyAlert.code, Participant.study_id, Site.code.label("site"),
                      SafetyAlert.source, SafetyAlert.category, SafetyAlert.urgency,
                      SafetyAlert.created_at, SafetyAlert.ack_at, SafetyAlert.ack_via,
                      SafetyAlert.triaged_at, SafetyAlert.triage, SafetyAlert.meddra_term,
                      SafetyAlert.sae_report_due_at)
            .join(Participant, Participant.id == SafetyAlert.participant_id)
            .join(Site, Site.id == SafetyAlert.site_id)
            .where(SafetyAlert.created_at <= as_of)
            .order_by(Participant.study_id, SafetyAlert.created_at, SafetyAlert.id))
    if filters.get("since"):
        stmt = stmt.where(SafetyAlert.created_at >= filters["since"])
    if filters.get("until"):
        stmt = stmt.where(SafetyAlert.created_at < filters["until"])
    for ids, states in batches_with_states(staff, filters):
        for row in stream(stmt.where(Participant.id.in_(ids))):
            yield alert_row(AlertRecord(**as_it_was(row, states)), as_of)

