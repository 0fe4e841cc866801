"""Administration of staff and sites from the workspace (admins only; every change audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, InvalidInput, NotFound
from pro_service.core.phones import normalise_mobile
from pro_service.extensions import db
from pro_service.staff import service
from pro_service.staff.models import ApiToken, Site, StaffUser
from pro_service.staff.policy import STAFF_ADMINS, require
from pro_service.staff.service import hash_password

MIN_PASSWORD = 12


@dataclass(frozen=True)
class StaffRow:
    user: StaffUser
    tokens: list[ApiToken]


def _actor(admin: StaffUser) -> str:
    return f"staff:{admin.id}"


def _user(staff_id: int) -> StaffUser:
    user = db.session.get(StaffUser, staff_id)
    if user is None:
        raise NotFound(f"no staff user {staff_id}")
    return user


def list_staff(admin: StaffUser) -> list[StaffRow]:
    """Every staff user with their tokens (two statements plus their sites)."""
    require(admin, STAFF_ADMINS, "manage staff")
    users = db.session.scalars(sa.select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name)).all()
    tokens: dict[int, list[ApiToken]] = {}
    for token in db.session.scalars(sa.select(ApiToken).order_by(ApiToken.created_at.desc())):
        tokens.setdefault(token.staff_id, []).append(token)
    return [StaffRow(u, tokens.get(u.id, [])) for u in users]


def list_sites(admin: StaffUser) -> list[Site]:
    require(admin, STAFF_ADMINS, "manage sites")
    return list(db.session.scalars(sa.select(Site).order_by(Site.code)))


def create_staff(admin: StaffUser, data: dict[str, Any], *, now: datetime, data_key: str,
                 index_key: str) -> StaffUser:
    """Create a staff user with a role, sites and optionally a password and alert phone."""
    require(admin, STAFF_ADMINS, "manage staff")
    if data.get("password") and len(data["password"]) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    return service.create_staff(name=data["name"], email=data["email"], role=data["role"], now=now,
                                site_codes=data.get("sites") or [], password=data.get("password"),
                                alert_phone=data.get("alert_phone"), data_key=data_key,
                                index_key=index_key, actor=_actor(admin))


def set_active(admin: StaffUser, staff_id: int, *, active: bool, now: datetime) -> StaffUser:
    """Deactivate (or reactivate) a staff user: a deactivated one can neither log in nor use tokens."""
    require(admin, STAFF_ADMINS, "manage staff")
    with unit_of_work():
        user = _user(staff_id)
        if user.id == admin.id and not active:
            raise Conflict("you cannot deactivate yourself")
        if user.active == active:
            return user
        user.active = active
        record_event(actor=_actor(admin), action="staff.activate" if active else "staff.deactivate",
                     entity_type="staff", entity_id=user.id, now=now,
                     before={"active": not active}, after={"active": active})
        return user


def reset_password(admin: StaffUser, staff_id: int, password: str, *, now: datetime) -> None:
    """Set a new password (the admin hands it over; only its argon2 hash is stored)."""
    require(admin, STAFF_ADMINS, "manage staff")
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    with unit_of_work():
        user = _user(staff_id)
        user.password_hash = hash_password(password)
        record_event(actor=_actor(admin), action="staff.password_reset", entity_type="staff",
                     entity_id=user.id, now=now)


def set_alert_phone(admin: StaffUser, staff_id: int, phone: str | None, *, now: datetime,
                    data_key: str, index_key: str) -> StaffUser:
    """Set or clear the phone that receives safety alerts (stored encrypted, never shown in full)."""
    require(admin, STAFF_ADMINS, "manage staff")
    with unit_of_work():
        user = _user(staff_id)
        if phone:
            e164 = normalise_mobile(phone)
            taken = db.session.scalar(sa.select(StaffUser.id).where(
                StaffUser.alert_phone_index == crypto.blind_index(e164, index_key, "phone"),
                StaffUser.id != user.id))
            if taken:
                raise Conflict("another staff user has this alert phone")
            service.set_alert_phone(user, e164, data_key, index_key)
        else:
            user.alert_phone_enc, user.alert_phone_index = None, None
        record_event(actor=_actor(admin), action="staff.alert_phone", entity_type="staff",
                     entity_id=user.id, now=now, after={"alert_phone": "set" if phone else "cleared"})
        return user


def issue_token(admin: StaffUser, staff_id: int, label: str, *, now: datetime) -> str:
    """Issue an API token for a staff user; the token is shown once, only its hash is kept."""
    require(admin, STAFF_ADMINS, "manage API tokens")
    user = _user(staff_id)
    if not user.active:
        raise Conflict("this staff user is deactivated")
    return service.issue_token(email=user.email, now=now, label=label, actor=_actor(admin))


def revoke_token(admin: StaffUser, token_id: int, *, now: datetime) -> None:
    require(admin, STAFF_ADMINS, "manage API tokens")
    service.revoke_token(token_id=token_id, now=now, actor=_actor(admin))


def update_site(admin: StaffUser, code: str, changes: dict[str, Any], *, now: datetime) -> Site:
    """Change a site's name, time zone, emergency number or phone."""
    require(admin, STAFF_ADMINS, "manage sites")
    if "timezone" in changes:
        service.check_timezone(changes["timezone"])
    with unit_of_work():
        site = service.get_site(code)
        fields = ("name", "timezone", "emergency_number", "site_phone")
        before = {f: getattr(site, f) for f in fields}
        for name in fields:
            if name in changes:
                setattr(site, name, changes[name])
        record_event(actor=_actor(admin), action="site.update", entity_type="site", entity_id=site.id,
                     now=now, before=before, after={f: getattr(site, f) for f in fields})
        return site


def create_site(admin: StaffUser, data: dict[str, Any], *, now: datetime) -> Site:
    require(admin, STAFF_ADMINS, "manage sites")
    return service.create_site(code=data["code"], name=data["name"], now=now,
                               timezone=data.get("timezone") or "Asia/Shanghai",
                               site_phone=data.get("site_phone"),
                               emergency_number=data.get("emergency_number") or "120",
                               actor=_actor(admin))
