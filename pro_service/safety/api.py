"""REST API for safety alerts: /api/alerts (site-scoped, role-checked)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.safety import service
from pro_service.safety.domain.escalation import MEDDRA_SUGGESTION
from pro_service.safety.models import SafetyAlert
from pro_service.safety.schemas import (
    AlertDetailSchema,
    AlertPageSchema,
    AlertQuerySchema,
    AlertSchema,
    TriageSchema,
)
from pro_service.staff.auth import current_staff, require_roles
from pro_service.staff.models import Role, Site

blp = Blueprint("safety", __name__, url_prefix="/api/alerts",
                description="Possible adverse events raised from participants' reports.")
READERS = (Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR, Role.SAFETY_OFFICER)


def _view(alert: SafetyAlert) -> dict[str, Any]:
    data = {name: getattr(alert, name) for name in AlertSchema().fields
            if hasattr(SafetyAlert, name)}
    data.update(study_id=alert.participant.study_id, site=alert.participant.site.code,
                suggested_meddra_terms=list(MEDDRA_SUGGESTION.get(alert.category, ())))
    return data


@blp.route("")
class Alerts(MethodView):
    @require_roles(*READERS)
    @blp.arguments(AlertQuerySchema, location="query")
    @blp.response(200, AlertPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List alerts, newest first, filtered by site, status, urgency, category and time."""
        stmt = service.visible_alerts(current_staff())  # type: ignore[arg-type]
        if "site" in args:
            stmt = stmt.join(Site, Site.id == SafetyAlert.site_id).where(Site.code == args["site"])
        for name in ("status", "urgency", "category"):
            if name in args:
                stmt = stmt.where(getattr(SafetyAlert, name) == args[name])
        if "since" in args:
            stmt = stmt.where(SafetyAlert.created_at >= args["since"])
        if "until" in args:
            stmt = stmt.where(SafetyAlert.created_at < args["until"])
        total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        rows = db.session.scalars(stmt.order_by(SafetyAlert.created_at.desc()).offset(
            (args["page"] - 1) * args["per_page"]).limit(args["per_page"])).all()
        return {"items": [_view(a) for a in rows], "page": args["page"], "per_page": args["per_page"],
                "total": total}


@blp.route("/<int:alert_id>")
class AlertById(MethodView):
    @require_roles(*READERS)
    @blp.response(200, AlertDetailSchema)
    def get(self, alert_id: int) -> dict[str, Any]:
        """One alert with its evidence and the participant's messages around it."""
        alert = service.get_alert(alert_id, current_staff())  # type: ignore[arg-type]
        window = (alert.created_at - timedelta(days=2), alert.updated_at + timedelta(days=1))
        thread = db.session.scalars(sa.select(Message).where(
            sa.or_(Message.alert_id == alert.id,
                   sa.and_(Message.participant_id == alert.participant_id,
                           Message.created_at.between(*window)))).order_by(Message.id)).all()
        return {**_view(alert), "thread": thread}


@blp.route("/<int:alert_id>/ack")
class Acknowledge(MethodView):
    @require_roles(*READERS)
    @blp.response(200, AlertSchema)
    def post(self, alert_id: int) -> dict[str, Any]:
        """Acknowledge an alert: escalation stops; the first acknowledgement is awareness."""
        staff = current_staff()
        alert = service.get_alert(alert_id, staff)  # type: ignore[arg-type]
        return _view(service.acknowledge_alert(alert, staff=staff, via="api", now=clock.now()))  # type: ignore[arg-type]


@blp.route("/<int:alert_id>/triage")
class Triage(MethodView):
    @require_roles(Role.INVESTIGATOR, Role.SAFETY_OFFICER)
    @blp.arguments(TriageSchema)
    @blp.response(200, AlertSchema)
    def post(self, data: dict[str, Any], alert_id: int) -> dict[str, Any]:
        """Classify an alert as not an AE, AE, SAE or duplicate."""
        staff = current_staff()
        alert = service.get_alert(alert_id, staff)  # type: ignore[arg-type]
        return _view(service.triage_alert(alert, staff=staff, classification=data["classification"],  # type: ignore[arg-type]
                                          meddra_term=data.get("meddra_term"), note=data.get("note"),
                                          now=clock.now()))
