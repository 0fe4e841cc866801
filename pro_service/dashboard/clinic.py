"""Clinic pages: start a questionnaire on a site device, transcribe a paper form (double entry)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, g, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.dashboard import forms
from pro_service.dashboard.base import CLINICAL, bp, staff_page
from pro_service.messages.queued import queued_for_participants
from pro_service.responses import clinic, paper
from pro_service.responses.schemas import OccasionRefSchema, paper_page_schema


def _instruments() -> dict[str, Any]:
    return current_app.extensions["pro.instruments"]  # type: ignore[no-any-return]


def _overview(study_id: str) -> clinic.Overview:
    return clinic.clinic_overview(study_id, staff=g.staff, now=clock.now())


@bp.get("/participants/<study_id>/clinic")
@staff_page(*CLINICAL)
def clinic_page(study_id: str) -> str:
    """The participant's occasions: start one in clinic, or enter its paper form."""
    return render_template("dashboard/clinic/occasions.html", overview=_overview(study_id),
                           instruments=_instruments())


@bp.post("/participants/<study_id>/clinic/start")
@staff_page(*CLINICAL)
def clinic_start(study_id: str) -> Response:
    """Start an in-clinic session bound to this login and open the form on this device."""
    ref, form = forms.load(OccasionRefSchema(), {**forms.form_values(), "study_id": study_id})
    started = None
    if ref is not None:
        started, form = forms.attempt(lambda: clinic.start_clinic_session(
            study_id, ref["timepoint"], ref["instrument"], staff=g.staff, now=clock.now(),
            reminder_hours=current_app.extensions["pro.protocol"].reminder_hours), form)
    if started is None:
        forms.flash(form.problem or _("Choose an occasion."), "error")
        return redirect(url_for("dashboard.clinic_page", study_id=study_id))
    return redirect(url_for("webform.open_clinic", token=started.token), 303)


def _enter(entry: paper.PaperForm, instrument: Any) -> paper.PaperResult | paper.EntriesDiffer:
    """Enter the form; a disagreeing second entry comes back as its error (nothing was stored)."""
    try:
        return paper.enter_paper(entry, staff=g.staff, instrument=instrument, now=clock.now())
    except paper.EntriesDiffer as exc:
        return exc


def _paper_row(study_id: str, occasion_id: int) -> tuple[clinic.Overview, clinic.EntryRow]:
    overview = _overview(study_id)
    for row in overview.rows:
        if row.occasion.id == occasion_id:
            return overview, row
    abort(404)


@bp.get("/participants/<study_id>/paper/<int:occasion_id>")
@staff_page(*CLINICAL)
def paper_form(study_id: str, occasion_id: int) -> str:
    overview, row = _paper_row(study_id, occasion_id)
    return render_template("dashboard/clinic/paper.html", overview=overview, row=row,
                           instrument=_instruments()[row.occasion.instrument], form=forms.Form(),
                           differences=None)


@bp.post("/participants/<study_id>/paper/<int:occasion_id>")
@staff_page(*CLINICAL)
def paper_submit(study_id: str, occasion_id: int) -> Response | tuple[str, int]:
    """Transcribe the form; a second entry that differs shows the differences and stores nothing."""
    overview, row = _paper_row(study_id, occasion_id)
    instrument = _instruments()[row.occasion.instrument]
    data, form = forms.load(paper_page_schema(instrument)(), forms.form_values())
    differences = None
    if data is not None:
        answers = {i.id: data[i.id] for i in instrument.items if data.get(i.id) is not None}
        entry = paper.PaperForm(study_id, row.occasion.timepoint, row.occasion.instrument, answers,
                                data["completed_on"], data["reason"], data["double_entry"],
                                data["resolve"])
        result, form = forms.attempt(lambda: _enter(entry, instrument), form)
        if isinstance(result, paper.EntriesDiffer):
            result, differences, form.problem = None, result.extra["differences"], result.detail
        if result is not None:
            forms.flash(_("Paper form stored.") if result.status == "stored"
                        else _("First entry kept: another person must now enter the same form."),
                        "success")
            return redirect(url_for("dashboard.clinic_page", study_id=study_id))
    return render_template("dashboard/clinic/paper.html", overview=overview, row=row,
                           instrument=instrument, form=form, differences=differences,
                           items={i.id: i for i in instrument.items}), 422 if differences is None else 409



@bp.app_template_global("queued_send_times")
def queued_send_times(participant: Any) -> list[Any]:
    """The participant's queued messages with their send times (the participant page's section)."""
    return queued_for_participants([participant])
