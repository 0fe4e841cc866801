"""Participant pages: the list, enrolment (form and CSV), the participant page and its actions."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.dashboard import forms
from pro_service.dashboard.base import CLINICAL, bp, staff_page
from pro_service.dashboard.participant_charts import participant_charts
from pro_service.participants import service as participants
from pro_service.participants.importer import MAX_BYTES, import_csv_bytes
from pro_service.participants.schemas import (
    AnchorChangeSchema,
    ParticipantCreateSchema,
    ParticipantSearchSchema,
    ReasonSchema,
)
from pro_service.responses import record as records
from pro_service.responses import staff_actions
from pro_service.responses.schemas import correction_schema
from pro_service.schedule import listing
from pro_service.schedule import service as schedule
from pro_service.staff.policy import PARTICIPANT_WRITERS, may

PER_PAGE = 50


def _keys() -> participants.Keys:
    return participants.Keys(current_app.config["DATA_KEY"], current_app.config["INDEX_KEY"])


def _instruments() -> dict[str, Any]:
    return current_app.extensions["pro.instruments"]  # type: ignore[no-any-return]


def _to_participant(study_id: str, anchor: str = "") -> Response:
    return redirect(url_for("dashboard.participant", study_id=study_id) + anchor)


@bp.get("/participants", endpoint="participants")
@staff_page(*CLINICAL)
def participants_list() -> str | tuple[str, int]:
    """The participants of the caller's sites: search, filters, counts."""
    filters, form = forms.load(ParticipantSearchSchema(), request.args.to_dict())
    if filters is None:
        return render_template("dashboard/participants/list.html", page=None, form=form), 422
    page = listing.list_participants(g.staff, filters=filters, page=filters["page"], per_page=PER_PAGE,
                                     now=clock.now())
    return render_template("dashboard/participants/list.html", page=page, form=form,
                           may_write=may(g.staff, PARTICIPANT_WRITERS))


@bp.get("/participants/new")
@staff_page(*PARTICIPANT_WRITERS)
def enrol_form() -> str:
    return render_template("dashboard/participants/enrol.html", form=forms.Form(), csv=None)


@bp.post("/participants/new")
@staff_page(*PARTICIPANT_WRITERS)
def enrol() -> Response | tuple[str, int]:
    """Enrol one participant with the API's schema and the service's rules."""
    data, form = forms.load(ParticipantCreateSchema(), forms.form_values())
    if data is not None:
        p, form = forms.attempt(lambda: participants.enrol_participant(
            data, keys=_keys(), now=clock.now(), actor=f"staff:{g.staff.id}", staff=g.staff), form)
        if p is not None:
            return _to_participant(p.study_id)
    return render_template("dashboard/participants/enrol.html", form=form, csv=None), 422


@bp.post("/participants/import")
@staff_page(*PARTICIPANT_WRITERS)
def import_csv() -> Response | tuple[str, int]:
    """All rows or none; errors listed by line."""
    upload = request.files.get("file")
    raw = upload.read(MAX_BYTES + 1) if upload else b""
    result, form = forms.attempt(lambda: import_csv_bytes(
        raw, keys=_keys(), now=clock.now(), actor=f"staff:{g.staff.id}", staff=g.staff))
    errors, count = result or ([(0, form.problem or "")], 0)
    if errors:
        return render_template("dashboard/participants/enrol.html", form=forms.Form(), csv=errors), 422
    forms.flash(_("Imported %(n)d participant(s).", n=count), "success")
    return redirect(url_for("dashboard.participants"))


@bp.get("/participants/<study_id>")
@staff_page(*CLINICAL)
def participant(study_id: str) -> str:
    """Anchors, schedule, answers with versions, plots, SMS thread, alerts and actions."""
    record = records.participant_record(study_id, g.staff)
    return render_template("dashboard/participants/page.html", record=record,
                           charts=participant_charts(record), instruments=_instruments(),
                           may_write=may(g.staff, PARTICIPANT_WRITERS), now=clock.now(),
                           answer_rows=records.answer_rows, preview=None, form=forms.Form())


@bp.post("/participants/<study_id>/anchors")
@staff_page(*CLINICAL)
def change_anchors(study_id: str) -> Response | str | tuple[str, int]:
    """First show which occasions would move; change only once confirmed with a reason."""
    data, form = forms.load(AnchorChangeSchema(), forms.form_values())
    record = records.participant_record(study_id, g.staff)
    if data is not None:
        reason, confirm = data.pop("reason"), data.pop("confirm")
        if confirm:
            done, form = forms.attempt(lambda: participants.update_participant(
                study_id, data, staff=g.staff, now=clock.now(), reason=reason), form)
            if done is not None:
                forms.flash(_("Anchor dates changed; the schedule was updated."), "success")
                return _to_participant(study_id, "#schedule")
        plan, form = forms.attempt(lambda: schedule.preview_anchor_change(
            record.participant, data, now=clock.now(), protocol=current_app.extensions["pro.protocol"]),
            form)
        return render_template("dashboard/participants/anchors_confirm.html", record=record, plan=plan,
                               changes=data, form=form), 422 if form.failed else 200
    return render_template("dashboard/participants/anchors_confirm.html", record=record, plan=None,
                           changes={}, form=form), 422


def _reason_action(study_id: str, action: Any, done: str) -> Response:
    data, form = forms.load(ReasonSchema(), forms.form_values())
    if data is None:
        forms.flash(_("Give a reason (at least 3 characters)."), "error")
    else:
        forms.flash_result(lambda: action(data["reason"]), done)
    return _to_participant(study_id, "#actions")


@bp.post("/participants/<study_id>/opt-out")
@staff_page(*CLINICAL)
def opt_out(study_id: str) -> Response:
    return _reason_action(study_id, lambda reason: participants.staff_set_opt_out(
        study_id, opted_out=True, staff=g.staff, now=clock.now(), reason=reason),
        _("Opted out of SMS."))


@bp.post("/participants/<study_id>/opt-in")
@staff_page(*CLINICAL)
def opt_in(study_id: str) -> Response:
    return _reason_action(study_id, lambda reason: participants.staff_set_opt_out(
        study_id, opted_out=False, staff=g.staff, now=clock.now(), reason=reason),
        _("SMS resumed."))


@bp.post("/participants/<study_id>/withdraw")
@staff_page(*CLINICAL)
def withdraw(study_id: str) -> Response:
    return _reason_action(study_id, lambda reason: participants.withdraw_participant(
        study_id, staff=g.staff, now=clock.now(), reason=reason), _("Participant withdrawn."))


@bp.post("/participants/<study_id>/occasions/<int:occasion_id>/resend")
@staff_page(*CLINICAL)
def resend(study_id: str, occasion_id: int) -> Response:
    forms.flash_result(lambda: staff_actions.resend_invitation(
        study_id, occasion_id, staff=g.staff, instruments=_instruments(), now=clock.now()),
        _("The invitation will be sent again."))
    return _to_participant(study_id, "#schedule")


@bp.post("/participants/<study_id>/occasions/<int:occasion_id>/link")
@staff_page(*CLINICAL)
def fresh_link(study_id: str, occasion_id: int) -> Response | str:
    """Show a new one-time web-form link once (only its hash is stored)."""
    link, form = forms.attempt(lambda: staff_actions.fresh_link(study_id, occasion_id, staff=g.staff,
                                                                now=clock.now()))
    if link is None:
        forms.flash(form.problem or "", "error")
        return _to_participant(study_id, "#schedule")
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/s/{link.token}"
    record = records.participant_record(study_id, g.staff)
    page = make_response(render_template("dashboard/participants/link.html", record=record, link=link,
                                         url=url))
    page.headers["Cache-Control"] = "no-store"
    return page


@bp.get("/participants/<study_id>/responses/<int:response_id>/correct")
@staff_page(*CLINICAL)
def correct_form(study_id: str, response_id: int) -> str:
    record = records.participant_record(study_id, g.staff)
    row, resp = _response_row(record, response_id)
    return render_template("dashboard/participants/correct.html", record=record, row=row, resp=resp,
                           instrument=_instruments()[resp.instrument], form=forms.Form(values={}))


@bp.post("/participants/<study_id>/responses/<int:response_id>/correct")
@staff_page(*CLINICAL)
def correct(study_id: str, response_id: int) -> Response | tuple[str, int]:
    """A corrected version with a reason; scores are recomputed and the old version stays."""
    record = records.participant_record(study_id, g.staff)
    row, resp = _response_row(record, response_id)
    instrument = _instruments()[resp.instrument]
    data, form = forms.load(correction_schema(instrument)(), forms.form_values())
    if data is not None:
        reason = data.pop("reason")
        changes = {k: v for k, v in data.items() if v is not None}
        done, form = forms.attempt(lambda: staff_actions.correct_answers(
            study_id, response_id, changes, reason=reason, staff=g.staff, instruments=_instruments(),
            now=clock.now()), form)
        if done is not None:
            forms.flash(_("Correction saved as version %(v)d.", v=done.version), "success")
            return _to_participant(study_id, f"#occasion-{row.occasion.id}")
    return render_template("dashboard/participants/correct.html", record=record, row=row, resp=resp,
                           instrument=instrument, form=form), 422


def _response_row(record: records.Record, response_id: int) -> tuple[records.OccasionRow, Any]:
    for row in record.occasions:
        for resp in row.versions:
            if resp.id == response_id:
                return row, resp
    abort(404)
