"""REST API for enrollment: /api/participants."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from pro_service.core import clock
from pro_service.participants import caregivers, service
from pro_service.participants.presenters import participant_view
from pro_service.participants.schemas import (
    CaregiverCreateSchema,
    CaregiverSchema,
    ParticipantCreateSchema,
    ParticipantPageSchema,
    ParticipantQuerySchema,
    ParticipantStaffSchema,
    ParticipantUpdateSchema,
    ReasonSchema,
)
from pro_service.staff.auth import current_staff, require_roles
from pro_service.staff.models import Role

blp = Blueprint("participants", __name__, url_prefix="/api/participants",
                description="Enrol participants and manage their preferences and anchors.")

READERS = tuple(Role)
WRITERS = (Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR)


def keys() -> service.Keys:
    return service.Keys(current_app.config["DATA_KEY"], current_app.config["INDEX_KEY"])


def _view(p: Any) -> dict[str, Any]:
    return participant_view(p, current_staff(), keys())  # type: ignore[arg-type]


@blp.route("")
class Participants(MethodView):
    @require_roles(*READERS)
    @blp.arguments(ParticipantQuerySchema, location="query")
    @blp.response(200, ParticipantPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the participants the caller may see (paginated, filterable)."""
        page, per_page = args.pop("page"), args.pop("per_page")
        rows, total = service.list_participants(current_staff(), page=page, per_page=per_page,
                                                filters=args)  # type: ignore[arg-type]
        return {"items": [_view(p) for p in rows], "page": page, "per_page": per_page,
                "total": total}

    @require_roles(*WRITERS)
    @blp.arguments(ParticipantCreateSchema)
    @blp.response(201, ParticipantStaffSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Enrol a participant."""
        staff = current_staff()
        p = service.enrol_participant(data, keys=keys(), now=clock.now(),
                                      actor=f"staff:{staff.id}", staff=staff)  # type: ignore[union-attr]
        return _view(p)


@blp.route("/<study_id>")
class ParticipantById(MethodView):
    @require_roles(*READERS)
    @blp.response(200, ParticipantStaffSchema)
    def get(self, study_id: str) -> dict[str, Any]:
        """Read one participant."""
        return _view(service.get_participant(study_id, current_staff()))  # type: ignore[arg-type]

    @require_roles(*WRITERS)
    @blp.arguments(ParticipantUpdateSchema)
    @blp.response(200, ParticipantStaffSchema)
    def patch(self, changes: dict[str, Any], study_id: str) -> dict[str, Any]:
        """Change language, time zone, channel, quiet hours or anchor dates."""
        reason = changes.pop("reason", None)
        p = service.update_participant(study_id, changes, staff=current_staff(),  # type: ignore[arg-type]
                                       now=clock.now(), reason=reason)
        return _view(p)


@blp.route("/<study_id>/opt-out")
class OptOut(MethodView):
    @require_roles(*WRITERS)
    @blp.arguments(ReasonSchema)
    @blp.response(200, ParticipantStaffSchema)
    def post(self, data: dict[str, Any], study_id: str) -> dict[str, Any]:
        """Stop SMS to a participant (occasions stay answerable by web link)."""
        p = service.staff_set_opt_out(study_id, opted_out=True, staff=current_staff(),  # type: ignore[arg-type]
                                      now=clock.now(), reason=data["reason"])
        return _view(p)


@blp.route("/<study_id>/opt-in")
class OptIn(MethodView):
    @require_roles(*WRITERS)
    @blp.arguments(ReasonSchema)
    @blp.response(200, ParticipantStaffSchema)
    def post(self, data: dict[str, Any], study_id: str) -> dict[str, Any]:
        """Resume SMS to a participant who opted out."""
        p = service.staff_set_opt_out(study_id, opted_out=False, staff=current_staff(),  # type: ignore[arg-type]
                                      now=clock.now(), reason=data["reason"])
        return _view(p)


@blp.route("/<study_id>/withdraw")
class Withdraw(MethodView):
    @require_roles(*WRITERS)
    @blp.arguments(ReasonSchema)
    @blp.response(200, ParticipantStaffSchema)
    def post(self, data: dict[str, Any], study_id: str) -> dict[str, Any]:
        """Withdraw a participant: future occasions are cancelled."""
        p = service.withdraw_participant(study_id, staff=current_staff(),  # type: ignore[arg-type]
                                         now=clock.now(), reason=data["reason"])
        return _view(p)


def _caregiver_view(cg: Any) -> dict[str, Any]:
    phone = caregivers.caregiver_phone(cg, current_staff(), keys())  # type: ignore[arg-type]
    return {**{k: getattr(cg, k) for k in CaregiverSchema().fields if k != "phone"}, "phone": phone}


@blp.route("/<study_id>/caregivers")
class Caregivers(MethodView):
    @require_roles(*caregivers.READERS)
    @blp.response(200, CaregiverSchema(many=True))
    def get(self, study_id: str) -> list[dict[str, Any]]:
        """List a participant's caregivers (whose texts are screened as about the participant)."""
        found = caregivers.list_caregivers(study_id, staff=current_staff())  # type: ignore[arg-type]
        return [_caregiver_view(cg) for cg in found]

    @require_roles(*WRITERS)
    @blp.arguments(CaregiverCreateSchema)
    @blp.response(201, CaregiverSchema)
    def post(self, data: dict[str, Any], study_id: str) -> dict[str, Any]:
        """Register a caregiver: name, relation, language, phone (stored encrypted), consent date."""
        cg = caregivers.register_caregiver(study_id, data, staff=current_staff(),  # type: ignore[arg-type]
                                           keys=keys(), now=clock.now())
        return _caregiver_view(cg)


@blp.route("/<study_id>/caregivers/<int:caregiver_id>/deactivate")
class CaregiverDeactivate(MethodView):
    @require_roles(*WRITERS)
    @blp.arguments(ReasonSchema)
    @blp.response(200, CaregiverSchema)
    def post(self, data: dict[str, Any], study_id: str, caregiver_id: int) -> dict[str, Any]:
        """Stop treating this caregiver's texts as reports about the participant."""
        cg = caregivers.deactivate_caregiver(study_id, caregiver_id, staff=current_staff(),  # type: ignore[arg-type]
                                             now=clock.now(), reason=data["reason"])
        return _caregiver_view(cg)
