"""The clarifying safety question (issue 12, DESIGN §10 "Ask when unsure"): pure.

When the detector is unsure, the chatbot asks one short yes/no question in the
participant's (or caregiver's) language, whatever state the questionnaire is in, and
resumes the questionnaire after the answer. At most one question is open at a time.

- "yes" (1) to a symptom question raises the category's alert at the question's
  urgency with the original text as evidence; "no" (2) records the answer only;
- no answer within 30 minutes: an urgent alert for a bleeding, confusion or breathing
  question (fail-safe), a routine one otherwise;
- "is this about the person in the study?" follows an alert raised from a report
  about he, she or a relative: its answer is recorded on the alert, nothing is raised.

A reply that is not a yes or a no is not taken as an answer: the question stays open
and the text goes through the ordinary path (screening, keywords, questionnaire).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pro_service.sms.domain.normalise import normalise
from pro_service.sms.domain.polarity import yes_or_no

ANSWER_WINDOW = timedelta(minutes=30)
# a silent bleeding, confusion or breathing question raises an urgent alert
FAILSAFE_URGENT = frozenset({"gi_bleeding", "encephalopathy", "infusion_reaction"})
BREATHING_TERMS = ("breathing", "chest")
RANK = {"routine": 0, "urgent": 1, "emergency": 2}


class Kind(StrEnum):
    SYMPTOM = "symptom"  # "are you … now?"
    ABOUT_PARTICIPANT = "about_participant"  # "is this about the person in the study?"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"


class Status(StrEnum):
    OPEN = "open"
    YES = "yes"
    NO = "no"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Ask:
    """A question to put: what it is about and what a "yes" raises."""

    kind: Kind
    category: str
    urgency: str  # the alert a "yes" raises (symptom questions)
    term_id: str = ""


@dataclass(frozen=True)
class Outcome:
    status: Status
    raise_alert: bool
    category: str = ""
    urgency: str = ""


# What this question reads beyond any yes/no reply (`polarity`): the digits it offers, and
# 嗯, a yes to a question
_YES = frozenset({"1", "嗯"})
_NO = frozenset({"2", "没有的", "沒有"})
_FULL_DIGITS = {"一": "1", "二": "2", "两": "2"}


# the digit offered followed by its word: "1 有", "2，没有", "1是的"
_NUMBERED = re.compile(r"(?P<digit>[12一二两])\s*[,.:;，。：、]?\s*(?P<words>\D.*)")


def parse_answer(text: str) -> Answer | None:
    """Read a yes/no reply: 1/2, full-width digits, 一/二, yes/no, 有/没有, 是/不是 (also with words
    that only repeat or soften the answer), or a digit with the same answer in words ("2 没有")."""
    word = normalise(text)
    value = _value(word)
    numbered = _NUMBERED.fullmatch(word) if value is None else None
    if numbered:
        said = _value(numbered["digit"]), _value(numbered["words"])
        value = said[0] if said[0] == said[1] else None  # "1 没有" says both: ask again
    return None if value is None else Answer.YES if value else Answer.NO


def _value(word: str) -> bool | None:
    word = _FULL_DIGITS.get(word, word)
    return True if word in _YES else False if word in _NO else yes_or_no(word)


def choose(
    unsure: list[Ask], about_participant: Ask | None, open_question: bool
) -> Ask | None:
    """The one question to ask now, if any: none while another is open.

    The most urgent symptom question wins; the "is this about the person in the
    study?" question is asked when there is no symptom question.
    """
    if open_question:
        return None
    if unsure:
        return max(unsure, key=lambda a: RANK[a.urgency])
    return about_participant


def answer(kind: Kind, category: str, urgency: str, reply: Answer) -> Outcome:
    """What a yes or no to an open question does."""
    status = Status.YES if reply is Answer.YES else Status.NO
    if kind is Kind.SYMPTOM and reply is Answer.YES:
        return Outcome(status, True, category, urgency)
    return Outcome(status, False)


def expires_at(asked_at: datetime) -> datetime:
    """When silence counts as no answer."""
    return asked_at + ANSWER_WINDOW


def on_silence(kind: Kind, category: str, term_id: str = "") -> Outcome:
    """No answer in time: urgent for bleeding, confusion or breathing, else routine."""
    if kind is Kind.ABOUT_PARTICIPANT:
        return Outcome(Status.EXPIRED, False)
    breathing = any(word in term_id for word in BREATHING_TERMS)
    urgent = category in FAILSAFE_URGENT or breathing
    return Outcome(Status.EXPIRED, True, category, "urgent" if urgent else "routine")


_SYMPTOM = {
    "zh-CN": {
        "gi_bleeding": "您现在有呕血或黑便吗？",
        "encephalopathy": "（您或您照顾的病人）现在有神志不清、叫不醒或不认人吗？",
        "renal": "您现在小便明显减少或完全没有小便吗？",
        "infection": "您现在发烧或发冷发抖吗？",
        "ascites": "您现在肚子明显胀大吗？",
        "jaundice": "您现在眼睛或皮肤发黄吗？",
        "infusion_reaction": "您现在有皮疹、喉咙发紧或呼吸困难吗？",
        "syncope": "您最近有晕倒或差点晕倒吗？",
        "self_harm": "您现在有伤害自己或不想活的念头吗？",
        "other": "您现在有让您担心的新的不舒服吗？",
    },
    "en": {
        "gi_bleeding": "are you vomiting blood or passing black stools now?",
        "encephalopathy": "is anyone (you or the person you care for) confused, "
        "hard to wake or not recognising family now?",
        "renal": "are you passing much less urine than usual, or none, now?",
        "infection": "do you have a fever or shivering now?",
        "ascites": "is your belly clearly more swollen now?",
        "jaundice": "are your eyes or skin yellow now?",
        "infusion_reaction": "do you have a rash, a tight throat or trouble "
        "breathing now?",
        "syncope": "have you fainted or nearly fainted recently?",
        "self_harm": "are you having thoughts of harming yourself or of not "
        "wanting to live now?",
        "other": "do you have a new symptom that worries you now?",
    },
}
_PREFIX = {"zh-CN": "为安全起见：", "en": "To be safe: "}
_REPLY = {"zh-CN": "回复 1 有，2 没有", "en": "Reply 1 yes, 2 no"}
_ABOUT = {
    "zh-CN": "为安全起见：您说的是参加研究的本人吗？回复 1 是，2 不是",
    "en": "To be safe: is this about the person in the study? Reply 1 yes, 2 no",
}
_THANKS = {
    "zh-CN": {Answer.YES: "谢谢您的回复。", Answer.NO: "谢谢，已记录：没有。"},
    "en": {Answer.YES: "Thank you for your answer.", Answer.NO: "Thank you, noted: no."},
}


def _lang(language: str) -> str:
    return "en" if language == "en" else "zh-CN"


def question_text(ask: Ask, language: str) -> str:
    """The question, short enough for one SMS segment or two."""
    lang = _lang(language)
    if ask.kind is Kind.ABOUT_PARTICIPANT:
        return _ABOUT[lang]
    text = _SYMPTOM[lang].get(ask.category, _SYMPTOM[lang]["other"])
    gap = " " if lang == "en" else ""
    return f"{_PREFIX[lang]}{text}{gap}{_REPLY[lang]}"


def thanks_text(reply: Answer, language: str) -> str:
    """The acknowledgement of an answer (advice, if any, is added by the safety room)."""
    return _THANKS[_lang(language)][reply]
