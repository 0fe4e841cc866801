"""Analysts' dataset downloads under /api/exports, streamed, site-scoped and audited."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, stream_with_context
from flask.views import MethodView

from pro_service.core import clock
from pro_service.exports import files_api  # noqa: F401 - its routes join the blueprint
from pro_service.exports import render as exports
from pro_service.exports import service
from pro_service.exports.blueprint import READERS, blp, caller
from pro_service.exports.docs import response_content
from pro_service.exports.domain.tabular import csv_lines
from pro_service.schedule.domain.completion import COLUMNS as COMPLETION_COLUMNS
from pro_service.exports.schemas import (
    CompletionQuerySchema,
    CompletionSchema,
    DatasetQuerySchema,
    DictionaryQuerySchema,
    QsQuerySchema,
    SafetyQuerySchema,
    ScorePageSchema,
    ScoreQuerySchema,
)
from pro_service.staff.auth import require_roles


def context() -> exports.Context:
    return exports.Context(current_app.extensions["pro.protocol"],
                           current_app.extensions["pro.instruments"])


def download(dataset: str, fmt: str, args: dict[str, Any]) -> Response:
    """Stream one dataset; the access is audited once the stream ends (or is abandoned)."""
    staff, end_line = caller(), args.pop("end_line", True)
    filters = exports.resolve_as_of(args, clock.now())
    rendered = exports.render(dataset, fmt, staff, filters, context(), end_line=end_line)
    body = exports.audited(staff, rendered, filters, clock=clock.now, via="api")
    return Response(stream_with_context(body), mimetype=rendered.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{rendered.filename}"',
                             "Cache-Control": "no-store",
                             "X-Data-As-Of": filters["as_of"].isoformat()})



def _json_or_csv(schema: str) -> dict[str, Any]:
    """Document both answers of a view whose `format=csv` streams text/csv instead of JSON."""
    return {"responses": {"200": {"content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}},
        "text/csv": {"schema": {"type": "string",
                                "description": "format=csv: the same rows as CSV, with a header"}}}}}}

@blp.route("/scores")
class Scores(MethodView):
    @require_roles(*READERS)
    @blp.arguments(ScoreQuerySchema, location="query")
    @blp.response(200, ScorePageSchema)
    @blp.doc(**_json_or_csv("ScorePage"))
    def get(self, args: dict[str, Any]) -> Any:
        """Long-format scores of complete responses, with change from baseline.

        JSON is paginated; `format=csv` streams every matching row as text/csv with a header
        and the `#END` line.
        """
        if args.pop("format") == "csv":
            return download("scores", "csv", args)
        staff = caller()
        args.pop("end_line", None)
        filters = exports.resolve_as_of(args, clock.now())
        page, per_page = filters.pop("page"), filters.pop("per_page")
        items, total = service.score_page(staff, filters, page=page, per_page=per_page)
        return {"items": items, "page": page, "per_page": per_page, "total": total}


def _dataset_view(dataset: str, fmt: str | None, schema: type, summary: str) -> type[MethodView]:
    """A GET view streaming `dataset` (in `fmt`, or the `format` argument)."""

    class View(MethodView):
        @require_roles(*READERS)
        @blp.arguments(schema, location="query")
        @blp.response(200)
        @blp.doc(**response_content(dataset, fmt))
        def get(self, args: dict[str, Any]) -> Response:
            return download(dataset, fmt or args.pop("format"), args)

    View.get.__doc__ = summary
    View.__name__ = f"{dataset.title()}{(fmt or '').title().replace('-', '')}Export"
    return View


for _url, _dataset, _fmt, _schema, _summary in (
    ("/items", "items", None, DatasetQuerySchema,
     "Item-level answers of every instrument, symptom checks included, with missing-data codes"),
    ("/wide", "wide", None, DatasetQuerySchema,
     "One row per participant and timepoint with every score and item"),
    ("/safety", "safety", None, SafetyQuerySchema,
     "Safety listing: every alert with its times, triage, MedDRA term and SAE flag"),
    ("/dictionary", "dictionary", None, DictionaryQuerySchema,
     "Data dictionary: every variable of every dataset (CSV or HTML)"),
    ("/sdtm/qs.csv", "qs", "csv", QsQuerySchema, "CDISC SDTM QS as CSV"),
    ("/sdtm/qs.xpt", "qs", "xpt", QsQuerySchema, "CDISC SDTM QS as SAS transport (XPT v5)"),
    ("/sdtm/qs.json", "qs", "dataset-json", QsQuerySchema,
     "CDISC SDTM QS as CDISC Dataset-JSON v1.1"),
):
    blp.add_url_rule(_url, f"{_dataset}_{(_fmt or 'any').replace('-', '_')}",
                     view_func=_dataset_view(_dataset, _fmt, _schema, _summary))


@blp.route("/completion")
class Completion(MethodView):
    @require_roles(*READERS)
    @blp.arguments(CompletionQuerySchema, location="query")
    @blp.response(200, CompletionSchema)
    @blp.doc(**_json_or_csv("Completion"))
    def get(self, args: dict[str, Any]) -> Any:
        """Completion by site, timepoint and instrument: every occasion state, rate over closed windows.

        `format=csv` gives the same figures as text/csv (the dashboard grid shows them too).
        `as_of` gives the figures as they stood at a data cut (the X-Data-As-Of header and the
        JSON `as_of` name the instant either way).
        """
        fmt = args.pop("format")
        as_of, items = exports.completion(caller(), args, now=clock.now(),
                                          protocol=current_app.extensions["pro.protocol"])
        if fmt == "csv":
            return Response(stream_with_context(csv_lines(COMPLETION_COLUMNS, items)),
                            mimetype="text/csv", headers={
                                "Content-Disposition": 'attachment; filename="completion.csv"',
                                "Cache-Control": "no-store", "X-Data-As-Of": as_of.isoformat()})
        return {"as_of": as_of, "items": items}
