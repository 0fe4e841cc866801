"""Staff and site administration, and the audit log as staff read it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.core.errors import Conflict, Forbidden, InvalidInput
from pro_service.extensions import db
from pro_service.responses.audit_log import audit_events, verify_audit_chain
from pro_service.staff import admin
from pro_service.staff.models import StaffUser
from pro_service.staff.service import check_password, staff_for_token
from tests.factories import T0


def _keys(app):
    return {"data_key": app.config["DATA_KEY"], "index_key": app.config["INDEX_KEY"]}


def test_an_admin_creates_a_coordinator_who_can_log_in(app, make_site, make_staff):
    make_site("302")
    boss = make_staff("admin").user
    user = admin.create_staff(boss, {"name": "Li", "email": "li@example.test", "role": "coordinator",
                                     "sites": ["302"], "password": "long enough pass"},
                              now=T0, **_keys(app))
    assert check_password("li@example.test", "long enough pass").id == user.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "staff.create",
                                                          AuditEvent.entity_id == str(user.id)))
    assert event.actor == f"staff:{boss.id}"


def test_only_admins_administer(app, make_site, make_staff):
    make_site("302")
    for role in ("coordinator", "investigator", "safety_officer", "analyst"):
        other = make_staff(role).user
        with pytest.raises(Forbidden):
            admin.list_staff(other)
        with pytest.raises(Forbidden):
            admin.reset_password(other, other.id, "a long new password", now=T0)


def test_deactivation_stops_tokens_and_logins_but_not_for_yourself(app, make_site, make_staff):
    make_site("302")
    boss = make_staff("admin").user
    target = make_staff("coordinator", password="first password!")
    admin.set_active(boss, target.user.id, active=False, now=T0)
    assert staff_for_token(target.token) is None
    assert check_password(target.user.email, "first password!") is None
    with pytest.raises(Conflict):
        admin.set_active(boss, boss.id, active=False, now=T0)


def test_password_reset_tokens_and_alert_phones(app, make_site, make_staff):
    make_site("302")
    boss = make_staff("admin").user
    target = make_staff("coordinator").user
    with pytest.raises(InvalidInput):
        admin.reset_password(boss, target.id, "short", now=T0)
    admin.reset_password(boss, target.id, "a brand new password", now=T0)
    assert check_password(target.email, "a brand new password") is not None
    token = admin.issue_token(boss, target.id, "laptop", now=T0)
    assert staff_for_token(token).id == target.id
    row = next(r for r in admin.list_staff(boss) if r.user.id == target.id)
    laptop = next(t for t in row.tokens if t.label == "laptop")
    admin.revoke_token(boss, laptop.id, now=T0)
    assert staff_for_token(token) is None
    admin.set_alert_phone(boss, target.id, "+8613123499901", now=T0, **_keys(app))
    assert db.session.get(StaffUser, target.id).alert_phone_enc is not None
    other = make_staff("coordinator").user
    with pytest.raises(Conflict):
        admin.set_alert_phone(boss, other.id, "+8613123499901", now=T0, **_keys(app))
    texts = db.session.scalars(sa.select(AuditEvent.after)).all()
    assert not any("13123499901" in str(t) for t in texts)


def test_site_changes_are_checked_and_audited(app, make_site, make_staff):
    make_site("302")
    boss = make_staff("admin").user
    site = admin.update_site(boss, "302", {"emergency_number": "119", "timezone": "Asia/Urumqi"}, now=T0)
    assert (site.emergency_number, site.timezone) == ("119", "Asia/Urumqi")
    with pytest.raises(InvalidInput):
        admin.update_site(boss, "302", {"timezone": "Mars/Base"}, now=T0)


def test_investigators_read_their_sites_events_and_admins_all(app, make_site, make_staff, make_participant):
    make_site("301")
    make_site("302")
    make_participant(study_id="301-0001", site="301")
    make_participant(study_id="302-0001", site="302")
    boss = make_staff("admin").user
    inv = make_staff("investigator", ("302",)).user
    everything = audit_events(boss, filters={}, page=1, per_page=500).events
    assert {e.entity_id for e in everything if e.entity_type == "participant"} == {"301-0001", "302-0001"}
    mine = audit_events(inv, filters={}, page=1, per_page=500).events
    assert {e.entity_id for e in mine if e.entity_type == "participant"} == {"302-0001"}
    one = audit_events(boss, filters={"participant": "301-0001", "action": "participant."}, page=1,
                       per_page=50).events
    assert [e.action for e in one] == ["participant.enrol"]
    assert verify_audit_chain(inv).ok
    with pytest.raises(Forbidden):
        audit_events(make_staff("coordinator", ("302",)).user, filters={}, page=1, per_page=10)
    assert not any("+86" in str(e.after) for e in everything)
