"""The hash-chained audit trail finds a tampered row."""

from __future__ import annotations

import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db


def test_untouched_chain_verifies(cli_runner, make_site, make_participant):
    make_site("302")
    make_participant()
    result = cli_runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and result.output.startswith("OK: 3 events")  # site, enrolment, occasions


def test_a_tampered_event_is_named_by_audit_verify(cli_runner, make_site, make_participant):
    make_site("302")
    make_participant()
    make_participant()
    target = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == target.id)
                       .values(actor="staff:999"))
    db.session.commit()
    db.session.expire_all()
    result = cli_runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {target.id}: content does not match" in result.output


def test_a_deleted_event_breaks_the_chain_at_the_next_one(cli_runner, make_site, make_participant):
    make_site("302")
    make_participant()
    make_participant()
    ids = db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).all()
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == ids[1]))
    db.session.commit()
    result = cli_runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at audit event {ids[2]}: prev_hash" in result.output


def test_a_deleted_event_cannot_be_hidden_by_relinking_the_next_one(cli_runner, make_site,
                                                                    make_participant):
    """Each hash covers the previous hash, so rewriting a prev_hash breaks that event's hash."""
    make_site("302")
    make_participant()
    make_participant()
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    gone, after = events[1], events[2]
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == gone.id))
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == after.id)
                       .values(prev_hash=events[0].hash))
    db.session.commit()
    db.session.expire_all()
    result = cli_runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit event {after.id}: content does not match" in result.output
