"""Which items each web page asks, where a participant goes next, and reading page fields.

Pure: no Flask, no database. The answer checks themselves are the response pipeline's
(`responses.domain.item_problem`), so the web form accepts exactly what SMS accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pro_service.instruments.domain.definitions import Instrument, Item, ResponseType
from pro_service.responses.domain import item_problem

# participant language (instrument texts) -> Babel locale (page texts) and the switch's label
LANGUAGES: dict[str, tuple[str, str]] = {"zh-CN": ("zh_Hans_CN", "中文"), "en": ("en", "English")}
DEFAULT_LANGUAGE = "zh-CN"
_SHARED_PAGE = (ResponseType.YES_NO, ResponseType.FREE_TEXT)
_YES, _NO = "yes", "no"


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as shown and as in the URL
    items: tuple[Item, ...]


def language_of(requested: str | None, participant: str | None) -> str:
    """The page language: an explicit choice first, then the participant's, then Chinese."""
    for lang in (requested, participant):
        if lang in LANGUAGES:
            return lang  # type: ignore[return-value]
    return DEFAULT_LANGUAGE


def pages_of(instrument: Instrument) -> tuple[Page, ...]:
    """A page per choice or number item (one EQ-5D dimension, one CLDQ item, the EQ VAS);
    consecutive yes/no and free-text items (the symptom check) share one page."""
    groups: list[list[Item]] = []
    for item in instrument.items:
        if item.type in _SHARED_PAGE and groups and groups[-1][-1].type in _SHARED_PAGE:
            groups[-1].append(item)
        else:
            groups.append([item])
    return tuple(Page(n, tuple(g)) for n, g in enumerate(groups, start=1))


def is_answered(page: Page, answers: Mapping[str, Any]) -> bool:
    return all(answers.get(item.id) is not None for item in page.items if item.required)


def first_unanswered(pages: tuple[Page, ...], answers: Mapping[str, Any]) -> Page | None:
    return next((page for page in pages if not is_answered(page, answers)), None)


def next_page(pages: tuple[Page, ...], number: int, answers: Mapping[str, Any], *,
              to_review: bool) -> Page | None:
    """The page after a saved one; None means the review page."""
    if to_review or number >= len(pages):
        return first_unanswered(pages, answers)
    return pages[number]


def parse_page(page: Page, fields: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed answers from a page's form fields, and an error ("missing"/"invalid") per item."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in page.items:
        raw = fields.get(item.id, "").strip()
        if not raw:
            if item.required:
                errors[item.id] = "missing"
            elif item.type == ResponseType.FREE_TEXT:
                answers[item.id] = None  # an emptied box clears an earlier answer
            continue
        value = _typed(item, raw)
        if value is None or item_problem(item, value):
            errors[item.id] = "invalid"
        else:
            answers[item.id] = value
    return answers, errors


def _typed(item: Item, raw: str) -> object:
    if item.type == ResponseType.YES_NO:
        return {_YES: True, _NO: False}.get(raw)
    if item.type == ResponseType.FREE_TEXT:
        return raw.replace("\r\n", "\n")
    try:
        return int(raw, 10)  # also takes full-width digits typed on a Chinese keyboard
    except ValueError:
        return None


def field_values(page: Page, answers: Mapping[str, Any],
                 posted: Mapping[str, str] | None = None) -> dict[str, str]:
    """What each field shows: what was just sent when re-asking, else the saved answer."""
    values: dict[str, str] = {}
    for item in page.items:
        if posted is not None and item.id in posted:
            values[item.id] = posted[item.id]
            continue
        value = answers.get(item.id)
        if value is None:
            values[item.id] = ""
        elif item.type == ResponseType.YES_NO:
            values[item.id] = _YES if value else _NO
        else:
            values[item.id] = str(value)
    return values


def answer_label(item: Item, value: Any, lang: str) -> str | None:
    """An answer as the participant chose it, for the review page (None when unanswered)."""
    if value is None or value == "":
        return None
    if item.type == ResponseType.YES_NO:
        value = 1 if value else 0
    for choice in item.choices:
        if choice.code == value:
            return _label(choice.label, lang)
    return str(value)


def options(item: Item, lang: str) -> tuple[tuple[str, str], ...]:
    """A choice or yes/no item's options as (field value, label); yes comes first."""
    if item.type == ResponseType.YES_NO:
        labels = {c.code: _label(c.label, lang) for c in item.choices}
        return ((_YES, labels.get(1, _YES)), (_NO, labels.get(0, _NO)))
    return tuple((str(c.code), _label(c.label, lang)) for c in item.choices)


def _label(labels: Mapping[str, str], lang: str) -> str:
    return labels.get(lang) or labels[DEFAULT_LANGUAGE]
