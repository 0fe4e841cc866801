"""Alerts are deduplicated per participant and category for 24 hours (DESIGN §6), not less."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.safety import service as safety
from pro_service.safety.models import SafetyAlert
from tests.factories import T0


def _raise(p, at, category="gi_bleeding", urgency="urgent"):
    alert, created = safety.raise_alert(p, category=category, urgency=urgency, source="sms",
                                        evidence={"text": "report"}, now=at)
    db.session.commit()
    return alert, created


@pytest.fixture
def participant(make_site, make_staff, make_participant):
    make_site("302")
    make_staff("coordinator")
    return make_participant()


@pytest.mark.parametrize("later", [timedelta(hours=1, minutes=1), timedelta(hours=12),
                                   timedelta(hours=23, minutes=59), timedelta(hours=24)])
def test_the_same_category_again_within_24_hours_joins_the_open_alert(participant, later):
    first, created = _raise(participant, T0)
    second, again = _raise(participant, T0 + later)
    assert created and not again and second.id == first.id
    assert len(second.evidence) == 2
    assert db.session.scalar(sa.select(sa.func.count(SafetyAlert.id))) == 1


def test_the_same_category_more_than_24_hours_later_opens_a_new_alert(participant):
    first, _ = _raise(participant, T0)
    second, created = _raise(participant, T0 + timedelta(hours=24, minutes=1))
    assert created and second.id != first.id
    assert db.session.scalar(sa.select(sa.func.count(SafetyAlert.id))) == 2


def test_another_category_within_the_window_opens_its_own_alert(participant):
    first, _ = _raise(participant, T0)
    other, created = _raise(participant, T0 + timedelta(minutes=5), category="jaundice")
    assert created and other.id != first.id
