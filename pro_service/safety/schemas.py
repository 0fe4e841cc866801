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
