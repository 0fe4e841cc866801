"""Factories for tests: sites, staff with tokens, participants (fictional phone numbers)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from pro_service.participants import service as participants
from pro_service.participants.models import Participant
from pro_service.staff import service as staff
from pro_service.staff.models import Site, StaffUser

T0 = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
_numbers = itertools.count(1)


AUTO_FROM, AUTO_SPAN = 60_000, 30_000  # numbers handed out in turn; tests name theirs below


def fictional_mobile(n: int | None = None) -> str:
    """A valid-format Chinese mobile number from libphonenumber's example range.

    Without `n`, the next of a band (60000–89999) that numbers tests name themselves never use,
    so an enrolled participant's phone cannot collide with a test's own (a process runs many
    tests and the counter goes on across them).
    """
    number = n if n is not None else AUTO_FROM + next(_numbers) % AUTO_SPAN
    return f"+86131234{number % 100000:05d}"


@dataclass
class StaffWithToken:
    user: StaffUser
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_site(app: Flask) -> Callable[..., Site]:
    def make(code: str = "302", **kw: Any) -> Site:
        return staff.create_site(code=code, name=kw.pop("name", f"Hospital {code}"), now=T0, **kw)

    return make


@pytest.fixture
def make_staff(app: Flask) -> Callable[..., StaffWithToken]:
    counter = itertools.count(1)

    def make(role: str = "coordinator", sites: tuple[str, ...] = ("302",), **kw: Any) -> StaffWithToken:
        n = next(counter)
        email = kw.pop("email", f"{role}{n}@example.test")
        user = staff.create_staff(name=kw.pop("name", f"{role} {n}"), email=email, role=role,
                                  site_codes=list(sites) if role in ("investigator", "coordinator") else [],
                                  now=T0, data_key=app.config["DATA_KEY"],
                                  index_key=app.config["INDEX_KEY"], **kw)
        return StaffWithToken(user, staff.issue_token(email=email, now=T0))

    return make


@pytest.fixture
def keys(app: Flask) -> participants.Keys:
    return participants.Keys(app.config["DATA_KEY"], app.config["INDEX_KEY"])


@pytest.fixture
def make_participant(app: Flask, keys: participants.Keys) -> Callable[..., Participant]:
    counter = itertools.count(1)

    def make(**overrides: Any) -> Participant:
        n = next(counter)
        data: dict[str, Any] = {"study_id": f"302-{n:04d}", "site": "302",
                                "phone": fictional_mobile(), "language": "zh-CN",
                                "baseline": date(2027, 1, 11), "infusion_1": date(2027, 1, 11),
                                "infusion_2": date(2027, 2, 8), "infusion_3": date(2027, 3, 8)}
        data.update(overrides)
        now = data.pop("now", T0)
        return participants.enrol_participant(data, keys=keys, now=now, actor="test")

    return make


def valid_answers(instrument: Any, level: int = 1) -> dict[str, Any]:
    """A complete, valid set of answers for an instrument (the given choice level everywhere)."""
    answers: dict[str, Any] = {}
    for item in instrument.items:
        kind = str(item.type)
        if kind == "choice":
            codes = [c.code for c in item.choices]
            answers[item.id] = level if level in codes else codes[0]
        elif kind == "integer":
            answers[item.id] = 70
        elif kind == "yes_no":
            answers[item.id] = False
        elif item.required:
            answers[item.id] = "no"
    return answers
