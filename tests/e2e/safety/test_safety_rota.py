"""Escalation follows the site's on-call rota; staff SMS carry the report time and a link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.core.errors import Forbidden, InvalidInput
from pro_service.extensions import db
from pro_service.safety import rota
from pro_service.safety.models import OnCallShift, SafetyAlert
from tests.e2e.conftest import BASE, PUBLIC, TWILIO_APP
from tests.e2e.safety.rota_site import MON_1750, site_302_with_rota
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4545)
DAY_C, NIGHT_C, OTHER_C = fictional_mobile(7501), fictional_mobile(7502), fictional_mobile(7503)
INV, DESK = fictional_mobile(7504), fictional_mobile(7505)
SAT_1000 = datetime(2027, 1, 9, 2, 0, tzinfo=UTC)  # Saturday 10:00 in Shanghai
BLEED = "我今天吐血了"


@pytest.fixture
def site(app, make_site, make_staff, make_participant, frozen_clock, twilio_gateway):
    app.extensions["pro.gateway"] = twilio_gateway
    people = site_302_with_rota(make_site, make_staff, {"other": OTHER_C, "day": DAY_C,
                                                        "night": NIGHT_C, "inv": INV, "desk": DESK})
    make_participant(phone=PHONE, baseline=BASE)
    return people


def _recipients(fake):
    return [m.to for m in fake.messages if "ACK" in m.body]


def test_escalation_moves_to_the_night_coordinator_who_came_on_call_at_18_local(
        site, sms_post, tick_at, fake_twilio, frozen_clock, send_outbox):
    frozen_clock["now"] = MON_1750
    sms_post(PHONE, BLEED)
    send_outbox()  # the scheduler's sender, woken by the alert's commit
    assert _recipients(fake_twilio) == [DAY_C]  # on call at 17:50
    tick_at(MON_1750 + timedelta(minutes=16))  # 18:06: the night coordinator is on call now
    assert _recipients(fake_twilio) == [DAY_C, NIGHT_C]
    for minutes in (32, 48, 64, 80, 96):
        tick_at(MON_1750 + timedelta(minutes=minutes))
    assert _recipients(fake_twilio) == [DAY_C, NIGHT_C, OTHER_C, INV, DESK]
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    assert alert.escalation_level == 4 and alert.next_escalation_at is None


def test_a_site_with_nobody_on_call_goes_straight_to_the_investigator_and_safety_desk(
        site, sms_post, tick_at, fake_twilio, frozen_clock, send_outbox):
    frozen_clock["now"] = SAT_1000  # the weekday rota leaves the weekend uncovered
    assert rota.on_call_now(rota.site_by_code("302").id, SAT_1000) == []
    sms_post(PHONE, BLEED)
    send_outbox()
    assert _recipients(fake_twilio) == [INV]
    tick_at(SAT_1000 + timedelta(minutes=16))
    tick_at(SAT_1000 + timedelta(minutes=32))
    assert _recipients(fake_twilio) == [INV, DESK]


def test_the_escalation_sms_shows_the_participants_report_time_with_zone_and_a_link(
        site, sms_post, tick_at, fake_twilio, frozen_clock):
    frozen_clock["now"] = MON_1750
    sms_post(PHONE, BLEED)
    tick_at(MON_1750 + timedelta(minutes=16))
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    escalation = [m for m in fake_twilio.messages if m.to == NIGHT_C][0]
    assert "reported 2027-01-04 17:50 UTC+8" in escalation.body  # not 18:06
    assert f"{PUBLIC}/dashboard/alerts/{alert.code}" in escalation.body
    assert f"ACK {alert.code}" in escalation.body and "escalated" in escalation.body
    assert all(m.num_segments <= 2 for m in fake_twilio.messages if "ACK" in m.body)
    assert PHONE not in escalation.body and BLEED not in escalation.body


def test_rota_changes_are_checked_and_audited(site, make_staff, make_site):
    s302 = rota.site_by_code("302")
    admin, analyst = make_staff("admin"), make_staff("analyst")
    with pytest.raises(Forbidden):
        rota.add_shift(site=s302, staff=site["other"].user, weekdays="sat", start="08:00",
                       end="20:00", now=MON_1750, editor=analyst.user)
    with pytest.raises(Forbidden):
        rota.add_shift(site=s302, staff=site["other"].user, weekdays="sat", start="08:00",
                       end="20:00", now=MON_1750, editor=site["day"].user)  # coordinators may not
    with pytest.raises(InvalidInput, match="weekday"):
        rota.add_shift(site=s302, staff=site["other"].user, weekdays="someday", start="08:00",
                       end="20:00", now=MON_1750, editor=admin.user)
    with pytest.raises(InvalidInput, match="not an active coordinator"):
        rota.add_shift(site=s302, staff=site["desk"].user, weekdays="sat", start="08:00",
                       end="20:00", now=MON_1750, editor=admin.user)
    row = rota.add_shift(site=s302, staff=site["other"].user, weekdays="sat,sun", start="08:00",
                         end="20:00", now=MON_1750, editor=site["inv"].user)
    assert rota.on_call_now(s302.id, SAT_1000) == [site["other"].user]
    rota.remove_shift(shift_id=row.id, now=MON_1750, editor=admin.user)
    assert db.session.get(OnCallShift, row.id) is None
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "on_call_shift")).all()
    assert actions.count("rota.add") == 3 and actions.count("rota.remove") == 1


def test_rota_cli_adds_lists_gaps_and_removes(site, cli_runner):
    added = cli_runner.invoke(args=["rota", "add", "302", site["other"].user.email, "--days",
                                    "sat", "--from", "09:00", "--to", "17:00"])
    assert added.exit_code == 0, added.output
    listing = cli_runner.invoke(args=["rota", "list", "302"])
    assert site["other"].user.email in listing.output and "sat" in listing.output
    assert "uncovered hours this week: 40 of 168" in listing.output  # Sat 00-08 + 17-24, Sun all
    bad = cli_runner.invoke(args=["rota", "add", "302", site["other"].user.email, "--from", "8"])
    assert bad.exit_code != 0 and "must look like 08:00" in bad.output
    shift_id = added.output.split(":")[0].split()[-1]
    removed = cli_runner.invoke(args=["rota", "remove", shift_id])
    assert removed.exit_code == 0 and "removed" in removed.output
