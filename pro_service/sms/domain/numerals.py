"""Read Chinese numerals below 1000: 七, 十五, 七十, 七十五, 一百, 一百零五, 柒拾."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100}


def chinese_to_int(text: str) -> int | None:
    """Return the value of a Chinese numeral, or None when `text` is not one."""
    if not text or any(char not in _DIGITS and char not in _UNITS for char in text):
        return None
    if len(text) == 1 and text in _DIGITS:
        return _DIGITS[text]
    total, pending, last_unit = 0, None, 1000
    for char in text:
        if char in _DIGITS:
            if pending:  # two digits in a row ("七五") is not a numeral; after 零 it is
                return None
            pending = _DIGITS[char]
            continue
        unit = _UNITS[char]
        if unit >= last_unit:
            return None
        if pending is None and (unit != 10 or total):
            return None  # only a leading 十 may stand alone ("十五")
        multiplier = 1 if pending is None else pending
        if multiplier == 0:
            return None
        total, pending, last_unit = total + multiplier * unit, None, unit
    return total + (pending or 0)
