"""Every input bounded before it reaches a query: ids, pages, control characters.

PostgreSQL refuses NUL in text and integers beyond its column types, and would answer those with
an error the request cannot recover from (a 500). So, for every blueprint:
- integer path segments (`<int:…>`) stop at the largest int4 id: a larger one matches no route (404);
- NUL and other control characters in the path, a query argument, a form field or anywhere in a
  JSON body are refused with 422 naming where. Text may keep tab, newline and carriage return.
  An inbound SMS body is the one exception: the webhook strips NUL and keeps the message.
Paging limits live in each schema (`PAGE` and `PER_PAGE` ranges below).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

from flask import Flask, request
from marshmallow import ValidationError, fields, validate
from werkzeug.routing import IntegerConverter, Map

from pro_service.core.errors import InvalidInput

MAX_ID = 2**31 - 1  # PostgreSQL integer primary keys
MAX_PAGE = 100_000
PAGE = validate.Range(min=1, max=MAX_PAGE)
NAME = validate.Length(min=1, max=100)  # codes, ids, zone names in queries and bodies
# instants a trial can mean (a year-9999 bound with an offset would overflow the UTC conversion)
INSTANT = validate.Range(min=datetime(2000, 1, 1, tzinfo=UTC), max=datetime(2100, 1, 1, tzinfo=UTC))
_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANYWHERE = re.compile(r"[\x00-\x1f\x7f]")
# form fields whose control characters the view handles itself: (path prefix, field)
RAW_FIELDS = {("/sms/", "Body")}


class HourMinute(fields.Field):
    """A local clock time written HH:MM (quiet hours), documented as a pattern-checked string."""

    PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"pattern": self.PATTERN, "example": "21:00",
                              **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _serialize(self, value: time | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> time:
        if not isinstance(value, str) or not re.fullmatch(self.PATTERN, value):
            raise ValidationError("a time written HH:MM (00:00 to 23:59) is required")
        return time(int(value[:2]), int(value[3:]))


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` for database ids: 0 … 2**31-1, so an id never overflows the column type."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)


def _json_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}.{key}", str(key)
            yield from _json_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _json_strings(item, f"{where}[{n}]")


def _offending() -> str | None:
    """Where this request carries a control character it must not, or None."""
    if _ANYWHERE.search(request.path):
        return "path"
    for key, value in request.args.items(multi=True):
        if _ANYWHERE.search(key) or _ANYWHERE.search(value):
            return f"query argument {key!r}"[:80]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raw = {f for p, f in RAW_FIELDS if request.path.startswith(p)}
        fields = [(key, value) for key, value in request.form.items(multi=True) if key not in raw]
        # one search over all names and one over all values (every request pays for this);
        # only a request that holds a control character is searched field by field to name it
        if _ANYWHERE.search("".join(k for k, _ in fields)) or _IN_TEXT.search("".join(v for _, v in fields)):
            for key, value in fields:
                if _ANYWHERE.search(key) or _IN_TEXT.search(value):
                    return f"form field {key!r}"[:80]
    if request.is_json:
        for where, text in _json_strings(request.get_json(silent=True), "body"):
            if _IN_TEXT.search(text):
                return where[:80]
    return None


def refuse_control_characters() -> None:
    """before_request: 422 when NUL or another control character is where it must not be."""
    where = _offending()
    if where is not None:
        raise InvalidInput(f"control characters (such as NUL) are not accepted in the {where}",
                           errors={where: ["control characters are not accepted"]})


def init_app(app: Flask) -> None:
    """Bound integer path segments and refuse control characters (before blueprints register)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_control_characters)
