"""Schemas for the analysts' exports: pseudonymised, so no field for phone, name or arm."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from pro_service.core.input_bounds import INSTANT, PAGE

_code = validate.Length(min=1, max=30)


def _as_of() -> fields.AwareDateTime:
    return fields.AwareDateTime(
        default_timezone=UTC, validate=INSTANT,
        metadata={"description": "data cut: the data exactly as it stood at this instant "
                  "(default: now; never in the future)"})


def _end_line() -> fields.Boolean:
    return fields.Boolean(load_default=True, metadata={
        "description": "CSV: end with `#END rows=N sha256=H` (H: SHA-256 of the bytes before "
                       "it), so a truncated download shows; read with comment='#'"})


class _Filters(Schema):
    site = fields.String(validate=_code, metadata={"description": "site code"})
    instrument = fields.String(validate=_code, metadata={"example": "EQ5D5L"})
    timepoint = fields.String(validate=_code, metadata={"example": "W24"})
    since = fields.AwareDateTime(
        default_timezone=UTC, validate=INSTANT, metadata={"description": "completed at or after (UTC if no offset)"})
    until = fields.AwareDateTime(
        default_timezone=UTC, validate=INSTANT, metadata={"description": "completed before (UTC if no offset)"})
    as_of = _as_of()


class ScoreQuerySchema(_Filters):
    scale = fields.String(validate=_code, metadata={"example": "EQ5D_INDEX"})
    end_line = _end_line()
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")),
                           metadata={"description": "csv streams every matching row"})
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class QsQuerySchema(_Filters):
    end_line = _end_line()


def _format(*choices: str) -> fields.String:
    return fields.String(load_default=choices[0], validate=validate.OneOf(choices))


class DatasetQuerySchema(QsQuerySchema):
    format = _format("csv", "json")


class SafetyQuerySchema(Schema):
    site = fields.String(validate=_code)
    since = fields.AwareDateTime(default_timezone=UTC, validate=INSTANT,
                                 metadata={"description": "raised at or after"})
    until = fields.AwareDateTime(default_timezone=UTC, validate=INSTANT, metadata={"description": "raised before"})
    as_of = _as_of()
    format = _format("csv", "json")
    end_line = _end_line()


class CutQuerySchema(Schema):
    as_of = _as_of()


class DictionaryQuerySchema(CutQuerySchema):
    format = _format("csv", "html")


class CompletionQuerySchema(Schema):
    site = fields.String(validate=_code)
    instrument = fields.String(validate=_code)
    timepoint = fields.String(validate=_code)
    as_of = fields.AwareDateTime(
        default_timezone=UTC, validate=INSTANT,
        metadata={"description": "data cut: the figures as they stood at this instant "
                  "(default: now; never in the future)"})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")),
                           metadata={"description": "csv gives the same figures as text/csv"})


class ScoreRowSchema(Schema):
    """One score of one current complete response (long format)."""

    study_id = fields.String()
    site = fields.String()
    timepoint = fields.String()
    target_date = fields.String(metadata={"format": "date"})
    completed_at_utc = fields.String(allow_none=True, metadata={"format": "date-time"})
    completed_at_local = fields.String(allow_none=True, metadata={"format": "date-time",
                                                 "description": "participant's local time"})
    completed_on = fields.String(metadata={
        "format": "date", "description": "participant's local date; for paper the date written on "
                                         "the form (completed_at columns then empty)"})
    study_day = fields.Integer(allow_none=True,
                               metadata={"description": "baseline date is day 1; no day 0"})
    in_window = fields.Boolean()
    channel = fields.String()
    instrument = fields.String()
    scale = fields.String()
    value = fields.Float(allow_none=True)
    algorithm_id = fields.String()
    baseline_flag = fields.String(allow_none=True, metadata={"description": "Y on the BL record"})
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
    """One site × timepoint × instrument; every occasion is in exactly one state column."""

    site = fields.String()
    timepoint = fields.String()
    instrument = fields.String()
    total = fields.Integer(metadata={"description": "every occasion, whatever its state"})
    not_yet_due = fields.Integer(metadata={"description": "window not yet open"})
    open = fields.Integer(metadata={"description": "window open, closing in more than 24 h"})
    overdue = fields.Integer(metadata={"description": "window closing within 24 h, not answered"})
    completed = fields.Integer(metadata={"description": "answered, by any channel, at any time"})
    completed_sms = fields.Integer()
    completed_web = fields.Integer()
    completed_clinic = fields.Integer(metadata={"description": "on a site device in clinic"})
    completed_paper = fields.Integer(metadata={"description": "transcribed from paper"})
    partial = fields.Integer(metadata={"description": "window closed with some answers kept"})
    missed = fields.Integer(metadata={"description": "window closed with no answers"})
    missed_before_enrolment = fields.Integer(
        metadata={"description": "window had closed before the participant was registered"})
    cancelled = fields.Integer(metadata={"description": "withdrawn or dropped by a schedule change"})
    closed = fields.Integer(metadata={"description": "not cancelled and the window has closed"})
    completed_closed = fields.Integer(metadata={"description": "completed among `closed`"})
    rate = fields.Float(allow_none=True,
                        metadata={"description": "completed_closed / closed; null before any closed"})


class CompletionSchema(Schema):
    as_of = fields.AwareDateTime()
    items = fields.List(fields.Nested(CompletionRowSchema))


_DATASETS = ("scores", "items", "wide", "safety", "qs", "dictionary")


class FilterSchema(Schema):
    site = fields.String(validate=_code)
    instrument = fields.String(validate=_code)
    timepoint = fields.String(validate=_code)
    scale = fields.String(validate=_code)
    since = fields.AwareDateTime(default_timezone=UTC, validate=INSTANT)
    until = fields.AwareDateTime(default_timezone=UTC, validate=INSTANT)


class FileRequestSchema(FilterSchema):
    dataset = fields.String(required=True, validate=validate.OneOf(_DATASETS))
    format = fields.String(load_default="csv", validate=validate.OneOf(
        ("csv", "json", "xpt", "dataset-json", "html")))
    as_of = fields.AwareDateTime(default_timezone=UTC, validate=INSTANT)


class ExportFileSchema(Schema):
    id = fields.String(attribute="public_id")
    dataset = fields.String()
    format = fields.String()
    filters = fields.Dict()
    as_of = fields.AwareDateTime()
    status = fields.String(metadata={"description": "pending, running, ready, failed or expired "
                                                    "(deleted after its retention period)"})
    sha256 = fields.String(allow_none=True)
    rows = fields.Integer(allow_none=True)
    size = fields.Integer(allow_none=True, metadata={"description": "bytes"})
    error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    expires_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "when a requested file is (or was) deleted, PRO_EXPORT_RETENTION_DAYS "
                       "after it was built; a download after it is 410 Gone. Null for a cut's "
                       "file: it re-renders from the cut's as_of"})
    deleted_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "when the retention job deleted the file from disk"})
    download = fields.String(metadata={"description": "URL of the file once ready"})


class CutRequestSchema(Schema):
    name = fields.String(required=True, validate=[validate.Length(min=1, max=80),
                                                  validate.Regexp(r"^[^\x00-\x1f\x7f]+$")],
                         metadata={"example": "W24 primary"})
    as_of = fields.AwareDateTime(default_timezone=UTC, validate=INSTANT,
                                 metadata={"description": "default: now; never in the future"})
    filters = fields.Nested(FilterSchema, load_default=dict)


class CutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    as_of = fields.AwareDateTime()
    filters = fields.Dict()
    created_at = fields.AwareDateTime()
    files = fields.List(fields.Nested(ExportFileSchema))
