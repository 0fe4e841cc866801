"""Safety alert pages: the queue and acknowledgement."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.dashboard.base import CLINICAL, bp, staff_page
from pro_service.extensions import db
from pro_service.safety import service as safety
from pro_service.safety.models import SafetyAlert


@bp.get("/alerts")
@staff_page(*CLINICAL)
def alerts() -> str:
    """Open and recent safety alerts of the caller's sites, open ones first."""
    rows = db.session.scalars(safety.visible_alerts(g.staff).order_by(
        SafetyAlert.status != "open", SafetyAlert.created_at.desc()).limit(200)).all()
    return render_template("dashboard/alerts.html", alerts=rows)


@bp.post("/alerts/<int:alert_id>/ack")
@staff_page(*CLINICAL)
def acknowledge(alert_id: int) -> Response:
    safety.acknowledge_alert(safety.get_alert(alert_id, g.staff), staff=g.staff, via="dashboard",
                             now=clock.now())
    return redirect(url_for("dashboard.alerts"))
