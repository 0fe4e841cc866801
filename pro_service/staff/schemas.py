"""Marshmallow schemas for staff and site administration (pages and any API share them)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from pro_service.staff.models import Role

SITE_CODE = validate.Regexp(r"^\d{3}$", error="a site code is three digits, e.g. 302")


class StaffCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(list(Role)))
    sites = fields.List(fields.String(validate=SITE_CODE), load_default=list)
    password = fields.String(load_default=None, validate=validate.Length(min=12, max=200))
    alert_phone = fields.String(load_default=None)


class PasswordSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=12, max=200))


class AlertPhoneSchema(Schema):
    alert_phone = fields.String(load_default=None)


class TokenSchema(Schema):
    label = fields.String(load_default="", validate=validate.Length(max=100))


class SiteSchema(Schema):
    code = fields.String(required=True, validate=SITE_CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    timezone = fields.String(load_default="Asia/Shanghai")
    emergency_number = fields.String(load_default="120", validate=validate.Regexp(r"^\+?\d{2,15}$"))
    site_phone = fields.String(load_default=None)


class SiteUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    timezone = fields.String()
    emergency_number = fields.String(validate=validate.Regexp(r"^\+?\d{2,15}$"))
    site_phone = fields.String(allow_none=True)
