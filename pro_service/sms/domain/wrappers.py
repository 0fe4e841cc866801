"""A lone answer wrapped in a few words: "我选2", "2吧，谢谢", "I choose seven", "3 please".

Only known wrappers at the very start or end are taken off, and what is left must then be
an answer on its own; anything else stays not understood. Numbers are counted so a reply
holding two candidate answers ("2或3", "2 or 3") is asked again, never guessed.
"""

from __future__ import annotations

import re

from pro_service.sms.domain.normalise import trim
from pro_service.sms.domain.numerals import EN_NUMBER_WORDS

# Longest first, so "我选择" goes before "我选".
_ZH_BEFORE = ("我的答案是", "我的回答是", "答案是", "我选择", "我选", "选择", "选", "我答", "回答")
_ZH_AFTER = ("谢谢您", "谢谢你", "谢谢", "多谢", "吧", "啊", "呀", "哦", "噢", "了", "的")
_EN_BEFORE = ("my answer is", "the answer is", "answer is", "i would say", "i'd say", "i choose",
              "i chose", "i pick", "i select", "i say", "it is", "it's", "choose", "pick",
              "select", "answer", "option", "number")
_EN_AFTER = ("thank you", "thanks", "thx", "please")
_MAX_PASSES = 4  # "我选2吧，谢谢": three wrappers; a longer chain is not "a few words"

_NUMBER = re.compile(
    r"[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾佰幺]+|"
    r"(?<![a-z])(?:(?:" + "|".join(sorted(EN_NUMBER_WORDS - {"a", "and"}, key=len, reverse=True))
    + r")(?![a-z])(?:[\s-]+(?:and[\s-]+)?(?=[a-z]))?)+")


def unwrap(folded: str) -> str:
    """The reply without the few words around a lone answer (`folded`: normalised text)."""
    text = folded
    for _ in range(_MAX_PASSES):
        before = text
        text = _strip_before(text)
        text = _strip_after(text)
        text = trim(text, keep_leading=True)
        if text == before:
            break
    return text


def _strip_before(text: str) -> str:
    for word in _ZH_BEFORE:
        if text.startswith(word) and len(text) > len(word):
            return text[len(word):]
    for word in _EN_BEFORE:
        if text.startswith(word + " ") or (text.startswith(word) and text[len(word):][:1].isdigit()):
            return text[len(word):]
    return text


def _strip_after(text: str) -> str:
    for word in _ZH_AFTER:
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)]
    for word in _EN_AFTER:
        if text.endswith(" " + word) or (text.endswith(word) and text[: -len(word)][-1:].isdigit()):
            return text[: -len(word)]
    return text


def number_candidates(text: str) -> list[str]:
    """Every number written in the text (digits, Chinese numerals, English number words)."""
    return [m.group(0).strip(" -") for m in _NUMBER.finditer(text)]
