"""Count the SMS segments a text is sent in (3GPP TS 23.038 / 23.040).

A text made only of GSM 03.38 characters goes as GSM-7: 160 septets in a single message,
153 a part once split (the user data header takes 7). The extension table characters
(`^{}\\[~]|€` and form feed) take 2 septets each, an escape plus the character.
Anything else makes the whole text UCS-2: 70 UTF-16 code units single, 67 a part; a
character outside the Basic Multilingual Plane (most emoji) takes 2 code units.
Chinese SMS are therefore UCS-2. Neither an escape pair nor a surrogate pair is split
across parts, so parts are filled greedily by whole characters, as handsets do.
"""

from __future__ import annotations

from enum import StrEnum


class Encoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

_LIMITS = {Encoding.GSM7: (160, 153), Encoding.UCS2: (70, 67)}


def encoding_of(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM 03.38 tables, else UCS-2."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        return Encoding.GSM7
    return Encoding.UCS2


def _units(char: str, encoding: Encoding) -> int:
    if encoding is Encoding.GSM7:
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def count_segments(text: str) -> tuple[Encoding, int]:
    """Return the encoding of `text` and how many segments it takes (at least 1)."""
    encoding = encoding_of(text)
    single, part = _LIMITS[encoding]
    costs = [_units(char, encoding) for char in text]
    if sum(costs) <= single:
        return encoding, 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > part:
            parts, used = parts + 1, 0
        used += cost
    return encoding, parts
