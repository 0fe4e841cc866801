"""A lone answer wrapped in a few words: "我选2", "2吧，谢谢", "I choose seven", "3 please".

Only known wrappers at the very start or end are taken off, and what is left must then be
an answer on its own; anything else stays not understood. Numbers are counted so a reply
holding two candidate answers ("2或3", "2 or 3") is asked again, never guessed.
"""

from __future__ import annotations

import re

from pro_service.sms.domain.normalise import trim
from pro_service.sms.domain.numerals import EN_NUMBER_WORDS


def _longest_first(*groups: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """The words grouped by length, longest first: a reply's start or end is looked up once
    per length, so the longest wrapper it has is found without trying each word."""
    words = {word for group in groups for word in group}
    return tuple((n, frozenset(w for w in words if len(w) == n))
                 for n in sorted({len(w) for w in words}, reverse=True))


# "我选了", "我想选", "就选", "选的是", "我给自己打", "打分": a subject, a verb of choosing or
# scoring, an aspect particle. Longest first, so "我选择" goes before "我选". Words that change
# the answer (不, 大概, 左右, about, maybe) are never taken off: such a reply is asked again.
_ZH_GREETED = ("医生", "大夫", "护士", "老师", "主任", "各位")  # whom a reply greets or thanks
_ZH_SUBJECTS = ("", "我", "我想", "我要", "我会", "我就", "就", "那就", "那我", "还是", "我还是")
_ZH_VERBS = ("选择", "选", "挑", "回答", "答", "填", "打分", "打", "给自己打", "给", "评分", "评")
_ZH_ASPECTS = ("", "了", "的是")
_ZH_BEFORE = _longest_first(
    tuple(s + v + a for s in _ZH_SUBJECTS for v in _ZH_VERBS for a in _ZH_ASPECTS),
    ("我的答案是", "我的回答是", "我的选择是", "答案是", "回答是", "选择是", "分数是", "评分是",
     "答案", "选项", "分数", "我觉得是", "我觉得", "我认为是", "应该是", "就是", "我有"),
    ("今天是", "今天", "现在是", "现在", "目前是", "目前"),  # the day the question asks about
    ("嗯嗯", "嗯", "好的", "好", "哦", "噢", "额", "呃", "那个", "那", "就"),  # a reply's first sounds
    tuple(g + t for g in _ZH_GREETED for t in ("好", "您好", "你好")),  # "医生好", "您好"
    ("您好", "你好", "谢谢", "谢谢您", "收到", "回复", "回复是", "百分之"))  # "百分之75": a VAS score as a percentage
_ZH_AFTER = _longest_first(
    ("谢谢您", "谢谢你", "谢谢", "多谢", "谢了", "吧", "啊", "呀", "哦", "噢", "喔", "咯", "嗯",
     "呢", "啦", "哈", "嘛", "了", "的", "哇", "嘞", "哟", "呐", "滴", "得"),  # 滴, 得: 的 as typed
    tuple(t + g for t in ("谢谢", "感谢") for g in (*_ZH_GREETED, "你们", "您们", "大家", "啦")),
    ("感谢", "感谢您", "麻烦了", "麻烦您了", "辛苦了", "辛苦您了", "祝好", "请查收"))  # sign-offs
_EN_BEFORE = _longest_first(
    ("my answer is", "the answer is", "answer is", "my choice is", "my score is", "i would say",
     "i'd say", "i'll say", "i will say", "i say", "i choose", "i chose", "i'll choose",
     "i'd choose", "i pick", "i picked", "i'll pick", "i'd pick", "i select", "i selected",
     "i'd go with", "i'll go with", "go with", "i think it's", "i think it is", "i think",
     "i guess", "i'd rate it", "i rate it", "i'd give it", "i give it", "it is", "it's",
     "i have", "i've got", "i've had", "choose", "pick", "select", "answer", "option", "number",
     "level", "score", "today it's", "today it is", "today", "right now", "now"),
    ("ok", "okay", "well", "um", "umm", "hmm", "so", "oh"),  # a reply's first sounds
    ("hi", "hello", "hey", "dear doctor", "hi doctor", "hello doctor", "thanks", "thank you",
     "no.", "reply"),  # greetings; "No. 3" (a number sign, unlike "no 3"); the prompt's word
    ("my choice", "my answer", "choice", "opt", "lvl", "i go for", "i'll go for", "i'd go for",
     "go for", "i take", "i'll take", "i'd take", "mark", "put me down for"))
_EN_AFTER = _longest_first(
    ("thank you", "thanks", "thx", "ty", "please", "i think", "i guess", "for me", "points",
     "point", "pts", "pt", "percent", "per cent", "out of 100", "/100", "is my answer", "today",
     "right now", "at the moment"),
    ("thank u", "thank you so much", "thank you very much", "thanks a lot", "many thanks",
     "thanks doctor", "thank you doctor", "pls", "plz", "cheers", "regards", "ta", "ok"))
_MAX_PASSES = 5  # "我选2吧，谢谢": three wrappers; a longer chain is not "a few words"
# Words naming the day an EQ-5D answer is about. A yes/no symptom item asks about the time since
# the last check-in, so "现在没有了" (not any more) does not answer it: there they stay.
_DAY_WORDS = frozenset({"今天是", "今天", "现在是", "现在", "目前是", "目前", "today it's",
                        "today it is", "today", "right now", "now", "at the moment"})

# An answer named by its place: "第三个", "第3项", "3号", "the third one", "3rd".
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_ORDINAL = re.compile(
    r"第\s*(?P<zh>[0-9]+|[一二两三四五六七八九十]+)\s*(?:个|项|条|种|档|级)?(?:选项|答案)?"
    r"|(?P<no>[0-9]+|[一二两三四五六七])\s*(?:号|项)"
    r"|(?:the\s+)?(?:(?P<en>" + "|".join(_EN_ORDINALS) + r")|(?P<th>[0-9]+)(?:st|nd|rd|th))"
    r"(?:\s+(?:one|option|choice|answer))?")

_NUMBER = re.compile(
    r"[0-9]+(?:\.[0-9]+)?|[零〇一二两俩三仨叁叄參四五六七八九十百壹贰肆伍陆柒捌玖拾佰幺]++(?!分之)|"
    r"(?<![a-z])(?:(?:" + "|".join(sorted(EN_NUMBER_WORDS - {"a", "and"}, key=len, reverse=True))
    + r")(?![a-z])(?:[\s-]+(?:and[\s-]+)?(?=[a-z]))?)+")


def unwrap(folded: str, days: bool = True) -> str:
    """The reply without the few words around a lone answer (`folded`: normalised text);
    without `days`, words naming the day ("今天", "right now") are kept."""
    text = folded
    skip = frozenset() if days else _DAY_WORDS
    for _ in range(_MAX_PASSES):
        before = text
        text = _strip_before(text, skip)
        text = _strip_after(text, skip)
        text = trim(text, keep_leading=True)
        if text == before:
            break
    return _place(text)


def _place(text: str) -> str:
    """The number an answer named by its place stands for ("第三个" -> "三"), else `text`."""
    found = _ORDINAL.fullmatch(text)
    if found is None:
        return text
    if found["en"]:
        return str(_EN_ORDINALS[found["en"]])
    return found["zh"] or found["no"] or found["th"]


def _strip_before(text: str, skip: frozenset[str]) -> str:
    """`text` without the longest wrapper it starts with (something must be left)."""
    size = len(text)
    for n, words in _ZH_BEFORE:
        if n < size and text[:n] in words and text[:n] not in skip:
            return text[n:]
    for n, words in _EN_BEFORE:  # a whole word: "option 3", "option3", "answer: 3", not "someone"
        if n < size and text[:n] in words and text[:n] not in skip and not text[n].isalpha():
            return text[n:]
    return text


def _strip_after(text: str, skip: frozenset[str]) -> str:
    """`text` without the longest wrapper it ends with (something must be left)."""
    size = len(text)
    for n, words in _ZH_AFTER:
        if n < size and text[-n:] in words:
            return text[:-n]
    for n, words in _EN_AFTER:  # a whole word: "3 thx", "3,thx", "3pts", not "3 ninety"
        if n < size and text[-n:] in words and text[-n:] not in skip and not text[-n - 1].isalpha():
            return text[:-n]
    return text


def without_particles(folded: str) -> str:
    """The reply without the particles and sign-offs after it ("好的呢" -> 好的)."""
    text = folded
    for _ in range(_MAX_PASSES):
        shorter = trim(_strip_after(text, frozenset()))
        if shorter == text:
            break
        text = shorter
    return text


def number_candidates(text: str) -> list[str]:
    """Every number written in the text (digits, Chinese numerals, English number words);
    the 百 of 百分之 ("per cent") is not one."""
    return [m.group(0).strip(" -") for m in _NUMBER.finditer(text)]
