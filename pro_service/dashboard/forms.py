"""Page forms: load a request's form through the API's marshmallow schema, report errors by field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import flash, request
from marshmallow import Schema, ValidationError

from pro_service.core.errors import DomainError

T = TypeVar("T")


@dataclass
class Form:
    """What a form page needs again after a failed submission: the values and the errors."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    problem: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.problem)


def form_values(multi: tuple[str, ...] = ()) -> dict[str, Any]:
    """The submitted fields without the CSRF token; empty fields left out so defaults apply."""
    data: dict[str, Any] = {k: v.strip() for k, v in request.form.items()
                            if k != "csrf_token" and k not in multi and v.strip() != ""}
    for name in multi:
        data[name] = [v for v in request.form.getlist(name) if v]
    return data


def load(schema: Schema, data: dict[str, Any]) -> tuple[dict[str, Any] | None, Form]:
    """Validate like the API does; on failure the form carries marshmallow's messages per field."""
    try:
        return schema.load(data), Form(values=data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        errors = {k: v if isinstance(v, list) else [str(v)] for k, v in messages.items()}
        return None, Form(values=data, errors=errors)


def attempt(action: Callable[[], T], form: Form | None = None) -> tuple[T | None, Form]:
    """Run a service call; a refused use case becomes the form's problem (with its field)."""
    form = form or Form()
    try:
        return action(), form
    except DomainError as exc:
        name = exc.extra.get("field")
        if name:
            form.errors.setdefault(str(name), []).append(exc.detail)
        form.problem = exc.detail
        return None, form


def flash_result(action: Callable[[], object], done: str) -> bool:
    """Run a service call for a redirecting action: flash `done` or the refusal."""
    try:
        action()
    except DomainError as exc:
        flash(exc.detail, "error")
        return False
    flash(done, "success")
    return True
