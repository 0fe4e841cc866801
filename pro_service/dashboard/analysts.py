"""Analysis pages: the blinded study overview with plots, tables and the data behind each plot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from urllib.parse import urlencode

from flask import (Response, abort, current_app, flash, g, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_babel import gettext as _

from pro_service.core import clock
from pro_service.core.errors import Conflict, Gone
from pro_service.dashboard.base import bp, staff_page
from pro_service.exports import downloads, jobs
from pro_service.exports import files as cuts
from pro_service.exports import overview as service
from pro_service.exports.domain.encode import Counter, csv_stream
from pro_service.plots.summary import Interval, interval_chart, line_chart, stacked_bars
from pro_service.staff.models import Role

ANALYSTS = (Role.ANALYST, Role.ADMIN, Role.SAFETY_OFFICER)
RANGES = {"EQ5D_INDEX": (-0.4, 1.0), "EQ5D_VAS": (0, 100)}  # CLDQ scales: 1-7


def scale_name(scale: str) -> str:
    names = {"EQ5D_INDEX": _("EQ-5D-5L index"), "EQ5D_VAS": _("EQ VAS"),
             "CLDQ_OVERALL": _("CLDQ overall"), "CLDQ_AS": _("CLDQ abdominal symptoms"),
             "CLDQ_FA": _("CLDQ fatigue"), "CLDQ_SY": _("CLDQ systemic symptoms"),
             "CLDQ_AC": _("CLDQ activity"), "CLDQ_EM": _("CLDQ emotional function"),
             "CLDQ_WO": _("CLDQ worry")}
    return names.get(scale, scale)


def state_name(state: str) -> str:
    names = {"COMPLETE": _("complete"), "PARTIAL": _("partial"), "MISSED": _("missed"),
             "MISSED_BEFORE_ENROLMENT": _("missed before enrolment"),
             "WITHDRAWN": _("withdrawn"), "CANCELLED": _("cancelled"), "NOT_DUE": _("not due")}
    return names.get(state, state)


def _score_plots(ov: service.Overview) -> list[dict[str, Any]]:
    plots = []
    for scale in service.SCALES:
        rows = [r for r in ov.tables["scores"] if r["scale"] == scale]
        lo, hi = RANGES.get(scale, (1, 7))
        groups = [Interval(r["timepoint"], r["n"], r["mean"], r["ci_low"], r["ci_high"],
                           r["median"], r["q1"], r["q3"]) for r in rows]
        title = _("%(scale)s by timepoint (pooled)", scale=scale_name(scale))
        plots.append({"scale": scale, "title": title, "rows": rows, "svg": interval_chart(
            title, groups, y_min=lo, y_max=hi,
            desc=_("Box: median and interquartile range; dot and whisker: mean and %(ci)s",
                      ci="95% CI"))})
    return plots


def _level_plots(ov: service.Overview) -> list[dict[str, Any]]:
    plots = []
    for dim in service.DIMENSIONS:
        groups = [(tp, [next(r["count"] for r in ov.tables["eq5d_levels"]
                              if r["timepoint"] == tp and r["dimension"] == dim
                              and r["level"] == lv) for lv in range(1, 6)])
                  for tp in ov.timepoints]
        title = _("EQ-5D-5L %(dimension)s: levels by timepoint", dimension=dim)
        plots.append({"title": title, "svg": stacked_bars(
            title, groups, [_("level %(n)s", n=n) for n in range(1, 6)],
            colours=("#009E73", "#56B4E9", "#F0E442", "#E69F00", "#D55E00"))})
    return plots


def _missing_plot(ov: service.Overview) -> str:
    groups = [(tp, [next(r["count"] for r in ov.tables["missing"]
                         if r["timepoint"] == tp and r["state"] == st) for st in service.STATES])
              for tp in [*ov.timepoints, "SC"]]
    return stacked_bars(_("Questionnaire outcomes by timepoint"), groups,
                        [state_name(s) for s in service.STATES],
                        colours=("#009E73", "#E69F00", "#D55E00", "#CC79A7", "#000000", "#999999",
                                 "#56B4E9"))


def _as_of() -> datetime:
    """The page's data cut: `?as_of=` (UTC unless it says otherwise), else now; never ahead."""
    now, raw = clock.now(), request.args.get("as_of", "").strip()
    if not raw:
        return now
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        abort(400)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    if at > now:
        abort(400)
    return at


def _site_lines(ov: service.Overview, table: str, value: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for row in ov.tables[table]:
        out.setdefault(_("site %(code)s", code=row["site"]), []).append(row[value])
    return out


@bp.get("/analysts")
@staff_page(*ANALYSTS)
def analysts() -> str:
    """The blinded study overview at this moment."""
    ov = service.build_overview(g.staff, protocol=current_app.extensions["pro.protocol"],
                                as_of=_as_of())
    return render_template(
        "dashboard/analysts/overview.html", ov=ov, scale_name=scale_name, state_name=state_name,
        enrolment_svg=line_chart(_("Participants enrolled by site"), ov.months,
                                 _site_lines(ov, "enrolment", "enrolled_total")),
        completion_svg=line_chart(_("Completion rate by site and month"), ov.months,
                                  _site_lines(ov, "completion", "rate")),
        score_plots=_score_plots(ov), level_plots=_level_plots(ov), missing_svg=_missing_plot(ov),
        cuts=[(c, cuts.cut_files(c)) for c in cuts.list_cuts()[:20]], my_files=_my_files(),
        retention_days=current_app.config["EXPORT_RETENTION_DAYS"], file_status=file_status)


def file_status(status: str) -> str:
    names = {"pending": _("being built"), "running": _("being built"), "ready": _("ready"),
             "failed": _("failed"), "expired": _("expired")}
    return names.get(status, status)


def _my_files() -> list[dict[str, Any]]:
    """The caller's export files, each with its expiry date and whether it is gone."""
    retention, now = _retention(), clock.now()
    return [{"entry": f, "expires_at": downloads.file_expires_at(f, retention),
             "gone": downloads.is_gone(f, retention, now)} for f in downloads.list_files(g.staff)]


@bp.get("/analysts/files/<file_id>")
@staff_page(*ANALYSTS)
def analysts_file(file_id: str) -> Any:
    """On to the API's download of one of my export files, or back saying why it cannot be had."""
    entry = downloads.get_file(g.staff, file_id)
    folder = jobs.export_folder(current_app)  # type: ignore[arg-type]
    try:
        downloads.check_downloadable(entry, folder=folder, retention=_retention(), now=clock.now())
    except (Gone, Conflict) as refused:
        flash(_file_refusal(f"{entry.dataset}.{entry.format}", refused), "error")
        return redirect(url_for("dashboard.analysts"))
    return redirect(url_for("exports.file_download", file_id=file_id))


def _retention() -> timedelta:
    return jobs.export_retention(current_app)  # type: ignore[arg-type]


def _file_refusal(name: str, refused: Exception) -> str:
    if isinstance(refused, Conflict):
        return _("%(file)s is not ready yet.", file=name)
    return _("%(file)s is no longer available: export files are deleted %(days)s days after they "
             "are built. Ask for it again with POST /api/exports/files.", file=name,
             days=current_app.config["EXPORT_RETENTION_DAYS"])


@bp.get("/analysts/data/<plot>.csv")
@staff_page(*ANALYSTS)
def analysts_data(plot: str) -> Response:
    """The rows behind one overview plot, as CSV; audited as a data access."""
    if plot not in service.PLOTS:
        abort(404)
    as_of = _as_of()
    ov = service.build_overview(g.staff, protocol=current_app.extensions["pro.protocol"],
                                as_of=as_of)
    rows = list(service.plot_rows(ov, plot))
    service.audit_plot_download(g.staff, plot, len(rows), as_of=as_of, now=clock.now())
    body = csv_stream(list(rows[0]) if rows else [], rows, counter=Counter())
    return Response(stream_with_context(body), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="overview-{plot}.csv"',
        "Cache-Control": "no-store"})


# Dataset downloads offered on the page: name -> (API path, formats).
DOWNLOADS = {"scores": ("/api/exports/scores", ("csv",)),
             "items": ("/api/exports/items", ("csv", "json")),
             "wide": ("/api/exports/wide", ("csv", "json")),
             "safety": ("/api/exports/safety", ("csv", "json")),
             "qs": ("/api/exports/sdtm/qs.csv", ("csv",))}
_FILTERS = ("site", "timepoint", "instrument", "since", "until", "as_of")


@bp.get("/analysts/download")
@staff_page(*ANALYSTS)
def analysts_download() -> Any:
    """Send the filter form on to the dataset's API download (which checks and audits it)."""
    dataset, fmt = request.args.get("dataset", ""), request.args.get("format", "csv")
    if dataset not in DOWNLOADS or fmt not in DOWNLOADS[dataset][1]:
        abort(400)
    query = {k: request.args[k].strip() for k in _FILTERS if request.args.get(k, "").strip()}
    # Date fields give a day; the API takes instants (the form labels them UTC).
    query = {k: f"{v}T00:00:00Z" if len(v) == 10 else v for k, v in query.items()}
    if dataset != "qs":
        query["format"] = fmt
    return redirect(f"{DOWNLOADS[dataset][0]}?{urlencode(query)}")
