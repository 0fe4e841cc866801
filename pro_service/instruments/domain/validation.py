"""Cross-field rules for a loaded instrument (DESIGN §4), naming item and reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from pro_service.instruments.domain.cldq import CLDQ_DOMAINS, ITEM_RANGE
from pro_service.instruments.domain.definitions import Instrument, Item, ResponseType
from pro_service.instruments.domain.eq5d import VAS_RANGE
from pro_service.instruments.domain.value_sets import (
    DIMENSIONS,
    get_value_set,
    value_set_codes,
)

Problem = tuple[str | None, str]  # (item id or None for the file as a whole, reason)

REQUIRED_LANGUAGES = ("zh-CN", "en")
SAFETY_CATEGORIES = frozenset(
    {
        "gi_bleeding",
        "encephalopathy",
        "ascites",
        "infection",
        "jaundice",
        "renal",
        "infusion_reaction",
        "syncope",
        "self_harm",
        "other",
    }
)  # DESIGN §6
SAFETY_URGENCIES = ("emergency", "urgent", "routine")
SCORERS = ("eq5d", "cldq", "none")


def find_problems(instrument: Instrument) -> list[Problem]:
    """Return every rule the instrument breaks; an empty list means it is usable."""
    problems = list(_file_problems(instrument))
    for item in instrument.items:
        problems += [
            (item.id, reason) for reason in _item_problems(item, instrument.languages)
        ]
    problems += _scoring_problems(instrument)
    return problems


def _missing_languages(
    texts: Mapping[str, str], languages: tuple[str, ...]
) -> list[str]:
    return [lang for lang in languages if not str(texts.get(lang, "")).strip()]


def _file_problems(instrument: Instrument) -> Iterator[Problem]:
    langs = instrument.languages
    absent = [lang for lang in REQUIRED_LANGUAGES if lang not in langs]
    if absent:
        yield None, f"languages must include {', '.join(absent)}"
    for name in ("title", "recall_period"):
        missing = _missing_languages(getattr(instrument, name), langs)
        if missing:
            yield None, f"{name} has no text for {', '.join(missing)}"
    counts = Counter(item.id for item in instrument.items)
    for item_id, count in counts.items():
        if count > 1:
            yield item_id, f"item id is used {count} times; ids must be unique"


def _item_problems(item: Item, languages: tuple[str, ...]) -> Iterator[str]:
    for name in ("text", "sms"):
        missing = _missing_languages(getattr(item, name), languages)
        if missing:
            yield f"{name} has no text for {', '.join(missing)}"
    if item.type is ResponseType.CHOICE or (
        item.type is ResponseType.YES_NO and item.choices
    ):
        yield from _choice_problems(item, languages)
    elif item.choices:
        yield f"{item.type} items take no choices"
    if item.type is ResponseType.INTEGER:
        if item.minimum is None or item.maximum is None or item.minimum >= item.maximum:
            got = f"(got {item.minimum}, {item.maximum})"
            yield f"integer item needs minimum < maximum {got}"
    elif item.minimum is not None or item.maximum is not None:
        yield "only integer items take minimum/maximum"
    yield from _safety_problems(item)


def _choice_problems(item: Item, languages: tuple[str, ...]) -> Iterator[str]:
    codes = [choice.code for choice in item.choices]
    if len(codes) < 2:
        yield "a choice item needs at least two choices"
        return
    repeated = sorted(code for code, count in Counter(codes).items() if count > 1)
    if repeated:
        yield f"choice codes repeat: {repeated}"
    elif sorted(codes) != list(range(min(codes), min(codes) + len(codes))):
        yield f"choice codes must be contiguous, got {sorted(codes)}"
    if item.type is ResponseType.YES_NO and sorted(codes) != [0, 1]:
        # Answers to yes_no items are booleans; labelled choices must line up with them.
        yield f"yes_no choices must be coded 1 = yes and 0 = no, got {sorted(codes)}"
    for choice in item.choices:
        missing = _missing_languages(choice.label, languages)
        if missing:
            yield f"choice {choice.code} label has no text for {', '.join(missing)}"


def _safety_problems(item: Item) -> Iterator[str]:
    has_safety = item.safety_category is not None or item.safety_urgency is not None
    if item.type is not ResponseType.YES_NO:
        if has_safety:
            yield "only yes_no items carry a safety category"
        return
    if item.safety_category not in SAFETY_CATEGORIES:
        got = f"got {item.safety_category!r}"
        yield f"yes_no item needs a safety category from DESIGN §6, {got}"
    if item.safety_urgency not in SAFETY_URGENCIES:
        allowed = "/".join(SAFETY_URGENCIES)
        yield f"yes_no item needs urgency {allowed}, got {item.safety_urgency!r}"


def _scoring_problems(instrument: Instrument) -> list[Problem]:
    scorer = instrument.scoring.get("scorer")
    if scorer == "eq5d":
        return list(_eq5d_problems(instrument))
    if scorer == "cldq":
        return list(_cldq_problems(instrument))
    if scorer == "none":
        return []
    return [
        (None, f"scoring.scorer must be one of {', '.join(SCORERS)}, got {scorer!r}")
    ]


def _codes(item: Item) -> list[int]:
    return sorted(choice.code for choice in item.choices)


def _eq5d_problems(instrument: Instrument) -> Iterator[Problem]:
    scoring = instrument.scoring
    if scoring.get("dimensions") != list(DIMENSIONS):
        yield None, f"scoring.dimensions must be exactly {list(DIMENSIONS)}"
    if scoring.get("levels") != [1, 2, 3, 4, 5]:
        yield None, "scoring.levels must be [1, 2, 3, 4, 5]"
    items = {item.id: item for item in instrument.items}
    for dim in DIMENSIONS:
        item = items.get(dim)
        if item is None:
            yield dim, "EQ-5D dimension item is missing"
        elif item.type is not ResponseType.CHOICE or _codes(item) != [1, 2, 3, 4, 5]:
            yield dim, f"EQ-5D dimension must be a choice coded 1-5, got {_codes(item)}"
    vas_id = str(scoring.get("vas_item", ""))
    vas = items.get(vas_id)
    if vas is None or vas.type is not ResponseType.INTEGER:
        yield vas_id or None, "scoring.vas_item must name an integer item"
    elif (vas.minimum, vas.maximum) != VAS_RANGE:
        yield vas_id, f"EQ VAS must range {VAS_RANGE[0]}-{VAS_RANGE[1]}"
    for extra in sorted(set(items) - set(DIMENSIONS) - {vas_id}):
        yield extra, "EQ-5D has only the five dimensions and the VAS"
    default = scoring.get("default_value_set")
    if default not in value_set_codes() or get_value_set(str(default)).version != "5L":
        yield None, f"scoring.default_value_set must be a 5L value set, got {default!r}"


def _cldq_problems(instrument: Instrument) -> Iterator[Problem]:
    domains = instrument.scoring.get("domains")
    if not isinstance(domains, dict) or sorted(domains) != sorted(CLDQ_DOMAINS):
        yield (
            None,
            f"scoring.domains must map exactly the domains {', '.join(CLDQ_DOMAINS)}",
        )
        return
    placed: dict[str, list[str]] = {}
    for domain, members in domains.items():
        for item_id in members if isinstance(members, list) else []:
            placed.setdefault(str(item_id), []).append(domain)
    items = {item.id: item for item in instrument.items}
    for item_id in sorted(set(placed) - set(items)):
        yield (
            item_id,
            f"CLDQ domain {placed[item_id][0]} lists an item that does not exist",
        )
    low, high = ITEM_RANGE
    for item_id, item in items.items():
        where = placed.get(item_id, [])
        if len(where) != 1:
            yield (
                item_id,
                f"item must be in exactly one CLDQ domain, found in {where or 'none'}",
            )
        if item.type is not ResponseType.CHOICE or _codes(item) != list(
            range(low, high + 1)
        ):
            yield item_id, f"CLDQ item must be a choice coded {low}-{high}"
