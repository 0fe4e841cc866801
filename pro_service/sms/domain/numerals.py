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
    "俩": 2,  # spoken "two of them", written for 2 by some
    "三": 3,
    "叁": 3,
    "叄": 3,
    "參": 3,  # traditional 叁
    "仨": 3,
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


_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
# Misspellings a phone keyboard makes of number words, none of them another English word
# ("for", "to", "tree" are words, so they are not here).
_EN_TYPOS = {
    "thre": "three", "threee": "three", "fiv": "five", "fivee": "five",
    "fve": "five", "fuor": "four", "foure": "four", "sevn": "seven", "sevem": "seven",
    "seveb": "seven", "sixe": "six", "eigth": "eight", "eigt": "eight", "nien": "nine",
    "twoo": "two", "onee": "one", "fourty": "forty", "ninty": "ninety", "fivty": "fifty",
    "fitty": "fifty", "sixy": "sixty", "seventey": "seventy", "sevnty": "seventy",
    "eigthy": "eighty", "eighy": "eighty", "hundered": "hundred", "hundrd": "hundred",
}
EN_NUMBER_WORDS = frozenset({*_EN_UNITS, *_EN_TENS, *_EN_TYPOS, "hundred", "a", "and"})


def english_to_int(text: str) -> int | None:
    """Return the value of English number words below 1000, or None when `text` is not one.

    "seven", "seventy-five", "seventy five", "one hundred", "a hundred and five".
    A text with anything else in it, or two numbers side by side ("seven five"), is None.
    """
    words = [_EN_TYPOS.get(w, w) for w in text.replace("-", " ").split()]
    if not words or any(w not in EN_NUMBER_WORDS for w in words):
        return None
    hundreds = 0
    if "hundred" in words:
        at = words.index("hundred")
        head, words = words[:at], words[at + 1:]
        multiplier = 1 if head in ([], ["a"]) else _below_hundred(head)
        if multiplier is None or not 1 <= multiplier <= 9:
            return None
        hundreds = multiplier * 100
        if words[:1] == ["and"]:
            words = words[1:]
            if not words:
                return None
        if not words:
            return hundreds
    rest = _below_hundred(words)
    return None if rest is None else hundreds + rest


def _below_hundred(words: list[str]) -> int | None:
    if len(words) == 1 and words[0] in _EN_UNITS:
        return _EN_UNITS[words[0]]
    if len(words) == 1 and words[0] in _EN_TENS:
        return _EN_TENS[words[0]]
    if len(words) == 2 and words[0] in _EN_TENS and words[1] in _EN_UNITS \
            and 1 <= _EN_UNITS[words[1]] <= 9:
        return _EN_TENS[words[0]] + _EN_UNITS[words[1]]
    return None
