"""SMS keywords that work in any conversation state (DESIGN §5).

STOP/START/HELP follow the carrier keywords Twilio honours for opt-out, opt-in and
help (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT; START, UNSTOP; HELP, INFO) plus the
Chinese carrier forms 退订/TD and 订阅/帮助, and 取消订阅/停止 (unsubscribe, stop) and 求助 (help).
Traditional forms (退訂, 幫助) fold to these (`normalise`). YES is deliberately not an opt-in keyword
here: it is an answer to yes/no items. BACK and LATER steer the questionnaire dialogue.

A keyword must be the whole message, give or take surrounding punctuation, width, case
and a trailing number ("STOP 12345"). Sentences such as "stop texting me" are not
keywords; `stop_wish` recognises them so that the service can flag them to site staff.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pro_service.sms.domain.normalise import normalise


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    BACK = "back"
    LATER = "later"


_WORDS: dict[Keyword, tuple[str, ...]] = {
    Keyword.STOP: (
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "td",
        "退订",
        "取消订阅",
        "停止",
    ),
    Keyword.START: ("start", "unstop", "订阅"),
    Keyword.HELP: ("help", "info", "帮助", "求助", "help me", "help please"),
    Keyword.BACK: ("back", "上一题", "返回"),
    Keyword.LATER: ("later", "pause", "稍后", "暂停"),
}
# Longest first so that "stopall" is tried before "stop".
_BY_WORD: tuple[tuple[str, Keyword], ...] = tuple(
    sorted(
        ((word, keyword) for keyword, words in _WORDS.items() for word in words),
        key=lambda pair: -len(pair[0]),
    )
)
# What may follow a keyword: a number (a short code, a campaign id) and punctuation.
_TRAILER = re.compile(r"[\s\d\W_]*")

_WISHES_ZH = (
    "不要再发",
    "别再发",
    "别发",
    "不要发",
    "不要给我发",
    "别给我发",
    "不想收",
    "不想再收",
    "不再接收",
    "停止发送",
    "取消订阅",
    "退订",
    "拒收",
    "不要打扰",
    "别打扰",
    "退出",
)
_WISHES_EN = (
    re.compile(
        r"\bstop\b.*\b(text|texts|texting|messag\w*|sms|send\w*|contact\w*|this)\b"
    ),
    re.compile(
        r"\b(don'?t|do not|no more|never)\b.*\b(text|messag|sms|send|contact)\w*"
    ),
    re.compile(r"\b(unsubscribe|opt[- ]?out|withdraw\w*|quit)\b"),
    re.compile(r"\b(remove me|take me off|leave me alone)\b"),
)
# A whole reply that asks to stop without being the keyword: STOP with more than a number
# ("stop please", "Stop stop"), or 取消 (cancel), which may mean the questionnaire or the
# messages: the site asks which.
_STOP_AND_MORE = re.compile(r"stop(?:\s+(?:stop|please|pls|now|it|all|thanks|thank you))+")
_WISH_REPLIES = frozenset({"取消", "取消吧"})


def classify(text: str) -> Keyword | None:
    """Return the keyword `text` is, or None when it is an ordinary reply."""
    folded = normalise(text)
    for word, keyword in _BY_WORD:
        if folded == word:
            return keyword
        if folded.startswith(word) and _is_trailer(folded[len(word) :]):
            return keyword
    return None


def _is_trailer(rest: str) -> bool:
    return bool(rest) and _TRAILER.fullmatch(rest) is not None


def stop_wish(text: str) -> bool:
    """Tell whether `text` asks in words to stop messages (not the STOP keyword)."""
    if classify(text) is not None:
        return False
    folded = normalise(text)
    if folded in _WISH_REPLIES or any(phrase in folded for phrase in _WISHES_ZH):
        return True
    if _STOP_AND_MORE.fullmatch(folded):
        return True
    return any(pattern.search(folded) for pattern in _WISHES_EN)
