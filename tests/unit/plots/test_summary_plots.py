"""Overview charts: well-formed SVG, boxes and whiskers where the numbers are, shares that add up."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pro_service.plots.summary import Interval, interval_chart, line_chart, stacked_bars

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_interval_chart_draws_box_median_and_ci_only_where_computable():
    groups = [Interval("BL", 10, 0.8, 0.7, 0.9, 0.82, 0.75, 0.88),
              Interval("W4", 1, 0.6, None, None, 0.6, 0.6, 0.6),
              Interval("W12", 0, None, None, None, None, None, None)]
    svg = interval_chart("EQ-5D-5L index <pooled>", groups, y_min=-0.2, y_max=1)
    root = _parse(svg)
    assert root.find(f"{NS}title").text == "EQ-5D-5L index <pooled>"
    circles = root.findall(f"{NS}circle")
    assert len(circles) == 2  # a mean dot for BL and W4, none for the empty W12
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert {"n=10", "n=1", "n=0"} <= set(labels)
    boxes = [r for r in root.findall(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert len(boxes) == 2 and "IQR 0.75–0.88" in boxes[0].find(f"{NS}title").text


def test_mean_dot_sits_between_its_ci_whisker_ends():
    svg = interval_chart("x", [Interval("BL", 5, 50, 40, 60, 50, 45, 55)], y_min=0, y_max=100)
    root = _parse(svg)
    cy = float(root.find(f"{NS}circle").get("cy"))
    whisker = [ln for ln in root.findall(f"{NS}line") if ln.get("x1") == ln.get("x2")]
    ys = sorted(float(v) for v in (whisker[0].get("y1"), whisker[0].get("y2")))
    assert ys[0] < cy < ys[1]


def test_stacked_bar_segments_fill_the_bar_in_proportion():
    svg = stacked_bars("MO by timepoint", [("BL", [6, 3, 1, 0, 0]), ("W4", [0, 0, 0, 0, 0])],
                       ["1", "2", "3", "4", "5"])
    root = _parse(svg)
    segs = [r for r in root.findall(f"{NS}rect")
            if (r.find(f"{NS}title") is not None and "·" in r.find(f"{NS}title").text)]
    assert len(segs) == 3  # zero counts and the empty W4 draw nothing
    heights = [float(r.get("height")) for r in segs]
    assert abs(heights[0] / sum(heights) - 0.6) < 0.01
    assert "BL · 1: 6 (60%)" in segs[0].find(f"{NS}title").text
    assert {"n=10", "n=0"} <= {t.text for t in root.iter(f"{NS}text")}


def test_line_chart_keeps_gaps_and_names_each_series():
    svg = line_chart("Enrolment", ["2027-01", "2027-02", "2027-03"],
                     {"302": [1, None, 3], "303": [2, 2, 2]})
    root = _parse(svg)
    paths = root.findall(f"{NS}path")
    assert len(paths) == 3  # 302 split at its gap into two runs, 303 one run
    assert {"302", "303"} <= {t.text for t in root.iter(f"{NS}text")}
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", svg)
