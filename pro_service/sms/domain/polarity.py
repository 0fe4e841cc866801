"""Yes or no in a reply: "有", "没有", "是的，有", "no I haven't", "yes, a little", "没有没有".

A reply is yes (or no) when it is a yes (no) word, or one followed by words that only repeat
or soften it ("有，有一点", "no, not at all", "yes I did"). A reply that also holds the other
answer or anything else ("没有，但是昨天吐血了", "yes no") is neither: it is asked again, and
the safety screen reads it as free text.
"""

from __future__ import annotations

import re

from pro_service.sms.domain.normalise import once, parts

YES = frozenset({
    "是", "是的", "有", "有的", "有过", "有啊", "对", "对的", "有点", "有一点", "有一点点", "有些",
    "有一些", "好像有", "我有", "y", "yes", "yeah", "yep", "yup", "yea", "i have", "i did", "a little",
    "a bit", "a little bit", "sometimes",
    "是滴", "是哒", "是啊", "是呀", "对啊", "对呀", "有呀", "ya", "yah", "yas",  # spoken forms
    "shide", "shi de", "youde", "you de", "dui", "duide", "dui de",  # pinyin, no character picked
})
NO = frozenset({
    "否", "没有", "没", "没有过", "我没有", "无", "不是", "不", "没事", "一点也没有", "一点都没有", "从来没有",
    "好像没有", "n", "no", "nope", "nah", "none", "none at all", "not really", "not at all",
    "never", "i haven't", "i have not", "i didn't", "i did not", "not that i know of",
    # spoken, dialect and chat forms: 木有 (internet), 没得 (south-west), 冇 (Cantonese)
    "木有", "没得", "冇", "冇有", "都没有", "都没", "也没有", "也没", "完全没有", "根本没有", "nil",
    "no way", "nothing",
    "meiyou", "mei you", "meiyo", "bushi", "bu shi", "meiyouguo", "mei you guo",  # pinyin
})
# A yes or no drawn out as it is said: "yesss", "yeahh", "noo", "nooo", "nopee", "nahh"
_DRAWN_OUT = ((re.compile(r"y+e+s+|y+e+a+h*|y+e+p+|y+u+p+|y+a+h*"), "yes"),
              (re.compile(r"n+o+|n+o+p+e*|n+a+h+"), "no"))
# what may follow a yes (no) word without changing it: the other form of the same answer
_AFTER_YES = YES | {"i do", "i am", "it is", "it did", "thanks", "thank you", "谢谢"}
_AFTER_NO = NO | {"i don't", "i do not", "i'm not", "it isn't", "thanks", "thank you", "谢谢", "都没有",
                  "我很好", "我挺好的", "挺好的", "很好", "一切都好", "都挺好", "放心", "i'm fine",
                  "i am fine", "i'm ok", "i'm okay", "all good", "i'm good", "fine"}
_LATIN = re.compile(r"[a-z]")


def yes_or_no(folded: str) -> bool | None:
    """True for yes, False for no, None for anything else (`folded`: normalised text)."""
    for drawn_out, word in _DRAWN_OUT:
        if drawn_out.fullmatch(folded):
            folded = word
    folded = once(folded)  # "对对对", "没有没有没有"
    if folded in YES:
        return True
    if folded in NO:
        return False
    for words, after, value in ((YES, _AFTER_YES, True), (NO, _AFTER_NO, False)):
        for word in words:
            if not folded.startswith(word) or len(folded) == len(word):
                continue
            rest = folded[len(word):]
            if _LATIN.match(word[-1]) and _LATIN.match(rest[0]):
                continue  # "no" is not the start of "none" or "nobody"
            tail = " ".join(parts(rest))
            if tail in after:
                return value
    return None
