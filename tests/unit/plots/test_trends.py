"""The participant score line charts: gaps, scaling, accessibility, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pro_service.plots.trends import (
    BOTTOM,
    HEIGHT,
    TOP,
    WIDTH,
    Chart,
    Observation,
    Point,
    Series,
    line_chart,
    segments,
    series_of,
)
from tests.purity import import_blocked

NS = {"svg": "http://www.w3.org/2000/svg"}


def _chart(*series: Series, **kw) -> Chart:
    return Chart(title=kw.pop("title", "EQ VAS"), y_min=0, y_max=100, series=series, **kw)


def test_a_missing_value_breaks_the_line_into_two_runs():
    points = (Point(0, 60), Point(4, 70), Point(12, None, "missed"), Point(24, 80), Point(36, 75))
    runs = segments(points)
    assert [[p.week for p in run] for run in runs] == [[0, 4], [24, 36]]


def test_the_svg_draws_one_polyline_per_run_and_marks_missed_and_partial_occasions():
    series = Series("VAS", (Point(0, 60), Point(4, 70), Point(12, None, "missed"),
                            Point(24, None, "partial"), Point(36, 75), Point(48, 90)))
    svg = ET.fromstring(line_chart(_chart(series, gap_legend={"missed": "missed",
                                                              "partial": "partial"})))
    lines = svg.findall(".//svg:g[@class='series']/svg:polyline", NS)
    assert len(lines) == 2
    gaps = {t.get("class"): t.text for t in svg.findall(".//svg:text", NS)
            if (t.get("class") or "").startswith("gap")}
    assert gaps == {"gap gap-missed": "M", "gap gap-partial": "P"}


def test_a_lone_point_between_gaps_is_drawn_as_a_marker_without_a_line():
    series = Series("VAS", (Point(0, None, "missed"), Point(4, 50), Point(12, None, "missed")))
    svg = ET.fromstring(line_chart(_chart(series)))
    group = svg.find(".//svg:g[@class='series']", NS)
    assert group.findall("svg:polyline", NS) == []
    assert len(group.findall("svg:circle", NS)) == 1


def test_values_map_into_the_plot_area_highest_at_the_top():
    series = Series("VAS", (Point(0, 0), Point(48, 100)))
    svg = ET.fromstring(line_chart(_chart(series)))
    coords = svg.find(".//svg:polyline", NS).get("points").split()
    (x0, y0), (x1, y1) = (tuple(map(float, c.split(","))) for c in coords)
    assert y0 == HEIGHT - BOTTOM and y1 == TOP
    assert x0 < x1


def test_the_chart_scales_to_its_container_and_has_an_accessible_name():
    svg = ET.fromstring(line_chart(_chart(Series("VAS", (Point(0, 50),)), chart_id="vas")))
    assert svg.get("width") == "100%" and svg.get("viewBox").startswith(f"0 0 {WIDTH} ")
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "vas-title vas-desc"
    assert svg.find("svg:title", NS).text == "EQ VAS"


def test_series_differ_by_dash_pattern_not_only_colour():
    a = Series("A", (Point(0, 1), Point(4, 2)))
    b = Series("B", (Point(0, 3), Point(4, 4)))
    svg = ET.fromstring(line_chart(_chart(a, b)))
    dashes = [pl.get("stroke-dasharray") for pl in svg.findall(".//svg:g/svg:polyline", NS)]
    assert len(set(dashes)) == 2


def test_labels_are_escaped():
    svg_text = line_chart(_chart(Series("<script>", (Point(0, 1),)), title="a & b"))
    assert "<script>" not in svg_text
    ET.fromstring(svg_text)  # still well-formed


def test_a_long_legend_wraps_and_the_chart_grows_taller():
    many = tuple(Series(f"CLDQ domain {i}", (Point(0, 4),)) for i in range(7))
    short = ET.fromstring(line_chart(_chart(many[0])))
    tall = ET.fromstring(line_chart(_chart(*many)))
    height = lambda svg: float(svg.get("viewBox").split()[3])  # noqa: E731
    assert height(tall) > height(short)


def test_series_of_takes_scores_and_leaves_gaps_for_unscored_occasions():
    obs = [Observation(0, "completed", {"EQ5D_VAS": 70.0}),
           Observation(4, "missed", {}),
           Observation(12, "open", {}),
           Observation(24, "scheduled", {})]
    series = series_of("VAS", "EQ5D_VAS", obs)
    assert [(p.week, p.value, p.state) for p in series.points] == [
        (0, 70.0, "completed"), (4, None, "missed"), (12, None, "open")]


def test_no_data_still_renders_axes():
    svg = line_chart(_chart(Series("VAS", ())))
    assert re.search(r"<line ", svg) and "<polyline" not in svg


def test_the_plots_package_imports_no_framework():
    result = import_blocked("pro_service.plots")
    assert result.returncode == 0, result.stderr
