"""Staff and sites (admins): staff list, create, deactivate, passwords, API tokens, alert phones, sites."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, g, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from marshmallow import Schema
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.dashboard import forms
from pro_service.dashboard.base import bp, staff_page
from pro_service.staff import admin
from pro_service.staff.models import Role
from pro_service.staff.schemas import (
    AlertPhoneSchema,
    PasswordSchema,
    SiteSchema,
    SiteUpdateSchema,
    StaffCreateSchema,
    TokenSchema,
)


def _keys() -> dict[str, str]:
    return {"data_key": current_app.config["DATA_KEY"], "index_key": current_app.config["INDEX_KEY"]}


def _render(status: int = 200, **extra: Any) -> tuple[str, int]:
    context = {"rows": admin.list_staff(g.staff), "sites": admin.list_sites(g.staff), "roles": list(Role),
               "form": forms.Form(), "site_form": forms.Form(), "token": None, **extra}
    return render_template("dashboard/admin/index.html", **context), status


@bp.get("/admin", endpoint="admin")
@staff_page(Role.ADMIN)
def admin_page() -> tuple[str, int]:
    return _render()


@bp.post("/admin/staff")
@staff_page(Role.ADMIN)
def create_staff() -> Response | tuple[str, int]:
    data, form = forms.load(StaffCreateSchema(), forms.form_values(multi=("sites",)))
    if data is not None:
        user, form = forms.attempt(lambda: admin.create_staff(g.staff, data, now=clock.now(), **_keys()), form)
        if user is not None:
            forms.flash(_("Staff member %(name)s created.", name=user.name), "success")
            return redirect(url_for("dashboard.admin"))
    return _render(422, form=form)


def _staff_action(schema: Schema | None, action: Callable[[dict[str, Any]], object], done: str) -> Response:
    data, form = forms.load(schema, forms.form_values()) if schema else ({}, forms.Form())
    if data is None:
        forms.flash("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()), "error")
    else:
        forms.flash_result(lambda: action(data), done)
    return redirect(url_for("dashboard.admin"))


@bp.post("/admin/staff/<int:staff_id>/deactivate")
@staff_page(Role.ADMIN)
def deactivate_staff(staff_id: int) -> Response:
    return _staff_action(None, lambda _d: admin.set_active(g.staff, staff_id, active=False, now=clock.now()),
                         _("Deactivated."))


@bp.post("/admin/staff/<int:staff_id>/activate")
@staff_page(Role.ADMIN)
def activate_staff(staff_id: int) -> Response:
    return _staff_action(None, lambda _d: admin.set_active(g.staff, staff_id, active=True, now=clock.now()),
                         _("Reactivated."))


@bp.post("/admin/staff/<int:staff_id>/password")
@staff_page(Role.ADMIN)
def reset_password(staff_id: int) -> Response:
    return _staff_action(PasswordSchema(), lambda d: admin.reset_password(
        g.staff, staff_id, d["password"], now=clock.now()), _("Password reset."))


@bp.post("/admin/staff/<int:staff_id>/alert-phone")
@staff_page(Role.ADMIN)
def alert_phone(staff_id: int) -> Response:
    return _staff_action(AlertPhoneSchema(), lambda d: admin.set_alert_phone(
        g.staff, staff_id, d["alert_phone"], now=clock.now(), **_keys()), _("Alert phone saved."))


@bp.post("/admin/staff/<int:staff_id>/tokens")
@staff_page(Role.ADMIN)
def issue_token(staff_id: int) -> Response | tuple[str, int]:
    """The token is shown once on this page and never stored in clear."""
    data, form = forms.load(TokenSchema(), forms.form_values())
    token, form = forms.attempt(lambda: admin.issue_token(g.staff, staff_id, (data or {}).get("label", ""),
                                                          now=clock.now()), form)
    if token is None:
        forms.flash(form.problem or "", "error")
        return redirect(url_for("dashboard.admin"))
    body, status = _render(token=token)
    page = make_response(body, status)
    page.headers["Cache-Control"] = "no-store"
    return page


@bp.post("/admin/tokens/<int:token_id>/revoke")
@staff_page(Role.ADMIN)
def revoke_token(token_id: int) -> Response:
    return _staff_action(None, lambda _d: admin.revoke_token(g.staff, token_id, now=clock.now()),
                         _("Token revoked."))


@bp.post("/admin/sites")
@staff_page(Role.ADMIN)
def create_site() -> Response | tuple[str, int]:
    data, form = forms.load(SiteSchema(), forms.form_values())
    if data is not None:
        site, form = forms.attempt(lambda: admin.create_site(g.staff, data, now=clock.now()), form)
        if site is not None:
            forms.flash(_("Site %(code)s created.", code=site.code), "success")
            return redirect(url_for("dashboard.admin") + "#sites")
    return _render(422, site_form=form)


@bp.post("/admin/sites/<code>")
@staff_page(Role.ADMIN)
def update_site(code: str) -> Response:
    return _staff_action(SiteUpdateSchema(), lambda d: admin.update_site(g.staff, code, d, now=clock.now()),
                         _("Site saved."))
