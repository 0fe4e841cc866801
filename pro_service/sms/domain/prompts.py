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
from pro_service.sms.domain.replies import integer_range
from pro_service.sms.domain.state import AnswerRecord
from pro_service.sms.domain.texts import LINK, language_of, localised, text

_FREE_TEXT_SHOWN = 20  # characters of a free-text answer repeated in the read-back
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


def reprompt(item: Item, language: str, offer_link: bool) -> str:
    """Say the reply was not understood, list allowed answers, maybe offer the link."""
    message = text("not_understood", language) + allowed(item, language)
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
        shown = shown[:_FREE_TEXT_SHOWN] + "…"
    return shown


def readback(
    instrument: Instrument, answers: Mapping[str, AnswerRecord], language: str
) -> str:
    """All answers in one line and how to confirm: "1-2-1-3-2, VAS 70. Reply OK …".

    Runs of choice answers are joined by "-" (EQ-5D levels, CLDQ scores); an integer
    item is shown by its id ("VAS 70"); yes/no and free-text items by number ("3.yes").
    """
    parts: list[str] = []
    run: list[str] = []
    for number, item in enumerate(instrument.items, start=1):
        record = answers.get(item.id)
        shown = "?" if record is None else describe(item, record, language)
        if item.type is ResponseType.CHOICE:
            run.append(shown)
            continue
        if run:
            parts.append("-".join(run))
            run = []
        is_integer = item.type is ResponseType.INTEGER
        parts.append(f"{item.id} {shown}" if is_integer else f"{number}.{shown}")
    if run:
        parts.append("-".join(run))
    summary = text("list_separator", language).join(parts)
    return text("readback", language, answers=summary)
