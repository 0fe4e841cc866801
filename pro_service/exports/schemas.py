"""Schemas for the analysts' exports: pseudonymised, so no field for phone, name or arm."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from pro_service.core.input_bounds import INSTANT, PAGE

_code = validate.Length(min=1, max=30)


class _Filters(Schema):
    site = fields.String(validate=_code, metadata={"description": "site code"})
    instrument = fields.String(validate=_code, metadata={"example": "EQ5D5L"})
    timepoint = fields.String(validate=_code, metadata={"example": "W24"})
    since = fields.AwareDateTime(
        default_timezone=UTC, validate=INSTANT, metadata={"description": "completed at or after (UTC if no offset)"})
    until = fields.AwareDateTime(
        default_timezone=UTC, validate=INSTANT, metadata={"description": "completed before (UTC if no offset)"})


class ScoreQuerySchema(_Filters):
    scale = fields.String(validate=_code, metadata={"example": "EQ5D_INDEX"})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")),
                           metadata={"description": "csv streams every matching row"})
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class QsQuerySchema(_Filters):
    pass


class CompletionQuerySchema(Schema):
    site = fields.String(validate=_code)
    instrument = fields.String(validate=_code)
    timepoint = fields.String(validate=_code)


class ScoreRowSchema(Schema):
    """One score of one current complete response (long format)."""

    study_id = fields.String()
    site = fields.String()
    timepoint = fields.String()
    target_date = fields.String(metadata={"format": "date"})
    completed_at_utc = fields.String(metadata={"format": "date-time"})
    completed_at_local = fields.String(metadata={"format": "date-time",
                                                 "description": "participant's local time"})
    study_day = fields.Integer(allow_none=True,
                               metadata={"description": "baseline date is day 1; no day 0"})
    in_window = fields.Boolean()
    channel = fields.String()
    instrument = fields.String()
    scale = fields.String()
    value = fields.Float(allow_none=True)
    algorithm_id = fields.String()
    baseline_value = fields.Float(allow_none=True)
    change_from_baseline = fields.Float(allow_none=True,
                                        metadata={"description": "empty at baseline"})
    response_version = fields.Integer(metadata={"description": "above 1 after a correction"})


class ScorePageSchema(Schema):
    items = fields.List(fields.Nested(ScoreRowSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class CompletionRowSchema(Schema):
    site = fields.String()
    timepoint = fields.String()
    instrument = fields.String()
    expected = fields.Integer(metadata={"description": "not cancelled; completed or window closed"})
    completed = fields.Integer()
    partial = fields.Integer(metadata={"description": "window closed with some answers kept"})
    missed = fields.Integer(metadata={"description": "window closed with no answers"})
    rate = fields.Float(allow_none=True, metadata={"description": "completed / expected"})


class CompletionSchema(Schema):
    as_of = fields.AwareDateTime()
    items = fields.List(fields.Nested(CompletionRowSchema))
