"""Queued messages and when they go out: /api/messages/queued?study_id=…"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from pro_service.messages.queued import queued_messages
from pro_service.staff.auth import current_staff, require_roles
from pro_service.staff.models import Role

blp = Blueprint("messages", __name__, url_prefix="/api/messages",
                description="The outbox as staff see it: what waits, and when it will go out.")


class QueuedQuerySchema(Schema):
    study_id = fields.String(required=True, validate=validate.Length(min=1, max=20))


class QueuedSchema(Schema):
    id = fields.Integer()
    study_id = fields.String()
    kind = fields.String()
    send_after_utc = fields.AwareDateTime()
    send_after_local = fields.String(metadata={"description": "participant's local time with offset"})
    zone = fields.String(metadata={"description": "the participant's IANA zone"})
    held_for_quiet_hours = fields.Boolean()
    quiet_hours = fields.String(metadata={"example": "21:00–08:00"})


class QueuedPageSchema(Schema):
    items = fields.List(fields.Nested(QueuedSchema))


@blp.route("/queued")
class Queued(MethodView):
    @require_roles(Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR, Role.SAFETY_OFFICER)
    @blp.arguments(QueuedQuerySchema, location="query")
    @blp.response(200, QueuedPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """A participant's queued messages with the time each goes out in their zone."""
        rows = queued_messages(args["study_id"], staff=current_staff())  # type: ignore[arg-type]
        return {"items": [{"id": q.message.id, "study_id": q.study_id, "kind": q.message.kind,
                           "send_after_utc": q.send.at_utc, "send_after_local": q.send.at_local.isoformat(),
                           "zone": q.send.zone, "held_for_quiet_hours": q.send.held_for_quiet_hours,
                           "quiet_hours": q.send.quiet_hours} for q in rows]}
