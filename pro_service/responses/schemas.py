"""Marshmallow schemas for answers sent by staff (a correction, a paper form, an in-clinic start).

Item rules stay in the domain (`responses.domain.answers_problems`)."""

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


_code = validate.Length(min=1, max=30)


class OccasionRefSchema(Schema):
    study_id = fields.String(required=True, validate=validate.Length(min=1, max=20),
                             metadata={"example": "302-0007"})
    timepoint = fields.String(required=True, validate=_code, metadata={"example": "BL"})
    instrument = fields.String(required=True, validate=_code, metadata={"example": "EQ5D5L"})


class ClinicSessionSchema(Schema):
    url = fields.String(metadata={"description": "open on the site device, logged in as yourself"})
    occasion_id = fields.Integer()
    channel = fields.String()
    expires_at = fields.AwareDateTime()


class PaperEntrySchema(OccasionRefSchema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True,
                          metadata={"example": {"MO": 1, "SC": 2, "UA": 1, "PD": 2, "AD": 1,
                                                "VAS": 75}})
    completed_on = fields.Date(required=True, metadata={
        "description": "the date the participant filled the paper form in (their local date)"})
    reason = fields.String(load_default=None, validate=validate.Length(max=2000), metadata={
        "description": "required when completed_on is outside the occasion's window"})
    double_entry = fields.Boolean(load_default=False, metadata={
        "description": "keep this entry until a second person enters the same form"})
    resolve = fields.Boolean(load_default=False, metadata={
        "description": "second entry after checking the paper: these values win"})


class PaperResultSchema(Schema):
    status = fields.String(metadata={"description": "stored | awaiting_second_entry"})
    occasion_id = fields.Integer()
    response_id = fields.Integer(allow_none=True)
    channel = fields.String()


_PAPER_SCHEMAS: dict[tuple[str, str], type[Schema]] = {}


def paper_page_schema(instrument: Instrument) -> type[Schema]:
    """A paper form typed per item as a page posts it (every item, date, reason, double entry)."""
    key = (instrument.code, instrument.version)
    if key not in _PAPER_SCHEMAS:
        items = {item.id: _FIELD[item.type](load_default=None, allow_none=True)
                 for item in instrument.items}
        _PAPER_SCHEMAS[key] = Schema.from_dict({
            **items, "completed_on": fields.Date(required=True),
            "reason": fields.String(load_default=None, validate=validate.Length(max=2000)),
            "double_entry": fields.Boolean(load_default=False),
            "resolve": fields.Boolean(load_default=False)}, name=f"Paper{instrument.code}")
    return _PAPER_SCHEMAS[key]
