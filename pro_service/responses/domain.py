"""Pure checks of answers against an instrument definition."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

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


REASON_MIN = 3  # characters: a reason must say something ("n/a" is the shortest we take)
OLDEST_PAPER_DAYS = 400  # a paper date this long before the window is a typing slip


def paper_date_problem(completed_on: date, *, first_day: date, last_day: date, today: date,
                       reason: str | None) -> str | None:
    """Why a paper form's completion date cannot be taken, or None.

    The date is the participant's local calendar day. It may not lie in the future; outside
    the window [first_day, last_day] it needs a reason (DESIGN §10 "Clinic channels").
    """
    if completed_on > today:
        return f"completed_on {completed_on} is in the future (today is {today})"
    if (first_day - completed_on).days > OLDEST_PAPER_DAYS:
        return f"completed_on {completed_on} is long before this occasion's window ({first_day})"
    outside = not first_day <= completed_on <= last_day
    if outside and len((reason or "").strip()) < REASON_MIN:
        return (f"completed_on {completed_on} is outside the window {first_day} – {last_day}: "
                "give the reason")
    return None


def is_outside_window(completed_on: date, first_day: date, last_day: date) -> bool:
    return not first_day <= completed_on <= last_day


def entry_differences(first: Mapping[str, object], second: Mapping[str, object]) -> list[dict[str, object]]:
    """Double entry: every field whose two transcriptions disagree, in a stable order."""
    keys = sorted(set(first) | set(second))
    return [{"field": key, "first": first.get(key), "second": second.get(key)}
            for key in keys if first.get(key) != second.get(key)]
