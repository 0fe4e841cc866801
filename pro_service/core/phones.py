"""Phone number parsing: E.164 mobile numbers only."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

from pro_service.core.errors import InvalidInput

_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalise_mobile(raw: str, default_region: str = "CN") -> str:
    """Parse a phone number and return it in E.164 when it is a valid mobile number."""
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("phone is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("phone is not a valid number")
    if phonenumbers.number_type(number) not in _MOBILE:
        raise InvalidInput("phone must be a mobile number that can receive SMS")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def try_normalise(raw: str) -> str | None:
    """E.164 form of an inbound number, or None when it cannot be parsed (remembered: the
    same numbers text again and again, and parsing is a visible share of a webhook's time)."""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
