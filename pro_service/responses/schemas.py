"""Schemas for staff entry of questionnaires: in-clinic sessions and paper transcription."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

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
