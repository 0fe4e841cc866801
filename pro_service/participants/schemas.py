"""Marshmallow schemas for the enrollment API: one per audience."""

from __future__ import annotations

from datetime import date

from marshmallow import EXCLUDE, Schema, fields, validate

from pro_service.core.input_bounds import NAME, PAGE, HourMinute
from pro_service.participants.domain import ANCHORS, LANGUAGES, Channel, Status

# A trial's calendar: dates far outside it are typing errors (and would overflow the schedule).
STUDY_DATES = validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))


def _anchor() -> fields.Date:
    return fields.Date(allow_none=True, validate=STUDY_DATES)


def _hhmm(**kwargs: object) -> HourMinute:
    """A local clock time written HH:MM (quiet hours)."""
    return HourMinute(**kwargs)  # type: ignore[arg-type]


class _Anchors(Schema):
    baseline = _anchor()
    infusion_1 = _anchor()
    infusion_2 = _anchor()
    infusion_3 = _anchor()


class ParticipantCreateSchema(_Anchors):
    study_id = fields.String(required=True, validate=NAME, metadata={"example": "302-0007"})
    site = fields.String(required=True, validate=NAME, metadata={"description": "site code"})
    phone = fields.String(required=True, validate=validate.Length(min=3, max=32),
                          metadata={"description": "mobile number, E.164"})
    language = fields.String(load_default="zh-CN", validate=validate.OneOf(LANGUAGES))
    timezone = fields.String(load_default=None, validate=NAME,
                             metadata={"description": "IANA zone; site's by default"})
    channel = fields.String(load_default="sms_chat", validate=validate.OneOf(list(Channel)))
    quiet_start = _hhmm(load_default=None)
    quiet_end = _hhmm(load_default=None)


class ParticipantUpdateSchema(_Anchors):
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    timezone = fields.String(validate=NAME)
    channel = fields.String(validate=validate.OneOf(list(Channel)))
    quiet_start = _hhmm()
    quiet_end = _hhmm()
    reason = fields.String(validate=validate.Length(min=3, max=2000),
                           metadata={"description": "required when an anchor date changes"})


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class ParticipantQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    site = fields.String(validate=NAME)
    status = fields.String(validate=validate.OneOf(list(Status)))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    channel = fields.String(validate=validate.OneOf(list(Channel)))


class ParticipantSearchSchema(Schema):
    """The staff workspace's participant list: search by study id, filters, paging."""

    class Meta:
        unknown = EXCLUDE  # the language switch and other page parameters

    q = fields.String(load_default="", validate=validate.Length(max=20))
    site = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(list(Status)))
    overdue = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


class AnchorChangeSchema(_Anchors):
    """Anchor dates to change; the reason is required once staff confirm."""

    reason = fields.String(load_default="", validate=validate.Length(max=2000))
    confirm = fields.Boolean(load_default=False)


class ParticipantAnalystSchema(Schema):
    """Pseudonymised: study id, site, status and anchor dates only."""

    study_id = fields.String()
    site = fields.String()
    status = fields.String()
    language = fields.String()
    baseline = fields.Date(allow_none=True)
    infusion_1 = fields.Date(allow_none=True)
    infusion_2 = fields.Date(allow_none=True)
    infusion_3 = fields.Date(allow_none=True)


class ParticipantStaffSchema(ParticipantAnalystSchema):
    """For staff: the phone is full for the participant's own site staff, masked otherwise."""

    phone = fields.String(metadata={"description": "full for own-site staff, masked otherwise"})
    timezone = fields.String()
    channel = fields.String()
    quiet_start = _hhmm()
    quiet_end = _hhmm()
    sms_opted_out_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ParticipantPageSchema(Schema):
    items = fields.List(fields.Nested(ParticipantStaffSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


ANCHOR_FIELDS = ANCHORS


class CaregiverCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    relation = fields.String(required=True, validate=validate.Length(min=1, max=40),
                             metadata={"example": "女儿 / daughter"})
    language = fields.String(load_default="zh-CN", validate=validate.OneOf(LANGUAGES))
    phone = fields.String(required=True, metadata={"description": "mobile number, E.164"})
    consent_date = fields.Date(required=True)


class CaregiverSchema(Schema):
    """A caregiver as site staff see it (the phone masked outside the participant's site)."""

    id = fields.Integer()
    name = fields.String()
    relation = fields.String()
    language = fields.String()
    phone = fields.String()
    consent_date = fields.Date()
    active = fields.Boolean()
    created_at = fields.DateTime()
