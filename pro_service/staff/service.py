"""Staff and site use cases."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy.orm import lazyload

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, InvalidInput, NotFound
from pro_service.extensions import db
from pro_service.staff.models import ApiToken, Role, Site, StaffUser, staff_sites

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2 hash stored for a password (never the password itself)."""
    return _hasher.hash(password)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_site(
    *, code: str, name: str, now: datetime, timezone: str = "Asia/Shanghai",
    site_phone: str | None = None, emergency_number: str = "120", actor: str = "system",
    crisis_line: str | None = None,
) -> Site:
    """Register a site (`crisis_line`: named in replies to self-harm reports)."""
    check_timezone(timezone)
    with unit_of_work() as session:
        if session.scalar(sa.select(Site.id).where(Site.code == code)):
            raise Conflict(f"site {code} exists")
        site = Site(code=code, name=name, timezone=timezone, site_phone=site_phone,
                    emergency_number=emergency_number, crisis_line=crisis_line, created_at=now)
        session.add(site)
        session.flush()
        record_event(actor=actor, action="site.create", entity_type="site", entity_id=site.id,
                     now=now, after={"code": code, "name": name, "timezone": timezone})
        return site


def create_staff(
    *, name: str, email: str, role: str, now: datetime, site_codes: list[str] | None = None,
    password: str | None = None, alert_phone: str | None = None,
    data_key: str = "", index_key: str = "", actor: str = "system",
) -> StaffUser:
    """Create a staff user with a role and, for site-scoped roles, their sites."""
    if role not in set(Role):
        raise InvalidInput(f"role must be one of {', '.join(Role)}")
    if not _EMAIL.match(email):
        raise InvalidInput("email is not valid")
    with unit_of_work() as session:
        if session.scalar(sa.select(StaffUser.id).where(StaffUser.email == email.lower())):
            raise Conflict("a staff user with this email exists")
        sites = _sites_by_code(site_codes or [])
        if role in (Role.INVESTIGATOR, Role.COORDINATOR) and not sites:
            raise InvalidInput(f"a {role} needs at least one site")
        user = StaffUser(name=name, email=email.lower(), role=role, created_at=now, sites=sites,
                         password_hash=hash_password(password) if password else None)
        if alert_phone:
            set_alert_phone(user, alert_phone, data_key, index_key)
        session.add(user)
        session.flush()
        record_event(actor=actor, action="staff.create", entity_type="staff", entity_id=user.id,
                     now=now, after={"email": user.email, "role": role,
                                     "sites": [s.code for s in sites]})
        return user


def set_alert_phone(user: StaffUser, phone: str, data_key: str, index_key: str) -> None:
    """Store a staff alert phone encrypted, with its blind index."""
    from pro_service.core.phones import normalise_mobile

    e164 = normalise_mobile(phone)
    user.alert_phone_enc = crypto.encrypt(e164, data_key, "staff.alert_phone")
    user.alert_phone_index = crypto.blind_index(e164, index_key, "phone")


def issue_token(*, email: str, now: datetime, label: str = "", actor: str = "system") -> str:
    """Create an API token; only its hash is stored, the token is returned once."""
    with unit_of_work() as session:
        user = session.scalar(sa.select(StaffUser).where(StaffUser.email == email.lower()))
        if user is None:
            raise NotFound("no staff user with this email")
        token = "pro_" + crypto.new_token(32)
        row = ApiToken(staff_id=user.id, token_hash=crypto.token_hash(token), label=label,
                       created_at=now)
        session.add(row)
        session.flush()
        record_event(actor=actor, action="token.issue", entity_type="api_token",
                     entity_id=row.id, now=now, after={"staff_id": user.id, "label": label})
        return token


def revoke_token(*, token_id: int, now: datetime, actor: str = "system") -> None:
    """Revoke an API token."""
    with unit_of_work() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFound(f"no token {token_id}")
        row.revoked_at = now
        record_event(actor=actor, action="token.revoke", entity_type="api_token",
                     entity_id=row.id, now=now)


def staff_for_token(token: str) -> StaffUser | None:
    """Find the active staff user holding an unrevoked token."""
    row = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == crypto.token_hash(token),
                                  ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.staff.active:
        return None
    return row.staff


def check_password(email: str, password: str) -> StaffUser | None:
    """Return the user when the password matches, else None."""
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email.lower()))
    if user is None or not user.password_hash or not user.active:
        _hasher.hash(password)  # same cost whether or not the user exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except VerificationError:
        return None
    return user


def get_site(code: str) -> Site:
    site = db.session.scalar(sa.select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"no site {code}")
    return site


def _sites_by_code(codes: list[str]) -> list[Site]:
    sites = []
    for code in codes:
        sites.append(get_site(code))
    return sites


def check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"timezone {name!r} is not an IANA time zone") from exc


# Staff who can be texted about an alert: active, with an alert phone.
REACHABLE = (StaffUser.active.is_(True), StaffUser.alert_phone_enc.is_not(None))


def site_contacts(site_id: int, roles: tuple[Role, ...] = (Role.COORDINATOR, Role.INVESTIGATOR)
                  ) -> list[StaffUser]:
    """Active staff of a site with an alert phone, in role order then by id (the on-call order)."""
    rows = db.session.scalars(sa.select(StaffUser).join(staff_sites).where(
        staff_sites.c.site_id == site_id, *REACHABLE, StaffUser.role.in_(list(roles)))
        .order_by(StaffUser.id).options(lazyload(StaffUser.sites))).all()
    return sorted(rows, key=lambda s: roles.index(Role(s.role)))


def alert_contacts(site_id: int) -> list[StaffUser]:
    """The site's reachable coordinators and investigators and the safety desk, by id.

    One statement for what `site_contacts` per role and a desk query would read; their own
    sites are read only if asked for.
    """
    of_site = sa.select(staff_sites.c.staff_id).where(staff_sites.c.site_id == site_id)
    site_role = sa.and_(StaffUser.role.in_([Role.COORDINATOR, Role.INVESTIGATOR]),
                        StaffUser.id.in_(of_site))
    return list(db.session.scalars(sa.select(StaffUser).where(
        *REACHABLE, sa.or_(site_role, StaffUser.role == Role.SAFETY_OFFICER))
        .order_by(StaffUser.id).options(lazyload(StaffUser.sites))))


def staff_by_phone_index(index: str) -> StaffUser | None:
    """Find an active staff member by the blind index of their alert phone."""
    return db.session.scalar(sa.select(StaffUser).where(StaffUser.alert_phone_index == index,
                                                        StaffUser.active.is_(True)))
