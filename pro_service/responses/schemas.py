"""Marshmallow schemas for answers sent by staff (a correction); item rules stay in the domain."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from pro_service.instruments.domain.definitions import Instrument, ResponseType

_FIELD = {ResponseType.CHOICE: fields.Integer, ResponseType.INTEGER: fields.Integer,
          ResponseType.YES_NO: fields.Boolean, ResponseType.FREE_TEXT: fields.String}


_SCHEMAS: dict[tuple[str, str], type[Schema]] = {}


def correction_schema(instrument: Instrument) -> type[Schema]:
    """A schema typing each item of the instrument (range and choice checks: `answers_problems`)."""
    key = (instrument.code, instrument.version)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = _build(instrument)
    return _SCHEMAS[key]


def _build(instrument: Instrument) -> type[Schema]:
    items = {item.id: _FIELD[item.type](load_default=None, allow_none=True) for item in instrument.items}
    return Schema.from_dict({**items, "reason": fields.String(
        required=True, validate=validate.Length(min=3, max=2000))}, name=f"Correction{instrument.code}")
