"""Alert codes (what staff reply with `ACK <code>`) are random six-digit numbers, never reused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.safety import service as safety
from pro_service.safety.models import SafetyAlert
from tests.factories import T0, fictional_mobile


@pytest.fixture
def participant(make_site, make_staff, make_participant):
    make_site("302")
    make_staff("investigator", alert_phone=fictional_mobile(7701))
    make_staff("safety_officer", alert_phone=fictional_mobile(7702))  # nobody on call: these two
    return make_participant()


def _draws(monkeypatch, *codes: int) -> None:
    values = iter(code - 100000 for code in codes)
    monkeypatch.setattr(safety.secrets, "randbelow", lambda _: next(values))


def test_a_code_already_taken_is_skipped_and_another_drawn_in_the_same_transaction(
        participant, monkeypatch):
    _draws(monkeypatch, 123456, 123456, 654321)
    first, _ = safety.raise_alert(participant, category="gi_bleeding", urgency="emergency",
                                  source="free_text", evidence={}, now=T0)
    later = T0 + timedelta(minutes=1)
    second, created = safety.raise_alert(participant, category="jaundice", urgency="urgent",
                                         source="free_text", evidence={}, now=later)
    db.session.expire_all()
    assert created and (first.code, second.code) == ("123456", "654321")
    codes = db.session.scalars(sa.select(SafetyAlert.code).order_by(SafetyAlert.id)).all()
    assert codes == ["123456", "654321"]
    assert second.next_escalation_at == later + timedelta(hours=4)
