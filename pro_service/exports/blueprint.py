"""The exports blueprint and who may call it; `api` and `files_api` add their routes."""

from __future__ import annotations

from flask_smorest import Blueprint

from pro_service.staff.auth import Unauthorised, current_staff
from pro_service.staff.models import Role, StaffUser

blp = Blueprint("exports", __name__, url_prefix="/api/exports",
                description="Pseudonymised PRO data for analysts: datasets, SDTM QS, data "
                            "dictionary, completion, background files and frozen data cuts. "
                            "Every download is audited as a data access.")

# Investigators and coordinators see their own sites only (participants.visible_participants).
READERS = (Role.ANALYST, Role.ADMIN, Role.SAFETY_OFFICER, Role.INVESTIGATOR, Role.COORDINATOR)
ALL_SITE_READERS = (Role.ANALYST, Role.ADMIN, Role.SAFETY_OFFICER)


def caller() -> StaffUser:
    """The authenticated caller (`require_roles` has already turned anonymous requests away)."""
    staff = current_staff()
    if staff is None:
        raise Unauthorised("a valid bearer token or login is required")
    return staff


def _row_schemas(state: object) -> None:
    from pro_service.exports.docs import register_row_schemas

    register_row_schemas(state)  # type: ignore[arg-type]


blp.record_once(_row_schemas)
