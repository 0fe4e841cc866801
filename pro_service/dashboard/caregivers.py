"""Caregivers pages: a participant's registered caregivers, register one, deactivate one.

Texts from a caregiver's phone are reports about the participant (issue 12). The rules
(who may see or change caregivers, site scope, phone checks) live in
`participants.caregivers`; these views parse, call one service and render.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.dashboard import forms
from pro_service.dashboard.base import bp, staff_page
from pro_service.participants import caregivers
from pro_service.participants.schemas import CaregiverCreateSchema, ReasonSchema
from pro_service.participants.service import Keys, get_participant
from pro_service.staff.policy import PARTICIPANT_WRITERS


def _keys() -> Keys:
    return Keys(current_app.config["DATA_KEY"], current_app.config["INDEX_KEY"])


def _page(study_id: str, form: forms.Form, status: int = 200) -> tuple[str, int]:
    listed = caregivers.list_caregivers(study_id, staff=g.staff)
    rows = [(cg, caregivers.caregiver_phone(cg, g.staff, _keys())) for cg in listed]
    return render_template("dashboard/caregivers/list.html", p=get_participant(study_id, g.staff),
                           rows=rows, form=form, may_write=g.staff.role in PARTICIPANT_WRITERS), status


@bp.get("/participants/<study_id>/caregivers")
@staff_page(*caregivers.READERS)
def caregivers_page(study_id: str) -> tuple[str, int]:
    """The participant's caregivers and the form to register one."""
    return _page(study_id, forms.Form())


@bp.post("/participants/<study_id>/caregivers")
@staff_page(*caregivers.READERS)
def caregiver_register(study_id: str) -> Response | tuple[str, int]:
    """Register a caregiver; bad input shows the form again with the reasons."""
    data, form = forms.load(CaregiverCreateSchema(), forms.form_values())
    done: Any = None
    if data is not None:
        done, form = forms.attempt(lambda: caregivers.register_caregiver(
            study_id, data, staff=g.staff, keys=_keys(), now=clock.now()), form)
    if done is None:
        return _page(study_id, form, 422)
    forms.flash(_("Caregiver registered."), "success")
    return redirect(url_for("dashboard.caregivers_page", study_id=study_id), 303)


@bp.post("/participants/<study_id>/caregivers/<int:caregiver_id>/deactivate")
@staff_page(*caregivers.READERS)
def caregiver_deactivate(study_id: str, caregiver_id: int) -> Response:
    """Stop treating a caregiver's texts as reports (a reason is required)."""
    data, form = forms.load(ReasonSchema(), forms.form_values())
    if data is None:
        forms.flash(_("A reason of at least 3 characters is required."), "error")
    else:
        forms.flash_result(lambda: caregivers.deactivate_caregiver(
            study_id, caregiver_id, staff=g.staff, now=clock.now(), reason=data["reason"]),
            _("Caregiver deactivated."))
    return redirect(url_for("dashboard.caregivers_page", study_id=study_id), 303)
