"""Export use cases: long-format scores, SDTM QS items and completion, scoped to the caller.

Every read is "as of" a data cut: a participant counts once enrolled by then, and an
occasion's current response is its latest version submitted by then (versions are
append-only), so a past cut reads the same however much data arrived since. Only complete
current responses feed scores and QS; a corrected response keeps the first submission's
completion time and channel. Streams read a batch of
participants at a time with `yield_per` and end the read transaction between batches, so a
slow download never holds a snapshot (or SQLite's lock) for the whole file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from pro_service.audit import service as audit
from pro_service.exports.domain.rows import BASELINE_TIMEPOINT, ScoreRecord, score_row
from pro_service.exports.domain.sdtm_qs import QSCAT, QsResponse, qs_instrument, qs_rows, visits
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument
from pro_service.participants.models import Participant
from pro_service.participants.service import visible_participants
from pro_service.responses.completion import completion_figures
from pro_service.responses.models import Response, Score
from pro_service.schedule.domain.protocol import Protocol
from pro_service.schedule.models import Occasion
from pro_service.staff.models import Site, StaffUser

PARTICIPANTS_PER_BATCH = 200
ROWS_PER_FETCH = 1000

# Version 1 of an occasion's response: when and how the participant first completed it.
_first = aliased(Response, name="first_version")


def as_of_of(filters: Mapping[str, Any]) -> datetime:
    """The data cut of a request (the service's caller fills in now when none was asked)."""
    as_of = filters.get("as_of")
    if not isinstance(as_of, datetime):
        raise ValueError("exports need an as_of instant")
    return as_of


def visible_ids(staff: StaffUser, as_of: datetime) -> sa.Select[tuple[int]]:
    """Participants the caller may see who were enrolled by the cut."""
    return (visible_participants(staff).with_only_columns(Participant.id)
            .where(Participant.created_at <= as_of))


def latest_versions(as_of: datetime) -> sa.Subquery:
    """Per occasion, the highest response version submitted by the cut."""
    return (sa.select(Response.occasion_id, sa.func.max(Response.version).label("version"))
            .where(Response.submitted_at <= as_of).group_by(Response.occasion_id)
            .subquery("latest"))


def _current_complete(stmt: sa.Select[Any], as_of: datetime) -> sa.Select[Any]:
    """Join a select over Response to its occasion, participant, site and first version."""
    latest = latest_versions(as_of)
    return (stmt.join(latest, sa.and_(latest.c.occasion_id == Response.occasion_id,
                                      latest.c.version == Response.version))
            .join(Occasion, Occasion.id == Response.occasion_id)
            .join(Participant, Participant.id == Response.participant_id)
            .join(Site, Site.id == Participant.site_id)
            .join(_first, sa.and_(_first.occasion_id == Response.occasion_id, _first.version == 1))
            .where(Response.status == "complete"))


def _baseline_scores(as_of: datetime) -> sa.Subquery:
    """Each participant's BL score per instrument and scale, as current at the cut."""
    latest = latest_versions(as_of)
    return (sa.select(Response.participant_id, Response.instrument, Score.scale,
                      Score.value.label("value"))
            .join(latest, sa.and_(latest.c.occasion_id == Response.occasion_id,
                                  latest.c.version == Response.version))
            .join(Score, Score.response_id == Response.id)
            .join(Occasion, Occasion.id == Response.occasion_id)
            .where(Occasion.timepoint == BASELINE_TIMEPOINT, Response.status == "complete")
            .subquery("baseline_scores"))


def _score_query(staff: StaffUser, filters: Mapping[str, Any]) -> sa.Select[Any]:
    as_of = as_of_of(filters)
    bl = _baseline_scores(as_of)
    stmt = _current_complete(sa.select(
        Participant.study_id, Site.code.label("site"), Participant.timezone, Participant.baseline,
        Occasion.timepoint, Occasion.target_date, Occasion.opens_at, Occasion.closes_at,
        _first.submitted_at.label("completed_at"), _first.channel.label("channel"),
        Response.instrument, Score.scale, Score.value, Score.algorithm_id,
        bl.c.value.label("baseline_value"), Response.version, Response.completed_on,
    ).select_from(Score).join(Response, Response.id == Score.response_id), as_of)
    stmt = stmt.outerjoin(bl, sa.and_(bl.c.participant_id == Response.participant_id,
                                      bl.c.instrument == Response.instrument,
                                      bl.c.scale == Score.scale))
    stmt = stmt.where(Participant.id.in_(visible_ids(staff, as_of)))
    if filters.get("scale"):
        stmt = stmt.where(Score.scale == filters["scale"])
    return _filtered(stmt, filters).order_by(Participant.study_id, Occasion.target_date,
                                             Response.instrument, Score.id)


def _filtered(stmt: sa.Select[Any], filters: Mapping[str, Any]) -> sa.Select[Any]:
    if filters.get("site"):
        stmt = stmt.where(Site.code == filters["site"])
    if filters.get("instrument"):
        stmt = stmt.where(Response.instrument == filters["instrument"])
    if filters.get("timepoint"):
        stmt = stmt.where(Occasion.timepoint == filters["timepoint"])
    if filters.get("since"):
        stmt = stmt.where(_first.submitted_at >= filters["since"])
    if filters.get("until"):
        stmt = stmt.where(_first.submitted_at < filters["until"])
    return stmt




def score_page(staff: StaffUser, filters: Mapping[str, Any], *, page: int,
               per_page: int) -> tuple[list[dict[str, Any]], int]:
    """One page of long-format score rows the caller may see, and the total count."""
    stmt = _score_query(staff, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.execute(stmt.offset((page - 1) * per_page).limit(per_page)).all()
    past = past_of(sorted({r.study_id for r in rows}), as_of_of(filters))
    return [score_row(ScoreRecord(**as_it_was(r, past))) for r in rows], total


def participant_batches(staff: StaffUser, filters: Mapping[str, Any]) -> Iterator[list[int]]:
    """The caller's visible participants (optionally of one site) in study-id order, batched."""
    site = filters.get("site")
    stmt = visible_ids(staff, as_of_of(filters)).join(Site, Site.id == Participant.site_id)
    if site:
        stmt = stmt.where(Site.code == site)
    ids = list(db.session.scalars(stmt.order_by(Participant.study_id)))
    for start in range(0, len(ids), PARTICIPANTS_PER_BATCH):
        yield ids[start:start + PARTICIPANTS_PER_BATCH]


# Participant fields an export reads that staff may edit later (audited with before/after).
EDITABLE = {"timezone": "timezone", "baseline": "baseline", "infusion_1": "first_infusion",
            "site": "site"}


def participant_states(study_ids: list[str], as_of: datetime) -> dict[str, dict[str, Any]]:
    """Time zone, anchors and site of participants edited after the cut, as they were at it."""
    states = audit.states_before("participant", study_ids, "participant.update", as_of)
    out: dict[str, dict[str, Any]] = {}
    for study_id, before in states.items():
        fields: dict[str, Any] = {}
        for key, column in EDITABLE.items():
            if key not in before:
                continue
            value = before[key]
            if key in ("baseline", "infusion_1"):
                value = date.fromisoformat(value) if value else None
            fields[column] = value
        out[study_id] = fields
    return out


def occasion_windows(study_ids: list[str], as_of: datetime) -> dict[tuple[str, str, str],
                                                                     dict[str, Any]]:
    """Windows of occasions moved after the cut (anchor changes), as they were at it."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for study_id, before in audit.befores_after("participant", study_ids,
                                                "occasions.recompute", as_of):
        for w in before.get("moved", []):  # latest event first: the earliest one wins
            out[(study_id, w["timepoint"], w["instrument"])] = {
                "target_date": date.fromisoformat(w["target_date"]),
                "opens_at": datetime.fromisoformat(w["opens_at"]),
                "closes_at": datetime.fromisoformat(w["closes_at"]), "status": w["status"],
                "ended_at": datetime.fromisoformat(w["ended_at"]) if w["ended_at"] else None}
    return out


@dataclass(frozen=True)
class Past:
    """What staff edited in place after the cut, as it stood at the cut (from the audit log)."""

    participants: Mapping[str, Mapping[str, Any]]
    windows: Mapping[tuple[str, str, str], Mapping[str, Any]]


def as_it_was(row: sa.Row[Any], past: Past) -> dict[str, Any]:
    """A row's mapping with participant fields and occasion windows as they were at the cut."""
    data = dict(row._mapping)
    changes = dict(past.participants.get(data["study_id"], {}))
    if "instrument" in data and "timepoint" in data:
        changes.update(past.windows.get((data["study_id"], data["timepoint"],
                                         data["instrument"]), {}))
    for key, value in changes.items():
        if key in data:
            data[key] = value
    return data


def _study_ids(ids: list[int]) -> list[str]:
    return list(db.session.scalars(sa.select(Participant.study_id).where(Participant.id.in_(ids))))


def past_of(study_ids: list[str], as_of: datetime) -> Past:
    return Past(participant_states(study_ids, as_of), occasion_windows(study_ids, as_of))


def batches_with_states(staff: StaffUser, filters: Mapping[str, Any]
                        ) -> Iterator[tuple[list[int], Past]]:
    """Participant batches, each with what was edited in place after the cut."""
    as_of = as_of_of(filters)
    for ids in participant_batches(staff, filters):
        yield ids, past_of(_study_ids(ids), as_of)


def stream(stmt: sa.Select[Any]) -> Iterator[sa.Row[Any]]:
    """Fetch a batch's rows `ROWS_PER_FETCH` at a time, then end the read transaction."""
    yield from db.session.execute(stmt, execution_options={"yield_per": ROWS_PER_FETCH})
    _end_read_transaction()


def _end_read_transaction() -> None:
    session = db.session
    if not session.info.get("uow_depth") and not (session.new or session.dirty or session.deleted):
        session.rollback()


def iter_score_rows(staff: StaffUser, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every long-format score row the caller may see, a batch of participants at a time."""
    stmt = _score_query(staff, filters)
    for ids, states in batches_with_states(staff, filters):
        for row in stream(stmt.where(Participant.id.in_(ids))):
            yield score_row(ScoreRecord(**as_it_was(row, states)))


def _qs_query(instruments: Sequence[str], as_of: datetime) -> sa.Select[Any]:
    """Every QS response of a subject (filters apply to rows later: QSSEQ and QSBLFL need all)."""
    stmt = _current_complete(sa.select(
        Participant.study_id, Participant.timezone, Participant.baseline,
        Participant.infusion_1.label("first_infusion"), Response.instrument,
        Occasion.timepoint, _first.submitted_at.label("completed_at"), Response.answers,
    ).select_from(Response), as_of).where(Response.instrument.in_(instruments))
    return stmt.order_by(Participant.study_id, _first.submitted_at, Response.instrument,
                         Response.id)


def _qs_keep(filters: Mapping[str, Any]) -> Callable[[QsResponse], bool]:
    """A predicate over responses for the request's timepoint, instrument and date filters."""
    def keep(resp: QsResponse) -> bool:
        return ((not filters.get("timepoint") or resp.timepoint == filters["timepoint"])
                and (not filters.get("instrument") or resp.instrument == filters["instrument"])
                and (not filters.get("since") or resp.completed_at >= filters["since"])
                and (not filters.get("until") or resp.completed_at < filters["until"]))
    return keep


def iter_qs_rows(staff: StaffUser, filters: Mapping[str, Any], *, protocol: Protocol,
                 instruments: Mapping[str, Instrument]) -> Iterator[dict[str, Any]]:
    """Item-level SDTM QS rows the caller may see, QSSEQ numbered per subject from 1."""
    specs = {code: qs_instrument(instruments[code]) for code in QSCAT if code in instruments}
    visit_of = visits((t.code, t.label) for t in protocol.timepoints)
    stmt = _qs_query(sorted(specs), as_of_of(filters))
    keep = _qs_keep(filters)
    for ids, states in batches_with_states(staff, filters):
        rows = stream(stmt.where(Participant.id.in_(ids)))
        for _, subject in itertools.groupby(rows, key=lambda r: r.study_id):
            responses = (QsResponse(**as_it_was(r, states)) for r in subject)
            yield from qs_rows(protocol.code, responses, specs, visit_of, keep=keep)


def completion_rows(staff: StaffUser, filters: Mapping[str, Any], *, now: datetime,
                    protocol: Protocol) -> list[dict[str, Any]]:
    """Completion figures by site, timepoint and instrument (keys: `completion.COLUMNS`).

    The one source is `responses.completion.completion_figures`, which the dashboard grid
    uses too: not yet due, open, overdue, completed by channel, partial, missed, missed
    before enrolment, cancelled; the rate is over windows that have closed.
    """
    return completion_figures(staff, filters, now=now, protocol=protocol)
