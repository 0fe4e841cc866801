"""Inbound numbers are read as E.164 (China by default); what cannot be parsed is None."""

from __future__ import annotations

import pytest

from pro_service.core.phones import try_normalise


@pytest.mark.parametrize(("raw", "e164"), [
    ("+8613123400999", "+8613123400999"),
    ("13123400999", "+8613123400999"),  # a Chinese number without its country code
    ("+44 7700 900123", "+447700900123"),
    ("not a number", None),
    ("", None),
])
def test_inbound_numbers_are_read_as_e164(raw, e164):
    assert try_normalise(raw) == e164


def test_a_number_seen_again_is_not_parsed_again():
    try_normalise.cache_clear()
    first = try_normalise("+8613123400998")
    assert try_normalise("+8613123400998") == first == "+8613123400998"
    assert try_normalise.cache_info().hits == 1 and try_normalise.cache_info().misses == 1
