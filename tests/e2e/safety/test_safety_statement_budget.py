"""A red flag with a real rota costs a fixed, small number of SQL statements (throughput issue).

The staff and rota are read once per alert, the escalation time is part of the alert's INSERT
and a taken alert code is skipped by the unique column, so these bounds fail on a regression.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.audit.service import verify_chain
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.safety import calls
from pro_service.safety import service as safety
from pro_service.safety.models import SafetyAlert, VoiceCall
from tests.e2e.conftest import BASE, TWILIO_APP
from tests.e2e.safety.rota_site import MON_1750, ROLES, site_302_with_rota
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4646)
BLEED = "我今天吐血了"
# Statements of one webhook request raising an emergency alert (27 on PostgreSQL and 26 on
# SQLite before) and of one escalation step (26 and 25 before), per database. On PostgreSQL the
# participant's lock and the inbound row are one statement.
RED_FLAG = {"postgresql": 12, "sqlite": 13}
ESCALATION = {"postgresql": 14, "sqlite": 14}


@pytest.fixture
def staff(app, make_site, make_staff, make_participant, twilio_gateway):
    app.extensions["pro.gateway"] = twilio_gateway
    people = site_302_with_rota(make_site, make_staff,
                                {name: fictional_mobile(7601 + n) for n, name in enumerate(ROLES)})
    make_participant(phone=PHONE, baseline=BASE)
    return {role: person.user.id for role, person in people.items()}


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def listen(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)


def _listing(statements: list[str]) -> str:
    return "\n".join(" ".join(s.split())[:100] for s in statements)


def _told() -> list[int | None]:
    return list(db.session.scalars(sa.select(Message.staff_id).where(
        Message.kind == "staff_alert").order_by(Message.id)))


def test_a_red_flag_with_a_rota_stays_within_its_statement_budget(
        staff, sms_post: Callable[..., tuple[int, list[str]]], frozen_clock):
    frozen_clock["now"] = MON_1750
    sms_post(PHONE, "1")  # a first request warms the app up
    with counted() as statements:
        status, replies = sms_post(PHONE, BLEED)
    assert status == 200 and "120" in replies[0]
    assert len(statements) <= RED_FLAG[db.engine.dialect.name], _listing(statements)
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    assert alert.next_escalation_at == MON_1750 + timedelta(minutes=15)
    assert _told() == [staff["day"]]  # on call at 17:50
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "safety_alert").order_by(AuditEvent.id)).all()
    assert actions == ["alert.raise", "alert.notify"] and verify_chain().ok


def test_an_escalation_step_stays_within_its_statement_budget(staff, sms_post, frozen_clock,
                                                               monkeypatch):
    monkeypatch.setattr(calls, "place_now", None)  # the call is placed in a transaction of its own
    frozen_clock["now"] = MON_1750
    sms_post(PHONE, BLEED)
    later = MON_1750 + timedelta(minutes=16)  # 18:06: the night coordinator is on call
    with counted() as statements:
        assert safety.escalate_due(now=later, limit=10) == {"escalated": 1}
    assert len(statements) <= ESCALATION[db.engine.dialect.name], _listing(statements)
    alert = db.session.scalars(sa.select(SafetyAlert)).one()
    assert alert.escalation_level == 1 and alert.next_escalation_at == later + timedelta(minutes=15)
    assert _told() == [staff["day"], staff["night"]]
    assert db.session.scalars(sa.select(VoiceCall.staff_id)).all() == [staff["night"]]
    assert verify_chain().ok
