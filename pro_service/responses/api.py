"""Staff entry of questionnaires: /api/responses/clinic-sessions and /api/responses/paper."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from pro_service.core import clock
from pro_service.responses import clinic, paper
from pro_service.responses.schemas import (
    ClinicSessionSchema,
    OccasionRefSchema,
    PaperEntrySchema,
    PaperResultSchema,
)
from pro_service.staff.auth import current_staff, require_roles
from pro_service.staff.models import Role

blp = Blueprint("responses", __name__, url_prefix="/api/responses",
                description="Questionnaires taken in clinic on a site device, or from paper.")

ENTERING = (Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR)


@blp.route("/clinic-sessions")
class ClinicSessions(MethodView):
    @require_roles(*ENTERING)
    @blp.arguments(OccasionRefSchema)
    @blp.response(201, ClinicSessionSchema)
    def post(self, ref: dict[str, Any]) -> dict[str, Any]:
        """Start an in-clinic session: the URL opens the web form for your own login only."""
        started = clinic.start_clinic_session(
            ref["study_id"], ref["timepoint"], ref["instrument"], staff=current_staff(),  # type: ignore[arg-type]
            now=clock.now(), reminder_hours=current_app.extensions["pro.protocol"].reminder_hours)
        base = current_app.config["PUBLIC_BASE_URL"]
        return {"url": base + url_for("webform.open_clinic", token=started.token),
                "occasion_id": started.occasion.id, "channel": clinic.CHANNEL,
                "expires_at": started.expires_at}


@blp.route("/paper")
class Paper(MethodView):
    @require_roles(*ENTERING)
    @blp.arguments(PaperEntrySchema)
    @blp.response(201, PaperResultSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Transcribe a paper form; with double entry a second person must enter the same values.

        409 with `differences` when the second entry disagrees; nothing is stored then.
        """
        instrument = current_app.extensions["pro.instruments"].get(data["instrument"])
        result = paper.enter_paper(paper.PaperForm(**data), staff=current_staff(),  # type: ignore[arg-type]
                                   instrument=instrument, now=clock.now())
        return {"status": result.status, "occasion_id": result.occasion.id,
                "response_id": result.response.id if result.response else None,
                "channel": paper.CHANNEL}
