"""The funnel plot's shapes: limits, points against their classes, what is left out."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jeugdhulp.analysis import funnel_plot
from jeugdhulp.analysis.funnel import funnel_class, funnel_limits
from jeugdhulp.analysis.output import DECIMALS
from jeugdhulp.analysis.pipeline import AnalysisInputs, AnalysisParams, run_analysis
from jeugdhulp.analysis.report import render_report
from jeugdhulp.analysis.tests import fixtures


def frame_of(counts, expected, phi: float = 1.0, names=None) -> pd.DataFrame:
    """A published table of one form: classes from the counts as the pipeline computes them;
    a NaN count is a hidden one."""
    counts = np.asarray(counts, float)
    expected = np.asarray(expected, float)
    codes = [f"G{i:03d}" for i in range(len(counts))]
    return pd.DataFrame(
        {
            "gebied_code": codes,
            "gebied_naam": names or [f"Gebied {c}" for c in codes],
            "aantal_clienten": counts,
            "verwacht": np.where(np.isnan(counts), np.nan, expected),
            "funnel_klasse": funnel_class(counts, expected),
            "funnel_klasse_od": funnel_class(counts, expected, phi=phi),
        }
    )


def test_the_limits_pass_through_hand_computed_points():
    # One child where E is expected: P(X ≥ 1) = 1 − e^−E, which is 0.025 at E = −ln 0.975 =
    # 0.0253178 (95%) and 0.001 at E = −ln 0.999 = 0.0010005 (99.8%): the upper limits of
    # O/E there are 1/E = 39.498 and 999.50.
    e95, e998 = -math.log(0.975), -math.log(0.999)
    assert funnel_limits(np.array([e95]))["boven_95"].iloc[0] == pytest.approx(39.498, abs=1e-3)
    assert funnel_limits(np.array([e998]))["boven_998"].iloc[0] == pytest.approx(999.50, abs=1e-2)
    # No child where E is expected: P(X ≤ 0) = e^−E, below 0.025 from E = ln 40 = 3.6889 and
    # below 0.001 from E = ln 1000 = 6.9078: the lower limits leave 0 exactly there.
    at = funnel_limits(np.array([math.log(40), math.log(1000)]))
    assert at["onder_95"].iloc[0] == pytest.approx(0.0, abs=1e-9)
    assert at["onder_998"].iloc[1] == pytest.approx(0.0, abs=1e-9)
    after = funnel_limits(np.array([math.log(40) * 1.01, math.log(1000) * 1.01]))
    assert after["onder_95"].iloc[0] > 0 and after["onder_998"].iloc[1] > 0


def test_the_expected_count_is_drawn_at_the_precision_indicatoren_csv_publishes():
    assert DECIMALS["verwacht"] == funnel_plot.EXPECTED_DECIMALS
    rows = funnel_plot.plot_frame(frame_of([6], [2.3456]))
    assert rows["verwacht"].tolist() == [2.35]


def _curve_y(plot: funnel_plot.FunnelPlot, key: str, side: int, x: float) -> float | None:
    """The y of a drawn curve at x (``side`` 0 the lower curve, 1 the upper), by linear
    interpolation between the path's points; None where it is not drawn."""
    curves = [c for c in plot.curves if c.key == key]
    for piece in curves[side].pieces:
        xy = np.array([[float(v) for v in p.split(",")] for p in piece.split()])
        if xy[0, 0] <= x <= xy[-1, 0]:
            return float(np.interp(x, xy[:, 0], xy[:, 1]))
    return None


def _drawn_side(plot, point, level: str) -> str:
    """Where the point lies against the drawn curves of ``level`` ("95" or "998"): above the
    upper curve (smaller y), below the lower one, or between (None where it is not decided to
    within a pixel, or the curve runs out of the plot)."""
    upper = _curve_y(plot, level, 1, point.cx)
    lower = _curve_y(plot, level, 0, point.cx)
    if upper is not None and point.cy < upper - 1:
        return "boven"
    if lower is not None and point.cy > lower + 1:
        return "onder"
    if (upper is None or point.cy > upper + 1) and (lower is None or point.cy < lower - 1):
        return "binnen"
    return "onbeslist"


@settings(max_examples=40, deadline=None)
@given(
    expected=st.lists(st.floats(0.3, 400), min_size=5, max_size=40),
    scale=st.floats(0.3, 3.0),
    seed=st.integers(0, 1000),
)
def test_a_point_lies_outside_the_drawn_curves_exactly_when_its_class_says_so(
    expected, scale, seed
):
    rng = np.random.default_rng(seed)
    e = np.round(np.array(expected), 2)
    counts = rng.poisson(e * scale).astype(float)
    plot = funnel_plot.funnel_plot(frame_of(counts, e), 1.0, colour_by="funnel_klasse")
    for point in plot.points:
        if point.cy == plot.zero_y:
            continue  # O = 0: its own row, classed by the lower limit alone
        for level in ("95", "998"):
            side = _drawn_side(plot, point, level)
            if side == "onbeslist":
                continue
            klasse = point.klasse
            outside = klasse in (f"boven_{level}", f"onder_{level}") or (
                level == "95" and klasse.endswith("998")
            )
            if side == "binnen":
                assert not outside, (point, level)
            else:
                assert outside and klasse.startswith(side), (point, level)


@pytest.fixture(scope="module")
def result():
    """An 8 × 8 grid region with higher use in its first two rows, analysed."""
    areas = fixtures.grid_areas(8)
    rates = [3.0 if code.startswith(("A0", "A1")) else 1.0 for code in areas["code"]]
    return run_analysis(
        AnalysisInputs(
            areas,
            fixtures.population_of(areas["code"]),
            fixtures.random_snapshot(areas["code"], 1500, seed=5, rates=rates),
            AnalysisParams(peildatum=fixtures.PEILDATUM, permutations=19),
            centroids=fixtures.centroids_of(areas),
        )
    )


def test_points_agree_with_their_published_class_in_a_whole_analysis(result):
    # Every shown area × form is outside the limits computed at its published (rounded) E
    # exactly when its class says so, except where E's rounding straddles a limit (the class
    # comes from the unrounded E).
    checked = 0
    for form in result.hulpvormen:
        published = result.published[result.published["hulpvorm"] == form]
        phi = result.funnel[form]["phi"]
        rows = funnel_plot.plot_frame(published)
        for column, widen in (("funnel_klasse", 1.0), ("funnel_klasse_od", max(phi, 1.0))):
            e = rows["verwacht"].to_numpy(float)
            drawn = funnel_class(rows["aantal_clienten"].to_numpy(float), e, phi=widen)
            low = funnel_class(rows["aantal_clienten"].to_numpy(float), e - 0.005, phi=widen)
            high = funnel_class(rows["aantal_clienten"].to_numpy(float), e + 0.005, phi=widen)
            published_class = rows[column].to_numpy(object)
            straddles = (low != drawn) | (high != drawn)
            assert (drawn == published_class)[~straddles].all()
            checked += len(rows)
        assert len(funnel_plot.funnel_plot(published, phi).points) == len(rows)
    assert checked > 300


def test_hidden_areas_are_left_out_and_counted():
    counts = [12, np.nan, 0, 7, np.nan]
    frame = frame_of(counts, [6.0, 2.0, 4.0, 7.1, 1.0])
    frame.loc[3, "verwacht"] = np.nan  # e.g. a form whose region total is hidden
    plot = funnel_plot.funnel_plot(frame, None)
    assert [p.code for p in plot.points] == ["G000", "G002"]
    assert (plot.hidden, plot.no_expected) == (2, 1)
    # A count of 0 sits on its own row below the axis; the widened curves only with φ > 1.
    zero = next(p for p in plot.points if p.aantal == 0)
    assert zero.cy == plot.zero_y > plot.base_y
    assert {c.key for c in plot.curves} == {"95", "998"}
    wide = funnel_plot.funnel_plot(frame_of([12, 3], [6.0, 5.0], phi=2.0), 2.0)
    assert {c.key for c in wide.curves} == {"95", "998", "95_od", "998_od"}


def test_the_table_lists_the_areas_outside_the_limits_strongest_first():
    frame = frame_of([30, 20, 0, 3, 10, 17], [10.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    rows = funnel_plot.outside_rows(frame, by="funnel_klasse")
    # 30 of 10: boven_998; 0 of 10: onder_998; 20 of 10: boven_95 (P = 0.0035); 17 of 10:
    # boven_95 (P(X ≥ 17) = 0.0270 > 0.025: binnen); 3 of 10: onder_95 (P(X ≤ 3) = 0.0103).
    assert rows["gebied_code"].tolist() == ["G000", "G002", "G001", "G003"]
    assert rows["funnel_klasse"].tolist() == ["boven_998", "onder_998", "boven_95", "onder_95"]


def test_the_report_svg_names_each_point_and_escapes_names():
    frame = frame_of([9, 14], [5.0, 12.5], names=["<b>Oost</b> & co", "West"])
    markup = funnel_plot.svg(funnel_plot.funnel_plot(frame, None), "funnelplot BH")
    assert "<b>" not in markup and "&lt;b&gt;Oost&lt;/b&gt; &amp; co (G000): 9 kinderen" in markup
    assert "verwacht 12,5, verhouding 1,12" in markup
    assert len(re.findall(r"<circle[^>]*><title>", markup)) == 2
    assert "grenzen van 99,8% (Poisson)" in markup and "verhouding 1 (zoals verwacht)" in markup


def test_the_file_report_has_a_funnel_plot_per_form_and_says_how_to_read_it(result):
    page = render_report(result)
    section = page.split("<h2>Funnelplots per hulpvorm</h2>")[1].split("<h2>")[0]
    assert "Buiten de stippellijnen ligt een gebied" in section and "Spiegelhalter" in section
    figures = section.split("<figure>")[1:]
    assert len(figures) == len(result.hulpvormen)
    for form, figure in zip(result.hulpvormen, figures, strict=True):
        rows = result.published[result.published["hulpvorm"] == form]
        shown = rows["aantal_clienten"].notna().sum()
        assert figure.count("<circle") - len(funnel_plot.CLASS_COLOURS) == shown
        assert f"{form}: {shown} gebieden" in figure
        for code in rows.loc[rows["aantal_clienten"].isna(), "gebied_code"]:
            assert f"({code})" not in figure
