"""Participant use cases: enrol, read (site-scoped), update, opt out/in, withdraw, find by phone.

Rooms above this one (schedule) react to enrolment changes through `hooks`, wired by the
application factory, so this room never imports them and their work joins the same transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, InvalidInput, NotFound
from pro_service.core.phones import normalise_mobile
from pro_service.extensions import db
from pro_service.participants.domain import (
    ANCHORS,
    LANGUAGES,
    Anchors,
    Channel,
    Status,
    anchor_problem,
    study_id_problem,
    timezone_problem,
)
from pro_service.participants.models import Participant
from pro_service.staff.models import Site, StaffUser
from pro_service.staff.policy import PARTICIPANT_WRITERS, require

UPDATABLE = ("language", "timezone", "channel", "quiet_start", "quiet_end", *ANCHORS)


@dataclass(frozen=True)
class Keys:
    data_key: str
    index_key: str


@dataclass
class Hooks:
    """Callbacks run inside the unit of work: (participant, now, reason)."""

    enrolled: list[Callable[[Participant, datetime], None]] = field(default_factory=list)
    anchors_changed: list[Callable[[Participant, datetime, str], None]] = field(default_factory=list)
    withdrawn: list[Callable[[Participant, datetime], None]] = field(default_factory=list)


hooks = Hooks()


def snapshot(p: Participant) -> dict[str, Any]:
    """The participant's fields for an audit event (the phone never appears)."""
    return {
        "study_id": p.study_id, "site": p.site.code if p.site else p.site_id,
        "language": p.language, "timezone": p.timezone, "status": p.status,
        "channel": p.channel, "quiet_start": _iso(p.quiet_start), "quiet_end": _iso(p.quiet_end),
        **{a: _iso(getattr(p, a)) for a in ANCHORS},
    }


def phone_of(p: Participant, keys: Keys) -> str:
    """Decrypt the participant's phone number (for sending and for site staff)."""
    return crypto.decrypt(p.phone_enc, keys.data_key, "participant.phone")


def enrol_participant(data: dict[str, Any], *, keys: Keys, now: datetime, actor: str,
                      staff: StaffUser | None = None) -> Participant:
    """Enrol one participant after validating every field."""
    if staff is not None:
        require(staff, PARTICIPANT_WRITERS, "enrol participants")
    with unit_of_work() as session:
        site = session.scalar(sa.select(Site).where(Site.code == data.get("site")))
        if site is None or (staff is not None and not _may_see_site(staff, site.id)):
            raise InvalidInput(f"unknown site {data.get('site')!r}")
        e164, fields = validate_new(data, site)
        index = crypto.blind_index(e164, keys.index_key, "phone")
        if session.scalar(sa.select(Participant.id).where(Participant.study_id == fields["study_id"])):
            raise Conflict(f"study id {fields['study_id']} is already enrolled")
        if session.scalar(sa.select(Participant.id).where(Participant.phone_index == index)):
            raise Conflict("this phone number is already enrolled")
        p = Participant(site=site, phone_enc=crypto.encrypt(e164, keys.data_key, "participant.phone"),
                        phone_index=index, created_at=now, updated_at=now, status=Status.ACTIVE,
                        **fields)
        session.add(p)
        session.flush()
        record_event(actor=actor, action="participant.enrol", entity_type="participant",
                     entity_id=p.study_id, now=now, after=snapshot(p))
        for hook in hooks.enrolled:
            hook(p, now)
        return p


def validate_new(data: dict[str, Any], site: Site) -> tuple[str, dict[str, Any]]:
    """Check a new participant's fields; return the E.164 phone and the model fields."""
    problem = study_id_problem(data.get("study_id", ""))
    if problem:
        raise InvalidInput(problem, field="study_id")
    e164 = normalise_mobile(str(data.get("phone", "")))
    fields: dict[str, Any] = {"study_id": data["study_id"],
                              "language": data.get("language") or "zh-CN",
                              "timezone": data.get("timezone") or site.timezone,
                              "channel": data.get("channel") or Channel.SMS_CHAT}
    for name in ("quiet_start", "quiet_end", *ANCHORS):
        if data.get(name) is not None:
            fields[name] = data[name]
    _check_fields(fields)
    if problem := anchor_problem(Anchors(**{a: fields.get(a) for a in ANCHORS})):
        raise InvalidInput(problem)
    return e164, fields


def _check_fields(fields: dict[str, Any]) -> None:
    if "language" in fields and fields["language"] not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}", field="language")
    if "timezone" in fields and (problem := timezone_problem(fields["timezone"])):
        raise InvalidInput(problem, field="timezone")
    if "channel" in fields and fields["channel"] not in set(Channel):
        raise InvalidInput(f"channel must be one of {', '.join(Channel)}", field="channel")
    for name in ("quiet_start", "quiet_end"):
        if name in fields and not isinstance(fields[name], time):
            raise InvalidInput(f"{name} must be a time HH:MM", field=name)
    for name in ANCHORS:
        if fields.get(name) is not None and not isinstance(fields[name], date):
            raise InvalidInput(f"{name} must be a date YYYY-MM-DD", field=name)


def visible_participants(staff: StaffUser) -> sa.Select[tuple[Participant]]:
    """The query of participants this staff user may see (site scoping lives here)."""
    stmt = sa.select(Participant)
    if not staff.all_sites:
        stmt = stmt.where(Participant.site_id.in_(staff.site_ids or {-1}))
    return stmt


def get_participant(study_id: str, staff: StaffUser) -> Participant:
    """One participant, or NotFound when absent or outside the caller's sites."""
    p = db.session.scalar(visible_participants(staff).where(Participant.study_id == study_id))
    if p is None:
        raise NotFound(f"no participant {study_id}")
    return p


def list_participants(staff: StaffUser, *, page: int, per_page: int,
                      filters: dict[str, Any]) -> tuple[list[Participant], int]:
    """A page of visible participants, filtered by site, status, language or channel."""
    stmt = visible_participants(staff)
    if filters.get("site"):
        stmt = stmt.join(Site).where(Site.code == filters["site"])
    for name in ("status", "language", "channel"):
        if filters.get(name):
            stmt = stmt.where(getattr(Participant, name) == filters[name])
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Participant.study_id)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def update_participant(study_id: str, changes: dict[str, Any], *, staff: StaffUser,
                       now: datetime, reason: str | None) -> Participant:
    """Change preferences or anchor dates; anchor changes need a reason."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
    require(staff, PARTICIPANT_WRITERS, "change participants")
    with unit_of_work():
        p = get_participant(study_id, staff)
        _check_fields(changes)
        anchors_changed = any(a in changes and changes[a] != getattr(p, a) for a in ANCHORS)
        if anchors_changed and not reason:
            raise InvalidInput("changing an anchor date needs a reason", field="reason")
        merged = Anchors(**{a: changes.get(a, getattr(p, a)) for a in ANCHORS})
        if problem := anchor_problem(merged):
            raise InvalidInput(problem)
        before = snapshot(p)
        for name, value in changes.items():
            setattr(p, name, value)
        p.updated_at = now
        record_event(actor=f"staff:{staff.id}", action="participant.update",
                     entity_type="participant", entity_id=p.study_id, now=now,
                     before=before, after=snapshot(p), reason=reason)
        if anchors_changed:
            for hook in hooks.anchors_changed:
                hook(p, now, reason or "")
        return p


def set_sms_opt_out(p: Participant, *, opted_out: bool, now: datetime, actor: str,
                    reason: str | None = None) -> bool:
    """Opt a participant out of (or back into) SMS; returns False when nothing changed."""
    if p.status == Status.WITHDRAWN:
        raise Conflict("participant has withdrawn")
    target = Status.OPTED_OUT if opted_out else Status.ACTIVE
    if p.status == target:
        return False
    with unit_of_work():
        before = snapshot(p)
        p.status = target
        p.sms_opted_out_at = now if opted_out else None
        p.updated_at = now
        record_event(actor=actor, action="participant.opt_out" if opted_out else "participant.opt_in",
                     entity_type="participant", entity_id=p.study_id, now=now,
                     before=before, after=snapshot(p), reason=reason)
    return True


def withdraw_participant(study_id: str, *, staff: StaffUser, now: datetime, reason: str) -> Participant:
    """Withdraw a participant: nothing more is scheduled or sent."""
    if not reason:
        raise InvalidInput("withdrawal needs a reason", field="reason")
    require(staff, PARTICIPANT_WRITERS, "withdraw participants")
    with unit_of_work():
        p = get_participant(study_id, staff)
        if p.status == Status.WITHDRAWN:
            raise Conflict(f"{study_id} has already withdrawn")
        before = snapshot(p)
        p.status = Status.WITHDRAWN
        p.withdrawn_at = now
        p.updated_at = now
        record_event(actor=f"staff:{staff.id}", action="participant.withdraw",
                     entity_type="participant", entity_id=p.study_id, now=now,
                     before=before, after=snapshot(p), reason=reason)
        for hook in hooks.withdrawn:
            hook(p, now)
        return p


def find_by_phone(e164: str, keys: Keys) -> Participant | None:
    """Find a participant from an inbound number through the blind index."""
    index = crypto.blind_index(e164, keys.index_key, "phone")
    return db.session.scalar(sa.select(Participant).where(Participant.phone_index == index))


def lock_by_phone_and(e164: str, keys: Keys, extra: sa.ColumnElement[Any],
                      params: dict[str, Any] | None = None) -> tuple[Participant, Any] | None:
    """Find the participant by phone and take their row lock until commit, in one statement
    (the inbound SMS hot path), reading `extra` too (an expression about the participant's
    row, such as an EXISTS, built once by its owner; `params` fills its bound parameters).

    Re-reads the row (a concurrent writer may have changed it while we waited); None when no
    participant has this number.
    """
    index = crypto.blind_index(e164, keys.index_key, "phone")
    row = db.session.execute(lock_by_phone_statement(extra),
                             {**(params or {}), "phone_index": index}).first()
    return (row[0], row[1]) if row else None


@functools.cache
def lock_by_phone_statement(extra: sa.ColumnElement[Any]) -> sa.Select[Any]:
    """The statement of `lock_by_phone_and` (bound parameter `phone_index`; `extra` is labelled
    "extra"), for a caller that runs it inside a larger statement. Built once per `extra`: the
    hot path skips statement construction and its cache key."""
    return (sa.select(Participant, extra.label("extra"))
            .where(Participant.phone_index == sa.bindparam("phone_index"))
            .with_for_update(of=Participant).execution_options(populate_existing=True))


def lock_participant(participant_id: int) -> Participant:
    """Take the participant's row lock until commit, so one participant has one writer at a time.

    Re-reads the row (a concurrent writer may have changed it while we waited). PostgreSQL holds
    a row lock; SQLite's BEGIN IMMEDIATE already serialises every writer.
    """
    stmt = (sa.select(Participant).where(Participant.id == participant_id)
            .with_for_update(of=Participant).execution_options(populate_existing=True))
    return db.session.scalars(stmt).one()


def _may_see_site(staff: StaffUser, site_id: int) -> bool:
    return staff.all_sites or site_id in staff.site_ids


def _iso(value: date | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def staff_set_opt_out(study_id: str, *, opted_out: bool, staff: StaffUser, now: datetime,
                      reason: str) -> Participant:
    """Staff record a participant's SMS opt-out or opt-in."""
    require(staff, PARTICIPANT_WRITERS, "record opt-outs")
    with unit_of_work():
        p = get_participant(study_id, staff)
        set_sms_opt_out(p, opted_out=opted_out, now=now, actor=f"staff:{staff.id}", reason=reason)
        return p
