"""The stored phone lookup index is an HMAC keyed by PRO_INDEX_KEY, never a plain hash."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from pro_service.extensions import db
from pro_service.participants import service as participants
from pro_service.participants.models import Participant
from tests.factories import fictional_mobile

OTHER_KEY = "another-index-key-for-this-test-000000000"


def _hmac_index(phone: str, key_material: str) -> str:
    """Written apart from core.crypto: HMAC-SHA256 under a key derived for the "phone" purpose."""
    key = hmac.new(key_material.encode(), b"pro-service/index/v1/phone", hashlib.sha256).digest()
    return base64.b32encode(hmac.new(key, phone.encode(), hashlib.sha256).digest()).decode()[:52]


def test_stored_phone_index_is_keyed_by_the_index_key(app, make_site, make_participant):
    make_site("302")
    phone = fictional_mobile(321)
    p = make_participant(phone=phone)
    stored = db.session.get(Participant, p.id).phone_index
    assert stored == _hmac_index(phone, app.config["INDEX_KEY"])
    assert stored != _hmac_index(phone, OTHER_KEY)
    assert stored not in (hashlib.sha256(phone.encode()).hexdigest(),
                          base64.b32encode(hashlib.sha256(phone.encode()).digest()).decode()[:52])


@pytest.mark.parametrize("app", [{"INDEX_KEY": OTHER_KEY}], indirect=True)
def test_a_different_index_key_stores_a_different_index_that_still_finds_the_participant(
        app, make_site, make_participant, keys):
    make_site("302")
    phone = fictional_mobile(322)
    p = make_participant(phone=phone)
    assert db.session.get(Participant, p.id).phone_index == _hmac_index(phone, OTHER_KEY)
    found = participants.find_by_phone(phone, keys)
    assert found is not None and found.id == p.id
