"""On-call rota use cases: keep a site's shifts, say who is on call now and where the gaps are.

Admins (any site) and the site's investigators keep the rota, in the dashboard or by CLI
(`flask --app wsgi rota …`, actor `system:cli`). Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from pro_service.audit.service import record_event
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Forbidden, InvalidInput, NotFound
from pro_service.extensions import db
from pro_service.safety.domain.rota import (
    Shift,
    format_weekdays,
    on_call,
    parse_clock,
    parse_weekdays,
    uncovered_hours,
)
from pro_service.safety.models import OnCallShift
from pro_service.staff.models import Role, Site, StaffUser

ON_CALL_ROLES = (Role.COORDINATOR, Role.INVESTIGATOR)


@dataclass(frozen=True)
class RotaLine:
    shift: OnCallShift
    staff: StaffUser
    has_phone: bool


def may_edit_rota(staff: StaffUser, site_id: int) -> bool:
    """Admins keep every site's rota; investigators keep their own sites'."""
    return staff.role == Role.ADMIN or (staff.role == Role.INVESTIGATOR and site_id in staff.site_ids)


def _check_editor(editor: StaffUser | None, site: Site) -> str:
    if editor is None:
        return "system:cli"
    if not may_edit_rota(editor, site.id):
        raise Forbidden(f"the {editor.role} role may not change the on-call rota of site {site.code}")
    return f"staff:{editor.id}"


def add_shift(*, site: Site, staff: StaffUser, weekdays: str, start: str, end: str, now: datetime,
              editor: StaffUser | None = None) -> OnCallShift:
    """Put a coordinator or investigator of the site on call on weekdays from start to end (local)."""
    actor = _check_editor(editor, site)
    try:
        days, begin, finish = parse_weekdays(weekdays), parse_clock(start), parse_clock(end)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if staff.role not in ON_CALL_ROLES or site.id not in staff.site_ids or not staff.active:
        raise InvalidInput(f"{staff.email} is not an active coordinator or investigator of site {site.code}")
    with unit_of_work() as session:
        row = OnCallShift(site_id=site.id, staff_id=staff.id, weekdays=format_weekdays(days),
                          start_time=f"{begin:%H:%M}", end_time=f"{finish:%H:%M}", created_at=now,
                          created_by=actor)
        session.add(row)
        session.flush()
        record_event(actor=actor, action="rota.add", entity_type="on_call_shift", entity_id=row.id,
                     now=now, after=_snapshot(row))
        return row


def remove_shift(*, shift_id: int, now: datetime, editor: StaffUser | None = None) -> None:
    """Take a shift off the rota (audited with what it was)."""
    with unit_of_work() as session:
        row = session.get(OnCallShift, shift_id)
        if row is None:
            raise NotFound(f"no on-call shift {shift_id}")
        actor = _check_editor(editor, session.get(Site, row.site_id))  # type: ignore[arg-type]
        before = _snapshot(row)
        session.delete(row)
        record_event(actor=actor, action="rota.remove", entity_type="on_call_shift",
                     entity_id=shift_id, now=now, before=before)


def _snapshot(row: OnCallShift) -> dict[str, object]:
    return {"site_id": row.site_id, "staff_id": row.staff_id, "weekdays": row.weekdays,
            "start": row.start_time, "end": row.end_time}


def _shifts(site_id: int) -> list[tuple[OnCallShift, StaffUser]]:
    return list(db.session.execute(
        sa.select(OnCallShift, StaffUser).join(StaffUser, StaffUser.id == OnCallShift.staff_id)
        .where(OnCallShift.site_id == site_id).order_by(OnCallShift.id)
        .options(lazyload(StaffUser.sites))).tuples())  # their sites only when asked for


def _domain(row: OnCallShift) -> Shift:
    return Shift(staff_id=row.staff_id, weekdays=parse_weekdays(row.weekdays),
                 start=parse_clock(row.start_time), end=parse_clock(row.end_time))


def rota_lines(site_id: int) -> list[RotaLine]:
    """The site's shifts in rota order, with whether each person can be texted."""
    return [RotaLine(shift, staff, staff.alert_phone_enc is not None and staff.active)
            for shift, staff in _shifts(site_id)]


def on_call_now(site_id: int, now: datetime) -> list[StaffUser]:
    """Active staff with an alert phone who are on call at `now` (rota order)."""
    site = db.session.get(Site, site_id)
    rows = [(s, u) for s, u in _shifts(site_id) if u.active and u.alert_phone_enc is not None]
    ids = on_call([_domain(s) for s, _ in rows], now, site.timezone if site else "Asia/Shanghai")
    people = {u.id: u for _, u in rows}
    return [people[i] for i in ids]


def rota_gaps(site_id: int, now: datetime) -> list[tuple[int, int]]:
    """(weekday, hour) slots of the current local week when nobody reachable is on call."""
    site = db.session.get(Site, site_id)
    shifts = [_domain(s) for s, u in _shifts(site_id) if u.active and u.alert_phone_enc is not None]
    return uncovered_hours(shifts, site.timezone if site else "Asia/Shanghai", now)


def staff_by_email(email: str) -> StaffUser:
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no staff user {email}")
    return user


def site_by_code(code: str) -> Site:
    site = db.session.scalar(sa.select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"no site {code}")
    return site


def staff_by_id(staff_id: int) -> StaffUser:
    user = db.session.get(StaffUser, staff_id)
    if user is None:
        raise NotFound(f"no staff user {staff_id}")
    return user


def visible_sites(staff: StaffUser) -> list[Site]:
    """The sites whose rota the caller may see (their own; all for all-site roles)."""
    stmt = sa.select(Site).order_by(Site.code)
    if not staff.all_sites:
        stmt = stmt.where(Site.id.in_(staff.site_ids or {-1}))
    return list(db.session.scalars(stmt))


def on_call_candidates(site_id: int) -> list[StaffUser]:
    """Active coordinators and investigators of the site (who can be put on call)."""
    from pro_service.staff.models import staff_sites

    return list(db.session.scalars(sa.select(StaffUser).join(staff_sites).where(
        staff_sites.c.site_id == site_id, StaffUser.active.is_(True),
        StaffUser.role.in_([r.value for r in ON_CALL_ROLES])).order_by(StaffUser.name)))


def sites_without_on_call(staff: StaffUser, now: datetime) -> list[Site]:
    """The caller's sites where nobody reachable is on call at `now` (two statements in all)."""
    sites = visible_sites(staff)
    rows = db.session.execute(
        sa.select(OnCallShift).join(StaffUser, StaffUser.id == OnCallShift.staff_id).where(
            OnCallShift.site_id.in_([s.id for s in sites] or [-1]), StaffUser.active.is_(True),
            StaffUser.alert_phone_enc.is_not(None))).scalars().all()
    shifts: dict[int, list[Shift]] = {}
    for row in rows:
        shifts.setdefault(row.site_id, []).append(_domain(row))
    return [s for s in sites if not on_call(shifts.get(s.id, []), now, s.timezone)]
