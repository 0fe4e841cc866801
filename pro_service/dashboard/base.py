"""The dashboard's frame: blueprint, sign-in, language, navigation, time and countdown helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, g, has_request_context, redirect,
                   render_template, request, session, url_for)
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import format_decimal, lazy_gettext as _l
from flask_babel import refresh as refresh_locale
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.core.localtime import clock_span, format_local
from pro_service.extensions import limiter
from pro_service.staff.auth import current_staff
from pro_service.staff.models import Role, StaffUser
from pro_service.staff.service import check_password

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates",
               static_folder="static", static_url_path="/static")
F = TypeVar("F", bound=Callable[..., Any])
LANGUAGES = {"zh-CN": ("zh_Hans_CN", "中文"), "en": ("en", "English")}
LANG_KEY = "dashboard_lang"
CLINICAL = (Role.COORDINATOR, Role.INVESTIGATOR, Role.SAFETY_OFFICER, Role.ADMIN)
# (endpoint, label, roles): a link shows once its page module is registered and the role may open it
NAV: list[tuple[str, Any, tuple[str, ...]]] = [
    ("dashboard.alerts", _l("Alerts"), CLINICAL),
    ("dashboard.participants", _l("Participants"), CLINICAL),
    ("dashboard.status", _l("Record status"), CLINICAL),
    ("dashboard.analysts", _l("Analysis"), (Role.ANALYST, Role.ADMIN, Role.SAFETY_OFFICER)),
    ("dashboard.admin", _l("Staff and sites"), (Role.ADMIN,)),
    ("dashboard.audit", _l("Audit log"), (Role.ADMIN, Role.INVESTIGATOR)),
]
# Callables (user) -> list of (level, text) shown as banners on every page; rooms' checks go here.
BANNERS: list[Callable[[StaffUser], list[tuple[str, str]]]] = []


@bp.record_once
def _select_locale(state: BlueprintSetupState) -> None:
    babel = state.app.extensions["babel"]
    previous = babel.locale_selector

    def select() -> str | None:
        if has_request_context() and request.blueprint == bp.name:
            return LANGUAGES[dashboard_language()][0]
        return previous() if previous else None

    babel.locale_selector = select


def dashboard_language() -> str:
    """The staff member's chosen page language (``zh-CN`` unless they chose English)."""
    lang = session.get(LANG_KEY)
    return lang if lang in LANGUAGES else "zh-CN"


@bp.before_request
def _remember_language() -> None:
    if request.args.get("lang") in LANGUAGES:
        session[LANG_KEY] = request.args["lang"]
    refresh_locale()  # an app context kept around requests (tests, CLI) caches the last locale


def staff_page(*roles: str) -> Callable[[F], F]:
    """Require a signed-in staff member (else the sign-in page, then back here) of one of the roles."""

    def decorator(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                return redirect(url_for("dashboard.login_form", next=request.full_path.rstrip("?")))
            if roles and user.role not in roles:
                abort(403)
            g.staff = user
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def _safe_next(target: str | None) -> str:
    """Only a path on this dashboard is a place to go after sign-in (no open redirect)."""
    if target and target.startswith("/dashboard/") and not urlsplit(target).netloc \
            and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboard.home")


def nav_items(user: StaffUser | None) -> list[tuple[str, Any]]:
    """The navigation links this staff member may follow, in order."""
    if user is None:
        return []
    views = current_app.view_functions
    return [(url_for(ep), label) for ep, label, roles in NAV if ep in views and user.role in roles]


@bp.app_template_filter("localtime")
def _localtime(at: datetime | None, zone: str, date_only: bool = False) -> str:
    return format_local(at, zone, date_only=date_only)


@bp.app_template_global("countdown")
def _countdown(until: datetime | None) -> dict[str, Any] | None:
    """What a live countdown needs: the deadline (ISO), seconds left now and the H:MM:SS text."""
    if until is None:
        return None
    left = (until - clock.now()).total_seconds()
    return {"iso": until.isoformat(), "left": left, "text": clock_span(left), "over": left < 0}


@bp.context_processor
def _frame() -> dict[str, Any]:
    user = current_staff()
    banners = [b for check in BANNERS for b in check(user)] if user else []
    return {"user": user, "nav": nav_items(user), "banners": banners, "LANGUAGES": LANGUAGES,
            "lang": dashboard_language(), "format_decimal": format_decimal}


@bp.get("/login")
def login_form() -> str:
    return render_template("dashboard/login.html", error=None, next=request.args.get("next", ""))


@bp.post("/login")
@limiter.limit("10/minute")
def login() -> Response | tuple[str, int]:
    user = check_password(request.form.get("email", ""), request.form.get("password", ""))
    target = request.form.get("next", "")
    if user is None:
        return render_template("dashboard/login.html", error=True, next=target), 401
    lang = session.get(LANG_KEY)
    session.clear()
    if lang:
        session[LANG_KEY] = lang
    session["staff_id"] = user.id
    return redirect(_safe_next(target))


@bp.post("/logout")
def logout() -> Response:
    session.pop("staff_id", None)
    return redirect(url_for("dashboard.login_form"))


@bp.get("/")
@staff_page()
def home() -> Response | str:
    """Land on the first page the staff member's role opens (alerts for clinical staff)."""
    items = nav_items(g.staff)
    if items:
        return redirect(items[0][0])
    return render_template("dashboard/home.html")
