"""Dashboard pages: login, logout, home."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.core.csrf import check_csrf, csrf_token
from pro_service.extensions import db, limiter
from pro_service.participants.service import visible_participants
from pro_service.safety import service as safety
from pro_service.safety.models import SafetyAlert
from pro_service.staff.auth import current_staff
from pro_service.staff.service import check_password

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")


@bp.app_context_processor
def _inject() -> dict[str, object]:
    return {"csrf_token": csrf_token}


@bp.get("/login")
def login_form() -> str:
    return render_template("dashboard/login.html", error=None)


@bp.post("/login")
@limiter.limit("10/minute")
def login() -> Response | tuple[str, int]:
    check_csrf()
    user = check_password(request.form.get("email", ""), request.form.get("password", ""))
    if user is None:
        return render_template("dashboard/login.html", error="Wrong email or password."), 401
    session.clear()
    session["staff_id"] = user.id
    return redirect(url_for("dashboard.home"))


@bp.post("/logout")
def logout() -> Response:
    check_csrf()
    session.clear()
    return redirect(url_for("dashboard.login_form"))


@bp.get("/")
def home() -> Response | str:
    user = current_staff()
    if user is None:
        return redirect(url_for("dashboard.login_form"))
    participants = db.session.scalars(visible_participants(user).limit(200)).all()
    return render_template("dashboard/home.html", user=user, participants=participants)


@bp.get("/alerts")
def alerts() -> Response | str:
    """Open and recent safety alerts of the caller's sites, most urgent first."""
    user = current_staff()
    if user is None:
        return redirect(url_for("dashboard.login_form"))
    rows = db.session.scalars(safety.visible_alerts(user).order_by(
        SafetyAlert.status != "open", SafetyAlert.created_at.desc()).limit(200)).all()
    return render_template("dashboard/alerts.html", user=user, alerts=rows)


@bp.post("/alerts/<int:alert_id>/ack")
def acknowledge(alert_id: int) -> Response:
    check_csrf()
    user = current_staff()
    if user is None:
        return redirect(url_for("dashboard.login_form"))
    safety.acknowledge_alert(safety.get_alert(alert_id, user), staff=user, via="dashboard",
                             now=clock.now())
    return redirect(url_for("dashboard.alerts"))
