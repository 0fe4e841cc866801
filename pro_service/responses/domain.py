"""Pure checks of answers against an instrument definition."""

from __future__ import annotations

from collections.abc import Mapping

from pro_service.instruments.domain.definitions import Instrument, Item, ResponseType

FREE_TEXT_MAX = 2000


def item_problem(item: Item, value: object) -> str | None:
    """Why a value cannot be an answer to this item, or None when it can."""
    if item.type == ResponseType.CHOICE:
        codes = {c.code for c in item.choices}
        if isinstance(value, bool) or not isinstance(value, int) or value not in codes:
            return f"{item.id}: answer must be one of {min(codes)}–{max(codes)}"
    elif item.type == ResponseType.INTEGER:
        lo, hi = item.minimum, item.maximum
        if isinstance(value, bool) or not isinstance(value, int) or not (lo is None or value >= lo) \
                or not (hi is None or value <= hi):
            return f"{item.id}: answer must be a whole number from {lo} to {hi}"
    elif item.type == ResponseType.YES_NO:
        if not isinstance(value, bool):
            return f"{item.id}: answer must be yes or no"
    elif not isinstance(value, str) or len(value) > FREE_TEXT_MAX:
        return f"{item.id}: answer must be text of at most {FREE_TEXT_MAX} characters"
    return None


def answers_problems(instrument: Instrument, answers: Mapping[str, object], *,
                     complete: bool) -> list[str]:
    """Every problem with a set of answers; `complete` also requires every required item."""
    known = {item.id: item for item in instrument.items}
    problems = [f"{key}: not an item of {instrument.code}" for key in answers if key not in known]
    for key, value in answers.items():
        if key in known and value is not None and (p := item_problem(known[key], value)):
            problems.append(p)
    if complete:
        problems += [f"{item.id}: no answer" for item in instrument.items
                     if item.required and answers.get(item.id) is None]
    return problems
