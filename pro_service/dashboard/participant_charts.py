"""The participant page's score plots: EQ-5D-5L index, EQ VAS, CLDQ overall and six domains."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from pro_service.plots.trends import Chart, line_chart, series_of
from pro_service.responses.record import Record, observations

CLDQ_DOMAINS = ("AS", "FA", "SY", "AC", "EM", "WO")


@dataclass(frozen=True)
class Figure:
    key: str
    caption: str
    svg: Markup
    table: list[tuple[str, list[str]]]  # (week, values) for the data table under the plot
    headers: list[str]


def _domain_label(code: str) -> str:
    return {"AS": _("Abdominal symptoms"), "FA": _("Fatigue"), "SY": _("Systemic symptoms"),
            "AC": _("Activity"), "EM": _("Emotional function"), "WO": _("Worry")}[code]


def _figure(key: str, chart: Chart) -> Figure:
    weeks = sorted({p.week for s in chart.series for p in s.points})
    rows = []
    for week in weeks:
        values = []
        for s in chart.series:
            point = next((p for p in s.points if p.week == week), None)
            if point is None or point.value is None:
                values.append(_state_word(point.state if point else ""))
            else:
                values.append(f"{point.value:.3g}" if abs(point.value) < 10 else f"{point.value:.0f}")
        rows.append((f"{week:g}", values))
    return Figure(key, chart.title, Markup(line_chart(chart)),  # noqa: S704 - built by plots, escaped there
                  rows, [s.label for s in chart.series])


def _state_word(state: str) -> str:
    return {"missed": _("missed"), "partial": _("partial"), "open": _("open"),
            "reminded": _("open"), "in_progress": _("in progress")}.get(state, "—")


def participant_charts(record: Record) -> list[Figure]:
    """Three figures; occasions without a score (missed, partial, open) are gaps, marked M or P."""
    gaps = {"missed": _("missed"), "partial": _("partial")}
    eq5d, cldq = observations(record, "EQ5D5L"), observations(record, "CLDQ")
    week = _("week")
    return [
        _figure("eq5d-index", Chart(_("EQ-5D-5L index"), -0.4, 1.0, (series_of(_("Index"), "EQ5D_INDEX", eq5d),),
                                    y_ticks=(-0.4, 0, 0.5, 1.0), x_label=week, gap_legend=gaps,
                                    chart_id="eq5d-index")),
        _figure("eq-vas", Chart(_("EQ VAS"), 0, 100, (series_of("VAS", "EQ5D_VAS", eq5d),),
                                y_ticks=(0, 25, 50, 75, 100), x_label=week, gap_legend=gaps,
                                chart_id="eq-vas")),
        _figure("cldq", Chart(_("CLDQ overall and domains (1–7, higher is better)"), 1, 7,
                              (series_of(_("Overall"), "CLDQ_OVERALL", cldq),
                               *(series_of(_domain_label(d), f"CLDQ_{d}", cldq) for d in CLDQ_DOMAINS)),
                              y_ticks=(1, 2, 3, 4, 5, 6, 7), x_label=week, gap_legend=gaps,
                              chart_id="cldq")),
    ]
