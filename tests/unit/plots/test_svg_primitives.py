"""SVG primitives: scales, ticks, gaps and escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from pro_service.plots import svg


def test_scale_maps_ends_and_middle_and_may_run_downwards():
    y = svg.Scale(0, 1, 200, 20)
    assert (y(0), y(1), y(0.5)) == (200, 20, 110)
    assert svg.Scale(3, 3, 0, 100)(3) == 50


@given(st.floats(-1000, 1000), st.floats(0.001, 1000))
def test_ticks_are_round_increasing_and_cover_the_range(lo, span):
    ticks = svg.nice_ticks(lo, lo + span)
    assert ticks == sorted(ticks) and len(ticks) >= 2
    assert ticks[0] <= lo + 1e-9 and ticks[-1] >= lo + span - 1e-9
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1


def test_ticks_for_an_eq5d_index_range():
    assert svg.nice_ticks(-0.4, 1.0) == [-0.5, 0.0, 0.5, 1.0]


def test_missing_values_split_a_series_into_separate_runs():
    runs = svg.polylines([(0, 1.0), (1, None), (2, 0.5), (3, 0.6), (4, None)])
    assert runs == [[(0, 1.0)], [(2, 0.5), (3, 0.6)]]
    assert svg.path_d(runs[1]) == "M2,0.5 L3,0.6"


def test_document_escapes_text_and_parses_as_xml():
    doc = svg.document(100, 50, [svg.text(1, 2, "<b>&\"x\""), svg.rect(0, 0, 5, -3, fill="#000", label="a<b")],
                       title="EQ VAS <x>", desc="d")
    root = ET.fromstring(doc)
    assert root.get("role") == "img" and root.get("viewBox") == "0 0 100 50"
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == "EQ VAS <x>"
    assert root.find("s:text", ns).text == '<b>&"x"'
    assert root.find("s:rect", ns).get("height") == "0"


def test_numbers_are_compact():
    assert (svg.num(1.0), svg.num(1.256), svg.num(-0.001)) == ("1", "1.26", "0")


def test_two_charts_on_one_page_never_share_an_id_and_one_chart_renders_the_same_twice():
    a = svg.document(10, 10, [svg.text(1, 1, "a")], title="EQ VAS")
    b = svg.document(10, 10, [svg.text(1, 1, "b")], title="EQ VAS")
    ids = lambda doc: {e.get("id") for e in ET.fromstring(doc).iter() if e.get("id")}  # noqa: E731
    assert ids(a) and not ids(a) & ids(b)
    assert a == svg.document(10, 10, [svg.text(1, 1, "a")], title="EQ VAS")
    root = ET.fromstring(a)
    assert set(root.get("aria-labelledby").split()) == ids(a)
