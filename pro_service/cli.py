"""Project-wide commands: seed-demo."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.schedule.domain.windows import zone_outside_quiet_hours
from pro_service.participants import service as participants
from pro_service.safety import rota
from pro_service.staff import service as staff
from pro_service.staff.models import Site, StaffUser

demo_cli = AppGroup("demo", help="Demo data for a laptop run.")

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented demo login, refused nowhere but dev
DEMO_STAFF = (
    ("Demo Admin", "admin@demo.test", "admin", ()),
    ("Dr Demo Investigator", "investigator@demo.test", "investigator", ("302",)),
    ("Demo Coordinator", "coordinator@demo.test", "coordinator", ("302",)),
    ("Demo Safety Officer", "safety@demo.test", "safety_officer", ()),
    ("Demo Analyst", "analyst@demo.test", "analyst", ()),
)
# Fictional numbers (libphonenumber's example ranges); never real people.
DEMO_PARTICIPANTS = (
    ("302-0001", "+8613123456701", "zh-CN", -3),
    ("302-0002", "+8613123456702", "zh-CN", -30),
    ("302-0003", "+8613123456703", "en", -90),
)


# Zones around the world: at any hour one of them is awake, outside quiet hours.
AWAKE_ZONES = ["Asia/Shanghai", "Europe/London", "America/New_York", "America/Los_Angeles",
               "Pacific/Auckland", "Asia/Kolkata", "Europe/Moscow"]


def _enrol_awake_participant(now: datetime, keys: participants.Keys) -> str:
    """A demo participant outside quiet hours now, with an open baseline window."""
    zone = zone_outside_quiet_hours(now, AWAKE_ZONES)
    base = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=3)
    participants.enrol_participant(
        {"study_id": "302-0009", "site": "302", "phone": "+8613123456709", "language": "en",
         "timezone": zone, "baseline": base, "infusion_1": base,
         "infusion_2": base + timedelta(days=28), "infusion_3": base + timedelta(days=56)},
        keys=keys, now=now, actor="cli:demo")
    return zone


@demo_cli.command("seed")
@click.option("--full", is_flag=True, help="5 sites, 240 participants, 48 weeks of history.")
def seed(full: bool) -> None:
    """Create a demo site, demo staff and demo participants (idempotent)."""
    if full:
        _seed_full()
        return
    if db.session.scalar(sa.select(Site.id).where(Site.code == "302")):
        click.echo("demo data already present")
        return
    now = clock.now()
    cfg = current_app.config
    keys = participants.Keys(cfg["DATA_KEY"], cfg["INDEX_KEY"])
    staff.create_site(code="302", name="Demo Hospital", site_phone="+861012345678", now=now,
                      actor="cli:demo")
    for i, (name, email, role, sites) in enumerate(DEMO_STAFF):
        staff.create_staff(name=name, email=email, role=role, site_codes=list(sites),
                           password=DEMO_PASSWORD, now=now, actor="cli:demo",
                           alert_phone=f"+86131234567{80 + i}",
                           data_key=cfg["DATA_KEY"], index_key=cfg["INDEX_KEY"])
    # the coordinator is on call 08:00-20:00 every day; nights are a visible gap in the rota
    rota.add_shift(site=rota.site_by_code("302"), staff=rota.staff_by_email("coordinator@demo.test"),
                   weekdays="daily", start="08:00", end="20:00", now=now)
    today = now.date()
    for study_id, phone, language, offset in DEMO_PARTICIPANTS:
        base = today + timedelta(days=offset)
        participants.enrol_participant(
            {"study_id": study_id, "site": "302", "phone": phone, "language": language,
             "baseline": base, "infusion_1": base, "infusion_2": base + timedelta(days=28),
             "infusion_3": base + timedelta(days=56)},
            keys=keys, now=now, actor="cli:demo")
    awake = _enrol_awake_participant(now, keys)
    click.echo(f"302-0009 lives in {awake}, where it is daytime now: its invitations go out at "
               "once (the others may wait for the end of quiet hours, 21:00-08:00 local)")
    click.echo("demo data seeded; logins: " + ", ".join(e for _, e, _, _ in DEMO_STAFF)
               + f" / password {DEMO_PASSWORD}")


def _seed_full() -> None:
    from pro_service.demo_seed import create_sites, seed_full

    if db.session.scalar(sa.select(Site.id).where(Site.code == "301")):
        click.echo("full demo data already present")
        return
    cfg = current_app.config
    keys = participants.Keys(cfg["DATA_KEY"], cfg["INDEX_KEY"])
    now = clock.now()
    create_sites(now=now, keys=keys)
    for i, (name, email, role, sites) in enumerate(DEMO_STAFF):
        if not db.session.scalar(sa.select(StaffUser.id).where(StaffUser.email == email)):
            staff.create_staff(name=name, email=email, role=role, site_codes=list(sites),
                               password=DEMO_PASSWORD, now=now, actor="cli:demo",
                               alert_phone=f"+86131234567{80 + i}",
                               data_key=cfg["DATA_KEY"], index_key=cfg["INDEX_KEY"])
    totals = seed_full(now=now, keys=keys, instruments=current_app.extensions["pro.instruments"])
    click.echo("full demo seeded: " + ", ".join(f"{k} {v}" for k, v in totals.items())
               + f"; logins: {', '.join(e for _, e, _, _ in DEMO_STAFF)} / password {DEMO_PASSWORD}")
