"""The audit hash chain (pure part): each hash covers the event and the previous hash.

A chain whose hashes ignored the previous hash could lose an event unnoticed: delete it and
rewrite the next event's prev_hash, and every remaining hash would still verify.
"""

from __future__ import annotations

import hashlib

import pytest

from pro_service.audit.domain import GENESIS, PERSONAL_KEYS, event_hash, mask_personal

FIELDS = {"actor": "staff:1", "action": "participant.enrol", "entity_id": "302-0001",
          "after": {"site": "302"}, "reason": None}
# Canonical JSON written out by hand: sorted keys, no spaces, nested dicts sorted too.
CANONICAL = ('{"action":"participant.enrol","actor":"staff:1","after":{"site":"302"},'
             '"entity_id":"302-0001","reason":null}')


def test_genesis_is_sixty_four_zeros() -> None:
    assert GENESIS == "0" * 64


def test_hash_is_sha256_of_the_previous_hash_followed_by_canonical_json() -> None:
    expected = hashlib.sha256((GENESIS + CANONICAL).encode()).hexdigest()
    assert event_hash(GENESIS, FIELDS) == expected


def test_hash_depends_on_the_previous_hash() -> None:
    other = "f" * 64
    assert event_hash(GENESIS, FIELDS) != event_hash(other, FIELDS)
    assert event_hash(other, FIELDS) == hashlib.sha256((other + CANONICAL).encode()).hexdigest()


def test_hash_does_not_depend_on_key_order() -> None:
    reordered = dict(reversed(list(FIELDS.items())))
    assert event_hash(GENESIS, reordered) == event_hash(GENESIS, FIELDS)


@pytest.mark.parametrize(("key", "value"), [("actor", "staff:2"), ("reason", "typo"),
                                            ("after", {"site": "303"})])
def test_hash_changes_when_any_field_changes(key: str, value: object) -> None:
    assert event_hash(GENESIS, {**FIELDS, key: value}) != event_hash(GENESIS, FIELDS)


def test_values_json_cannot_encode_are_hashed_by_their_text() -> None:
    from datetime import date

    got = event_hash(GENESIS, {"on": date(2027, 1, 11)})
    assert got == hashlib.sha256((GENESIS + '{"on":"2027-01-11"}').encode()).hexdigest()


def test_non_ascii_text_is_escaped_in_the_canonical_json() -> None:
    got = event_hash(GENESIS, {"reason": "访视改期"})
    text = '{"reason":"\\u8bbf\\u89c6\\u6539\\u671f"}'
    assert got == hashlib.sha256((GENESIS + text).encode()).hexdigest()


@pytest.mark.parametrize("key", sorted(PERSONAL_KEYS))
def test_every_personal_key_is_masked(key: str) -> None:
    assert mask_personal({key: "secret-value", "site": "302"}) == {
        key: "***masked***", "site": "302"}


def test_personal_keys_are_exactly_the_known_ones() -> None:
    assert PERSONAL_KEYS == {"phone", "phone_number", "password", "token", "alert_phone"}


@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_personal_value_stays_as_it_is(empty: object) -> None:
    assert mask_personal({"phone": empty}) == {"phone": empty}


@pytest.mark.parametrize("value", ["+8613123400001", "13123400001", "+86 131 2340 0001",
                                   " +86-131-2340-0001 ", "0123456789"])
def test_a_phone_number_under_any_key_is_masked(value: str) -> None:
    assert mask_personal({"note": value}) == {"note": "***masked***"}


@pytest.mark.parametrize("value", ["302-0001", "123456789", "call +8613123400001 now",
                                   "12 34", "1--2345678901", 13123400001])
def test_text_that_is_not_only_a_phone_number_is_kept(value: object) -> None:
    assert mask_personal({"note": value}) == {"note": value}


def test_no_payload_stays_none_and_the_input_is_not_changed() -> None:
    assert mask_personal(None) is None
    data = {"phone": "+8613123400001"}
    assert mask_personal(data) is not data
    assert data == {"phone": "+8613123400001"}
