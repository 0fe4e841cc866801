"""Several events in one transaction, and a savepoint rolled back between them, keep the chain whole."""

from __future__ import annotations

import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.audit.service import record_event, verify_chain
from pro_service.core.db import unit_of_work
from pro_service.extensions import db
from tests.factories import T0


def _event(n: int) -> AuditEvent:
    return record_event(actor="test", action=f"step.{n}", entity_type="thing", entity_id=n, now=T0)


def test_events_of_one_transaction_follow_each_other_and_a_rolled_back_one_is_not_linked(app):
    with unit_of_work():
        _event(0)
    with unit_of_work() as session:
        first = _event(1)
        second = _event(2)
        try:
            with session.begin_nested():
                _event(99)
                raise RuntimeError("undo the savepoint")
        except RuntimeError:
            pass
        third = _event(3)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    rows = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [r.action for r in rows] == ["step.0", "step.1", "step.2", "step.3"]
    assert rows[1].prev_hash == rows[0].hash
    report = verify_chain()
    assert report.ok and report.checked == 4
