"""Safety desk pages: the alert queue, one alert (acknowledge, triage, contact log), the rota."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.core.localtime import offset_label
from pro_service.dashboard import forms
from pro_service.dashboard.base import BANNERS, CLINICAL, bp, dashboard_language, staff_page
from pro_service.safety import desk, rota
from pro_service.safety import service as safety
from pro_service.safety.domain import wording
from pro_service.safety.domain.escalation import MEDDRA_SUGGESTION
from pro_service.safety.domain.rota import WEEKDAYS
from pro_service.safety.schemas import (
    CATEGORIES,
    AlertFilterSchema,
    ContactSchema,
    RotaShiftSchema,
    TriageSchema,
)
from pro_service.staff.models import Role, StaffUser


OUTCOMES = {"reached": _l("Reached"), "no_answer": _l("Nobody answered"),
            "left_message": _l("Left a message"), "wrong_number": _l("Wrong number")}
DAYS = {"mon": _l("Mon"), "tue": _l("Tue"), "wed": _l("Wed"), "thu": _l("Thu"), "fri": _l("Fri"),
        "sat": _l("Sat"), "sun": _l("Sun")}


@bp.app_template_filter("fromiso")
def _fromiso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@bp.context_processor
def _alert_words() -> dict[str, Any]:
    lang = dashboard_language()
    return {"outcome_labels": OUTCOMES, "day_labels": DAYS,"category_name": lambda c: wording.category_name(c, lang),
            "urgency_name": lambda u: wording.urgency_name(u, lang),
            "source_name": lambda s: wording.source_name(s, lang),
            "alert_status_name": lambda s: wording.status_name(s, lang),
            "triage_name": lambda t: wording.triage_name(t, lang)}


def _item_text(item_id: str | None) -> str:
    """A symptom-check item's question in the page language (not its internal id)."""
    for instrument in current_app.extensions["pro.instruments"].values():
        for item in instrument.items:
            if item.id == item_id:
                texts = item.text if isinstance(item.text, dict) else {}
                return str(texts.get(dashboard_language()) or texts.get("zh-CN") or item_id)
    return item_id or ""


@bp.get("/alerts", endpoint="alerts")
@staff_page(*CLINICAL)
def alert_queue() -> tuple[str, int] | str:
    """Open alerts first, then by urgency, then by time left before the next escalation."""
    filters, form = forms.load(AlertFilterSchema(), {k: v for k, v in request.args.items() if v})
    items = desk.alert_queue(g.staff, filters=filters or {})
    return render_template("dashboard/alerts/queue.html", items=items, form=form,
                           categories=CATEGORIES, gaps=desk.on_call_gaps(g.staff, clock.now()),
                           item_text=_item_text), 422 if filters is None else 200


@bp.get("/alerts/<code>")
@staff_page(*CLINICAL)
def alert_page(code: str) -> str:
    """Everything about one alert, with the actions the caller's role allows."""
    view = desk.alert_view(code, g.staff, now=clock.now())
    zone = view.site.timezone
    return render_template("dashboard/alerts/alert.html", v=view, a=view.alert, zone=zone,
                           item_text=_item_text, now_local=clock.now().astimezone(ZoneInfo(zone)),
                           zone_label=offset_label(clock.now(), zone),
                           meddra=MEDDRA_SUGGESTION.get(view.alert.category, ()),
                           outcomes=desk.CONTACT_OUTCOMES)


@bp.post("/alerts/<code>/ack")
@staff_page(*CLINICAL)
def acknowledge(code: str) -> Response:
    alert = desk.alert_by_code(code, g.staff)
    safety.acknowledge_alert(alert, staff=g.staff, via="dashboard", now=clock.now())
    flash(_("Acknowledged. Please call the participant."), "success")
    return redirect(url_for("dashboard.alert_page", code=code))


@bp.post("/alerts/<code>/triage")
@staff_page(*CLINICAL)
def triage(code: str) -> Response:
    data, form = forms.load(TriageSchema(), forms.form_values())
    alert = desk.alert_by_code(code, g.staff)
    if data is None:
        flash(_("Choose a classification."), "error")
        return redirect(url_for("dashboard.alert_page", code=code, _anchor="triage"))
    safety.triage_alert(alert, staff=g.staff, classification=data["classification"],
                        meddra_term=data.get("meddra_term"), note=data.get("note"), now=clock.now())
    flash(_("Triage saved."), "success")
    return redirect(url_for("dashboard.alert_page", code=code))


@bp.post("/alerts/<code>/contact")
@staff_page(*CLINICAL)
def log_contact(code: str) -> Response:
    data, form = forms.load(ContactSchema(), forms.form_values())
    alert = desk.alert_by_code(code, g.staff)
    if data is None:
        flash(_("Give the time of the call and its outcome."), "error")
        return redirect(url_for("dashboard.alert_page", code=code, _anchor="contact"))
    called = data["called_at"].replace(tzinfo=ZoneInfo(alert.participant.site.timezone))
    _done, form = forms.attempt(lambda: desk.log_contact(
        alert, staff=g.staff, called_at=called, outcome=data["outcome"], note=data.get("note"),
        now=clock.now()), form)
    flash(form.problem or _("Call logged."), "error" if form.problem else "success")
    return redirect(url_for("dashboard.alert_page", code=code, _anchor="contact"))


@bp.get("/alerts/rota")
@staff_page(*CLINICAL)
def rota_page() -> str:
    """Each site's on-call rota, who is on call now and the hours nobody covers."""
    now = clock.now()
    sites = rota.visible_sites(g.staff)
    return render_template("dashboard/alerts/rota.html", now=now, weekdays=WEEKDAYS, sites=[
        (s, rota.rota_lines(s.id), rota.on_call_now(s.id, now), rota.rota_gaps(s.id, now),
         rota.may_edit_rota(g.staff, s.id), rota.on_call_candidates(s.id)) for s in sites])


@bp.post("/alerts/rota/<site_code>")
@staff_page(Role.ADMIN, Role.INVESTIGATOR)
def rota_add(site_code: str) -> Response:
    data, form = forms.load(RotaShiftSchema(), forms.form_values())
    if data is not None:
        _done, form = forms.attempt(lambda: rota.add_shift(
            site=rota.site_by_code(site_code), staff=rota.staff_by_id(data["staff_id"]),
            weekdays=data["weekdays"], start=data["start"], end=data["end"], now=clock.now(),
            editor=g.staff), form)
    flash(form.problem or ("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
          or _("Shift added."), "error" if form.failed else "success")
    return redirect(url_for("dashboard.rota_page", _anchor=f"site-{site_code}"))


@bp.post("/alerts/rota/shift/<int:shift_id>/remove")
@staff_page(Role.ADMIN, Role.INVESTIGATOR)
def rota_remove(shift_id: int) -> Response:
    rota.remove_shift(shift_id=shift_id, now=clock.now(), editor=g.staff)
    flash(_("Shift removed."), "success")
    return redirect(url_for("dashboard.rota_page"))


def _nobody_on_call(user: StaffUser) -> list[tuple[str, str]]:
    if user.role not in CLINICAL:
        return []
    gaps = desk.on_call_gaps(user, clock.now())
    return [("warning", _("Nobody is on call now at site %(site)s: alerts go straight to the "
                          "investigator and the safety desk.", site=s.code)) for s in gaps]


BANNERS.append(_nobody_on_call)


