"""The SMS questionnaire dialogue as a pure state machine (DESIGN §5).

`step(state, text, instrument, language)` takes the stored state and one inbound text
and returns the next state, the replies to send, the answers recorded and the events.

- invited: "1" (also 开始, start, ok, 好, yes, 是, and these in a few words: "好的，开始",
  "开始吧", "yes please") starts and asks item 1; anything else repeats how to start, with
  the web link.
- asking: one item per message. A valid reply records the answer and asks the next
  item (an item asked again after BACK shows its earlier answer). An invalid reply
  re-prompts with the allowed answers; from the 2nd consecutive invalid reply to the
  same item the re-prompt also offers the web link (`{link}`, filled by the service),
  and the 2nd raises `OfferWebLink`.
- BACK/上一题 asks the previous item again; from the read-back it asks the last item.
- LATER/稍后 pauses. While paused, the next message (whatever it says, except LATER
  again) resumes: it is NOT read as an answer; the current item or the read-back is sent
  again. A conversation paused before it started treats that message as in `invited`.
- After the last item: a read-back ("1-2-1-3-2, VAS 70"); OK/好/确认 submits
  (`Completed` with all answers, phase done, a thank-you with nothing clinical in it),
  BACK changes the last item.
- done: every message gets a short "already complete" reply.

STOP, START and HELP are the service's to handle before calling `step`; red-flag
screening also happens in the service, on every inbound text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from pro_service.instruments.domain.definitions import Instrument
from pro_service.sms.domain import prompts
from pro_service.sms.domain.keywords import Keyword, classify
from pro_service.sms.domain.normalise import normalise, once, parts
from pro_service.sms.domain.prompts import invitation, thank_you
from pro_service.sms.domain.replies import ParseError, parse
from pro_service.sms.domain.state import (
    AnswerRecord,
    AnswerRecorded,
    Completed,
    Event,
    OfferWebLink,
    Paused,
    Phase,
    Resumed,
    Started,
    State,
)
from pro_service.sms.domain.texts import text as message
from pro_service.sms.domain.wrappers import unwrap, without_particles

__all__ = ["StepResult", "current_prompt", "invitation", "step", "thank_you"]

LINK_AFTER_RETRIES = 2
_START_WORDS = frozenset(
    {"1", "开始", "现在开始", "start", "begin", "ok", "okay", "好", "好的", "好啊", "可以", "行",
     "嗯", "来", "准备好", "yes", "是", "y", "sure", "ready", "i'm ready", "go", "let's go",
     "let's start", "let's begin", "start now",
     # spoken and chat forms of "ok", the "1" asked for in other forms, "got it"
     "好嘞", "好滴", "好哒", "好呀", "好吧", "嗯嗯", "可以开始", "开始答题", "开始填写", "开始做",
     "准备好了", "我准备好了", "收到", "没问题", "要得", "一", "one", "k", "kk", "okey", "okk", "okie", "yep",
     "yeah", "yup", "go ahead", "start it", "begin now", "i'm ready now",
     "kaishi", "haode", "hao de", "keyi"}  # pinyin sent when no character was picked
)
_CONFIRM_WORDS = frozenset(
    {
        "ok",
        "okay",
        "好",
        "好的",
        "确认",
        "确定",
        "提交",
        "没问题",
        "是",
        "对",
        "yes",
        "y",
        "confirm",
        "可以",
        "行",
        "是的",
        "对的",
        "正确",
        "确认提交",
        "没错",
        "都对",
        "嗯",
        "submit",
        "correct",
        "right",
        "that's right",
        "looks good",
        "all good",
        # more ways of saying "all correct" and "ok"
        "是对的", "全对", "都正确", "正确无误", "确认无误", "无误", "都没错", "对了", "好嘞", "好滴",
        "好哒", "好呀", "嗯嗯", "收到", "k", "kk", "okey", "okk", "yep", "yeah", "yup", "sure",
        "that's correct", "all correct", "all right", "confirmed", "perfect", "fine", "yes correct",
        "correct yes", "yes that's right", "queren", "haode", "hao de", "keyi", "dui",
    }
)
# Courtesy that may come with a start or confirm word without changing it ("ok thanks",
# "好的谢谢", "回复1": the instruction copied back)
_COURTESY = frozenset({"谢谢", "谢谢您", "谢谢你", "多谢", "thanks", "thank you", "thx", "please",
                       "回复", "reply"})
# Where digits, Latin letters and Chinese meet in a reply run together ("1开始", "ok开始")
_RUN_TOGETHER = re.compile(
    r"(?<=[0-9])(?=[^0-9])|(?<=[^0-9])(?=[0-9])"
    r"|(?<=[a-z])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[a-z])"
)


# A reply of nothing but an agreeing sign ("👍", "👌🏻", "✅") says ok; skin tones and variation
# selectors may follow each sign.
_AGREEING = re.compile("(?:[\U0001F44D\U0001F44C\U0001F197\u2705\u2714\u2611][\U0001F3FB-\U0001F3FF\uFE0F]*)+")


def _says_one_of(text: str, words: frozenset[str]) -> bool:
    """`text` is one of `words`, also in a few words ("好的，开始", "开始吧", "yes please") or
    as several of them ("没问题，提交"); a word that is not one of them ("不对") makes it none.
    Courtesy around them ("ok thanks", "回复1") is left out. An agreeing sign alone ("👍") is "ok"."""
    if _AGREEING.fullmatch(text.strip()):
        return "ok" in words
    folded = normalise(text)
    if folded in words or unwrap(folded) in words or once(folded) in words:
        return True
    pieces = [_courtesy_off(part) for part in parts(_RUN_TOGETHER.sub(" ", folded))]
    pieces = [piece for piece in pieces if piece not in _COURTESY]
    return bool(pieces) and all(
        piece in words or unwrap(piece) in words or without_particles(piece) in words
        for piece in pieces
    )


def _courtesy_off(piece: str) -> str:
    """`piece` without a courtesy word run into it ("好的谢谢" -> 好的, "回复1" stays split)."""
    for word in _COURTESY:
        if piece.endswith(word) and len(piece) > len(word):
            return piece[: -len(word)].strip()
        if piece.startswith(word) and len(piece) > len(word):
            return piece[len(word):].strip()
    return piece


@dataclass(frozen=True)
class StepResult:
    state: State
    replies: tuple[str, ...] = ()
    answers: Mapping[str, AnswerRecord] = field(
        default_factory=dict
    )  # recorded by this step
    events: tuple[Event, ...] = ()


def step(state: State, text: str, instrument: Instrument, language: str) -> StepResult:
    """Advance the conversation by one inbound `text`."""
    keyword = classify(text)
    if state.phase is Phase.DONE:
        return StepResult(state, (message("already_done", language),))
    if state.phase is Phase.PAUSED:
        if keyword is Keyword.LATER:
            return StepResult(state, (message("paused", language),))
        return _resume(state, text, instrument, language)
    if keyword is Keyword.LATER:
        return _pause(state, language)
    if state.phase is Phase.INVITED:
        return _invited(state, text, instrument, language)
    if keyword is Keyword.BACK:
        return _back(state, instrument, language)
    if state.phase is Phase.CONFIRMING:
        return _confirming(state, text, instrument, language)
    return _answer(state, text, instrument, language)


def current_prompt(state: State, instrument: Instrument, language: str) -> str:
    """The text asking for what `state` waits for (used on resume and after HELP)."""
    phase = state.resume_phase if state.phase is Phase.PAUSED else state.phase
    if phase is Phase.INVITED:
        return prompts.start_hint(instrument, language)
    if phase is Phase.ASKING:
        item = instrument.items[state.index]
        previous = state.answers.get(item.id)
        return prompts.item_prompt(instrument, state.index, language, previous)
    if phase is Phase.CONFIRMING:
        return prompts.readback(instrument, state.answers, language)
    return message("already_done", language)


def _invited(
    state: State, text: str, instrument: Instrument, language: str
) -> StepResult:
    if not _says_one_of(text, _START_WORDS):
        return StepResult(state, (prompts.start_hint(instrument, language),))
    asked = _ask_from(replace(state, retries=0), 0, instrument, language)
    return replace(asked, events=(Started(), *asked.events))


def _answer(
    state: State, text: str, instrument: Instrument, language: str
) -> StepResult:
    item = instrument.items[state.index]
    parsed = parse(item, text, language)
    if isinstance(parsed, ParseError):
        retries = state.retries + 1
        reply = prompts.reprompt(
            item, language, offer_link=retries >= LINK_AFTER_RETRIES, problem=parsed
        )
        events: tuple[Event, ...] = ()
        if retries == LINK_AFTER_RETRIES:
            events = (OfferWebLink(item.id),)
        return StepResult(replace(state, retries=retries), (reply,), events=events)
    record = AnswerRecord.of(parsed)
    answered = replace(state, answers={**state.answers, item.id: record}, retries=0)
    result = _ask_from(answered, state.index + 1, instrument, language)
    return replace(
        result,
        answers={item.id: record},
        events=(AnswerRecorded(item.id, record), *result.events),
    )


def _ask_from(
    state: State, index: int, instrument: Instrument, language: str
) -> StepResult:
    """Ask item `index`, or read all answers back when there is none left."""
    if index >= len(instrument.items):
        confirming = replace(state, phase=Phase.CONFIRMING, index=len(instrument.items))
        return StepResult(
            confirming, (prompts.readback(instrument, state.answers, language),)
        )
    asking = replace(state, phase=Phase.ASKING, index=index, retries=0)
    return StepResult(asking, (current_prompt(asking, instrument, language),))


def _back(state: State, instrument: Instrument, language: str) -> StepResult:
    if state.phase is Phase.ASKING and state.index == 0:
        prompt = current_prompt(replace(state, retries=0), instrument, language)
        return StepResult(
            replace(state, retries=0), (message("first_item", language) + prompt,)
        )
    return _ask_from(state, max(state.index - 1, 0), instrument, language)


def _confirming(
    state: State, text: str, instrument: Instrument, language: str
) -> StepResult:
    if not _says_one_of(text, _CONFIRM_WORDS):
        return StepResult(state, (message("confirm_hint", language),))
    done = replace(state, phase=Phase.DONE, retries=0)
    return StepResult(
        done, (thank_you(language),), events=(Completed(dict(state.answers)),)
    )


def _pause(state: State, language: str) -> StepResult:
    paused = replace(state, phase=Phase.PAUSED, resume_phase=state.phase, retries=0)
    return StepResult(paused, (message("paused", language),), events=(Paused(),))


def _resume(
    state: State, text: str, instrument: Instrument, language: str
) -> StepResult:
    resumed = replace(
        state, phase=state.resume_phase or Phase.ASKING, resume_phase=None
    )
    if resumed.phase is Phase.INVITED:
        result = _invited(resumed, text, instrument, language)
        return replace(result, events=(Resumed(), *result.events))
    reply = message("resumed", language) + current_prompt(resumed, instrument, language)
    return StepResult(resumed, (reply,), events=(Resumed(),))
