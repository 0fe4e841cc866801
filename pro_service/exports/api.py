"""Analysts' exports: /api/exports (scores JSON/CSV, SDTM QS CSV, completion), site-scoped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Response, current_app, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from pro_service.core import clock
from pro_service.exports import service
from pro_service.exports.domain.rows import SCORE_COLUMNS
from pro_service.exports.domain.sdtm_qs import QS_COLUMNS
from pro_service.exports.domain.tabular import csv_lines
from pro_service.exports.schemas import (
    CompletionQuerySchema,
    CompletionSchema,
    QsQuerySchema,
    ScorePageSchema,
    ScoreQuerySchema,
)
from pro_service.staff.auth import Unauthorised, current_staff, require_roles
from pro_service.staff.models import Role, StaffUser

blp = Blueprint("exports", __name__, url_prefix="/api/exports",
                description="Pseudonymised PRO data for analysts: scores, SDTM QS, completion.")

# Investigators and coordinators see their own sites only (participants.visible_participants).
READERS = (Role.ANALYST, Role.ADMIN, Role.SAFETY_OFFICER, Role.INVESTIGATOR, Role.COORDINATOR)


def _caller() -> StaffUser:
    """The authenticated caller (`require_roles` has already turned anonymous requests away)."""
    staff = current_staff()
    if staff is None:
        raise Unauthorised("a valid bearer token or login is required")
    return staff


def _csv(filename: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Response:
    return Response(stream_with_context(csv_lines(columns, rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


@blp.route("/scores")
class Scores(MethodView):
    @require_roles(*READERS)
    @blp.arguments(ScoreQuerySchema, location="query")
    @blp.response(200, ScorePageSchema)
    @blp.doc(responses={"200": {"content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ScorePage"}},
        "text/csv": {"schema": {"type": "string",
                                "description": "format=csv: every matching row, with a header"}}}}})
    def get(self, args: dict[str, Any]) -> Any:
        """Long-format scores of current complete responses.

        JSON is paginated; `format=csv` streams every matching row as text/csv with a header.
        """
        staff = _caller()
        if args.pop("format") == "csv":
            return _csv("scores.csv", SCORE_COLUMNS, service.iter_score_rows(staff, args))
        page, per_page = args.pop("page"), args.pop("per_page")
        items, total = service.score_page(staff, args, page=page, per_page=per_page)
        return {"items": items, "page": page, "per_page": per_page, "total": total}


@blp.route("/sdtm/qs.csv")
class SdtmQs(MethodView):
    @require_roles(*READERS)
    @blp.arguments(QsQuerySchema, location="query")
    @blp.response(200, content_type="text/csv",
                  description="CDISC SDTM QS: one row per answered EQ-5D-5L and CLDQ item")
    def get(self, args: dict[str, Any]) -> Response:
        """Item-level CDISC SDTM QS rows of current complete responses, streamed as CSV."""
        rows = service.iter_qs_rows(_caller(), args,
                                    protocol=current_app.extensions["pro.protocol"],
                                    instruments=current_app.extensions["pro.instruments"])
        return _csv("qs.csv", QS_COLUMNS, rows)


@blp.route("/completion")
class Completion(MethodView):
    @require_roles(*READERS)
    @blp.arguments(CompletionQuerySchema, location="query")
    @blp.response(200, CompletionSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Completion by site, timepoint and instrument: expected, completed, partial, missed."""
        now = clock.now()
        items = service.completion_rows(_caller(), args, now=now,
                                        protocol=current_app.extensions["pro.protocol"])
        return {"as_of": now, "items": items}
