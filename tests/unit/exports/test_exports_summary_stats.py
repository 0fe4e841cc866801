"""Pooled summaries: mean with t-based 95 % CI, type-7 quartiles, counts and running totals."""

from __future__ import annotations

import math
import statistics

from hypothesis import given
from hypothesis import strategies as st

from pro_service.exports.domain.summary import by_timepoint, cumulative, quantile, summarise, t975


def test_known_sample_gives_textbook_figures():
    s = summarise("BL", [2, 4, 4, 4, 5, 5, 7, 9])
    assert s.n == 8 and s.mean == 5
    sd = statistics.stdev([2, 4, 4, 4, 5, 5, 7, 9])
    assert math.isclose(s.ci_high - s.mean, 2.365 * sd / math.sqrt(8))
    assert (s.median, s.q1, s.q3) == (4.5, 4.0, 5.5)  # R: quantile(x, c(.5, .25, .75))


def test_one_value_has_no_interval_and_no_values_has_no_summary():
    one = summarise("W4", [0.8])
    assert (one.n, one.mean, one.ci_low, one.median, one.q1) == (1, 0.8, None, 0.8, 0.8)
    none = summarise("W12", [])
    assert (none.n, none.mean, none.median) == (0, None, None)


def test_t_quantiles_join_the_table_and_approach_the_normal():
    assert t975(1) == 12.706 and t975(30) == 2.042
    assert abs(t975(31) - 2.040) < 0.001 and abs(t975(120) - 1.980) < 0.001
    assert abs(t975(100000) - 1.960) < 0.001


@given(st.lists(st.floats(-1000, 1000), min_size=2, max_size=60))
def test_interval_contains_the_mean_and_quartiles_are_ordered(values):
    s = summarise("x", values)
    assert s.ci_low <= s.mean + 1e-9 and s.mean - 1e-9 <= s.ci_high
    assert min(values) <= s.q1 <= s.median <= s.q3 <= max(values)
    # the same tolerance as above: halving a subnormal (median of [0.0, -5e-324]) may round either way
    assert math.isclose(s.median, statistics.median(values), rel_tol=1e-9, abs_tol=1e-9)


def test_quantile_matches_numpy_default_linear_method():
    data = [1.0, 3.0, 4.0, 10.0]
    assert quantile(data, 0.25) == 2.5 and quantile(data, 0.75) == 5.5


def test_by_timepoint_keeps_protocol_order_and_empty_timepoints():
    rows = [{"timepoint": "W4", "scale": "EQ5D_VAS", "value": 60.0},
            {"timepoint": "BL", "scale": "EQ5D_VAS", "value": 70.0},
            {"timepoint": "BL", "scale": "EQ5D_INDEX", "value": 0.9},
            {"timepoint": "BL", "scale": "EQ5D_VAS", "value": None}]
    out = by_timepoint(rows, "EQ5D_VAS", ["BL", "W4", "W12"])
    assert [(s.group, s.n, s.mean) for s in out] == [("BL", 1, 70.0), ("W4", 1, 60.0),
                                                     ("W12", 0, None)]


def test_cumulative_counts_run_over_every_period():
    events = [("302", "2027-01"), ("302", "2027-03"), ("303", "2027-01"), ("302", "2027-01")]
    assert cumulative(events, ["2027-01", "2027-02", "2027-03"]) == {
        "302": [2, 2, 3], "303": [1, 1, 1]}
