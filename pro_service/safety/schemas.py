"""Schemas for the alerts API (staff audience: no phone numbers, no treatment arm)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from pro_service.core.input_bounds import INSTANT, NAME, PAGE
from pro_service.safety.service import TRIAGE

CATEGORIES = ("gi_bleeding", "encephalopathy", "ascites", "infection", "jaundice", "renal",
              "infusion_reaction", "syncope", "self_harm", "other")


class AlertQuerySchema(Schema):
    site = fields.String(validate=NAME)
    status = fields.String(validate=validate.OneOf(("open", "acknowledged", "triaged", "closed")))
    urgency = fields.String(validate=validate.OneOf(("emergency", "urgent", "routine")))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    since = fields.AwareDateTime(validate=INSTANT)
    until = fields.AwareDateTime(validate=INSTANT)
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class AlertSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    study_id = fields.String()
    site = fields.String()
    source = fields.String()
    category = fields.String()
    urgency = fields.String()
    status = fields.String()
    escalation_level = fields.Integer()
    next_escalation_at = fields.DateTime(allow_none=True)
    ack_by_id = fields.Integer(allow_none=True)
    ack_at = fields.DateTime(allow_none=True)
    ack_via = fields.String(allow_none=True)
    triage = fields.String(allow_none=True)
    meddra_term = fields.String(allow_none=True)
    suggested_meddra_terms = fields.List(fields.String())
    triage_note = fields.String(allow_none=True)
    sae_report_due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    evidence = fields.List(fields.Dict())


class MessageSchema(Schema):
    id = fields.Integer()
    direction = fields.String()
    kind = fields.String()
    body = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


class AlertDetailSchema(AlertSchema):
    thread = fields.List(fields.Nested(MessageSchema))


class AlertPageSchema(Schema):
    items = fields.List(fields.Nested(AlertSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class TriageSchema(Schema):
    classification = fields.String(required=True, validate=validate.OneOf(TRIAGE))
    meddra_term = fields.String(validate=validate.Length(max=100))
    note = fields.String(validate=validate.Length(max=4000))


class AlertFilterSchema(Schema):
    """The alert queue's filters (dashboard); empty ones are left out."""

    site = fields.String(validate=validate.Length(max=20))
    status = fields.String(validate=validate.OneOf(("open", "acknowledged", "triaged", "closed")))
    urgency = fields.String(validate=validate.OneOf(("emergency", "urgent", "routine")))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    lang = fields.String()


class ContactSchema(Schema):
    """A "called the participant" entry; the time is the site's local wall-clock time."""

    called_at = fields.NaiveDateTime(required=True, format="%Y-%m-%dT%H:%M")
    outcome = fields.String(required=True, validate=validate.OneOf(
        ("reached", "no_answer", "left_message", "wrong_number")))
    note = fields.String(validate=validate.Length(max=4000))


class RotaShiftSchema(Schema):
    """One on-call shift to add: who, which weekdays, from and to (site local time)."""

    staff_id = fields.Integer(required=True)
    weekdays = fields.String(required=True, validate=validate.Length(min=3, max=60))
    start = fields.String(required=True, validate=validate.Regexp(r"^\d{1,2}:\d{2}$"))
    end = fields.String(required=True, validate=validate.Regexp(r"^\d{1,2}:\d{2}$"))
