"""The audit log (admins; investigators for their sites): filters, masked payloads, chain check."""

from __future__ import annotations

from flask import g, render_template, request
from marshmallow import EXCLUDE, Schema, fields, validate

from pro_service.dashboard import forms
from pro_service.dashboard.base import bp, staff_page
from pro_service.responses.audit_log import actions, audit_events, verify_audit_chain
from pro_service.staff.models import Role

PER_PAGE = 100
READERS = (Role.ADMIN, Role.INVESTIGATOR)


class AuditQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the language switch

    participant = fields.String(load_default=None, validate=validate.Length(max=20))
    actor = fields.String(load_default=None, validate=validate.Length(max=120))
    action = fields.String(load_default=None, validate=validate.Length(max=80))
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


@bp.get("/audit", endpoint="audit")
@staff_page(*READERS)
def audit_page() -> str | tuple[str, int]:
    filters, form = forms.load(AuditQuerySchema(), {k: v for k, v in request.args.items() if v})
    if filters is None:
        return render_template("dashboard/audit/log.html", page=None, form=form, actions=actions(),
                               report=None), 422
    page = audit_events(g.staff, filters=filters, page=filters["page"], per_page=PER_PAGE)
    return render_template("dashboard/audit/log.html", page=page, form=form, actions=actions(), report=None)


@bp.post("/audit/verify")
@staff_page(*READERS)
def verify_chain() -> str:
    """The same check as `flask audit verify`."""
    report = verify_audit_chain(g.staff)
    page = audit_events(g.staff, filters={}, page=1, per_page=PER_PAGE)
    return render_template("dashboard/audit/log.html", page=page, form=forms.Form(), actions=actions(),
                           report=report)
