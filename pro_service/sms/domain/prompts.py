"""Build the chatbot's outgoing texts: invitation, item prompts, re-prompts, read-back.

A choice item lists its options compactly after the question ("1 无困难 2 轻微 …");
each option is shown by its first `Choice.words` entry for the language, else by its
label, so an instrument file can give short SMS names to options with long labels.
"""

from __future__ import annotations

from collections.abc import Mapping

from pro_service.instruments.domain.definitions import (
    Choice,
    Instrument,
    Item,
    ResponseType,
)
from pro_service.sms.domain.labels import short_label
from pro_service.sms.domain.replies import ParseError, Problem, integer_range
from pro_service.sms.domain.state import AnswerRecord
from pro_service.sms.domain.texts import LINK, language_of, localised, text

_FREE_TEXT_SHOWN = 20  # characters of a free-text answer repeated in the read-back
_CANDIDATES_SHOWN = 3
_RUN = 10  # unlabelled items (the CLDQ's 29) are read back ten to a numbered group
_OPTION_SEPARATOR = {"zh-CN": " ", "en": ", "}


def invitation(
    instrument: Instrument, language: str, link_placeholder: str = LINK
) -> str:
    """The first message of an occasion: how to start (reply 1) and the web link."""
    title = localised(instrument.title, language)
    return text("invitation", language, link=link_placeholder, title=title)


def start_hint(instrument: Instrument, language: str) -> str:
    """Remind an invited participant how to start."""
    return text("start_hint", language, title=localised(instrument.title, language))


def thank_you(language: str) -> str:
    """The closing message; it says nothing about the answers."""
    return text("thanks", language)


def options(item: Item, language: str) -> str:
    """The coded options of a choice item on one line: "1 无困难 2 轻微 3 中度"."""
    separator = _OPTION_SEPARATOR[language_of(language)]
    return separator.join(
        f"{choice.code} {_short_name(choice, language)}" for choice in item.choices
    )


def _short_name(choice: Choice, language: str) -> str:
    chosen = choice.words.get(language_of(language), ())
    return chosen[0] if chosen else localised(choice.label, language)


def allowed(item: Item, language: str) -> str:
    """What a valid reply to `item` looks like, for re-prompts."""
    if item.type is ResponseType.CHOICE:
        return text("choice_hint", language) + options(item, language)
    if item.type is ResponseType.INTEGER:
        low, high = integer_range(item)
        return text("integer_hint", language, minimum=low, maximum=high)
    if item.type is ResponseType.YES_NO:
        return text("yes_no_hint", language)
    return text("free_text_hint", language)


def item_prompt(
    instrument: Instrument,
    index: int,
    language: str,
    previous: AnswerRecord | None = None,
) -> str:
    """Ask item `index`: progress, short question, options or hint, earlier answer."""
    item = instrument.items[index]
    progress = text("progress", language, number=index + 1, total=len(instrument.items))
    question = progress + localised(item.sms or item.text, language)
    if previous is not None:
        question += text(
            "previous", language, answer=describe(item, previous, language)
        )
    if item.type is ResponseType.CHOICE:
        return question + "\n" + options(item, language)
    return question + "\n" + allowed(item, language)


def reprompt(item: Item, language: str, offer_link: bool,
             problem: ParseError | None = None) -> str:
    """Say the reply was not understood (or held several answers), list allowed answers, maybe
    offer the link."""
    if problem is not None and problem.problem is Problem.AMBIGUOUS:
        shown = ", ".join(problem.candidates[:_CANDIDATES_SHOWN])
        if len(problem.candidates) > _CANDIDATES_SHOWN:
            shown += ", …"
        lead = text("ambiguous", language, count=len(problem.candidates), candidates=shown)
    else:
        lead = text("not_understood", language)
    message = lead + allowed(item, language)
    if offer_link:
        message += "\n" + text("offer_link", language)
    return message


def describe(item: Item, record: AnswerRecord, language: str) -> str:
    """One answer as shown back to the participant."""
    value = record.value
    if value is None:
        return text("nothing", language)
    if isinstance(value, bool):
        return text("yes" if value else "no", language)
    shown = str(value)
    if len(shown) > _FREE_TEXT_SHOWN:
        shown = shown[:_FREE_TEXT_SHOWN] + "..."  # "…" is not GSM-7
    return shown


def readback(
    instrument: Instrument, answers: Mapping[str, AnswerRecord], language: str
) -> str:
    """All answers in one message, each named, and how to confirm.

    An item with a short label is shown as "label answer" ("行动 2 · 自理 1 · … · 健康 75");
    items without one (the CLDQ's 29) in numbered groups of ten ("第1-10题 3-4-5-…"), so
    the whole read-back stays within the segment budget (tests/unit/sms).
    """
    parts: list[str] = []
    run: list[tuple[int, str]] = []
    for number, item in enumerate(instrument.items, start=1):
        record = answers.get(item.id)
        shown = "?" if record is None else describe(item, record, language)
        label = short_label(item.id, language)
        if label is None:
            run.append((number, shown))
            if len(run) == _RUN:
                parts.append(_run_text(run, language))
                run = []
            continue
        if run:
            parts.append(_run_text(run, language))
            run = []
        parts.append(f"{label} {shown}")
    if run:
        parts.append(_run_text(run, language))
    summary = text("label_separator", language).join(parts)
    return text("readback", language, answers=summary)


def _run_text(run: list[tuple[int, str]], language: str) -> str:
    first, last = run[0][0], run[-1][0]
    return text("items_range", language, first=first, last=last) + " " + "-".join(v for _, v in run)
