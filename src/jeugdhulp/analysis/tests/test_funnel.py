"""Funnel classes and limits against the exact Poisson tails."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from jeugdhulp.analysis.funnel import (
    funnel_class,
    funnel_limits,
    overdispersion,
    poisson_tails,
    widened_tail,
)


def test_twenty_children_where_ten_are_expected_lie_above_the_95_limit():
    # P(X ≥ 20 | E = 10) = 1 − Σ_{x<20} e^−10·10^x/x! = 0.0034543: below 0.025, not below
    # 0.001 → boven_95. P(X ≤ 3 | 10) = e^−10·(1 + 10 + 50 + 166.67) = 0.0103360 → onder_95;
    # P(X ≤ 0 | 10) = e^−10 = 0.0000454 → onder_998; P(X ≥ 25 | 10) = 0.0000714 → boven_998.
    upper, lower = poisson_tails(np.array([20.0, 3.0]), np.array([10.0, 10.0]))
    assert upper[0] == pytest.approx(0.0034543, abs=1e-7)
    assert lower[1] == pytest.approx(0.0103360, abs=1e-7)
    classes = funnel_class(np.array([20.0, 3.0, 0.0, 25.0, 10.0]), np.full(5, 10.0))
    assert classes.tolist() == ["boven_95", "onder_95", "onder_998", "boven_998", "binnen"]


def test_an_unknown_count_or_expected_count_gets_no_class():
    classes = funnel_class(np.array([np.nan, 3.0, 3.0]), np.array([2.0, np.nan, 0.0]))
    assert classes.tolist() == [None, None, None]


@settings(max_examples=200, deadline=None)
@given(observed=st.integers(0, 400), expected=st.floats(0.05, 300))
def test_classes_agree_with_scipy_poisson_tails(observed, expected):
    upper = stats.poisson.sf(observed - 1, expected)
    lower = stats.poisson.cdf(observed, expected)
    if upper < 0.001:
        wanted = "boven_998"
    elif upper < 0.025:
        wanted = "boven_95"
    elif lower < 0.001:
        wanted = "onder_998"
    elif lower < 0.025:
        wanted = "onder_95"
    else:
        wanted = "binnen"
    # Tails within rounding of a limit may fall either way.
    near = min(abs(upper - t) / t for t in (0.001, 0.025)) < 1e-9
    near |= min(abs(lower - t) / t for t in (0.001, 0.025)) < 1e-9
    got = funnel_class(np.array([float(observed)]), np.array([expected]))[0]
    assert got == wanted or near


@settings(max_examples=100, deadline=None)
@given(expected=st.floats(0.05, 500), phi=st.sampled_from([1.0, 1.7, 4.0]))
def test_a_count_lies_outside_the_plotted_limits_exactly_when_its_class_says_so(expected, phi):
    limits = funnel_limits(np.array([expected]), phi=phi).iloc[0]
    counts = np.arange(0, int(expected * 4 + 30), dtype=float)
    classes = funnel_class(counts, np.full(len(counts), expected), phi=phi)
    ratio = counts / expected
    above_998 = ratio > limits["boven_998"]
    above_95 = ratio > limits["boven_95"]
    below_998 = ratio < limits["onder_998"]
    below_95 = ratio < limits["onder_95"]
    np.testing.assert_array_equal(above_998, classes == "boven_998")
    np.testing.assert_array_equal(above_95 & ~above_998, classes == "boven_95")
    np.testing.assert_array_equal(below_998, classes == "onder_998")
    np.testing.assert_array_equal(below_95 & ~below_998, classes == "onder_95")


def test_overdispersion_widens_the_limits_by_the_root_of_phi_on_the_normal_scale():
    # φ = 4: the 95% limit's tail is that of 2 × 1.959964 = 3.919928, 1 − Φ(3.92) = 4.43e-5.
    assert widened_tail(0.025, 4.0) == pytest.approx(4.4304e-5, rel=1e-3)
    assert widened_tail(0.025, 0.8) == 0.025  # never narrowed
    plain, wide = funnel_limits(np.array([50.0])), funnel_limits(np.array([50.0]), phi=4.0)
    assert (wide["boven_95"] > plain["boven_95"]).all()
    assert (wide["onder_95"] < plain["onder_95"]).all()


def test_overdispersion_is_about_one_for_poisson_counts_and_larger_for_gamma_mixed_ones():
    rng = np.random.default_rng(4)
    expected = rng.uniform(5, 60, size=3000)
    poisson = overdispersion(rng.poisson(expected).astype(float), expected)
    mixed = overdispersion(rng.poisson(expected * rng.gamma(5, 0.2, 3000)).astype(float), expected)
    # Winsorising N(0, 1) at its 10% and 90% points (±1.2816) leaves a mean square of
    # 0.8 − 2·1.2816·φ(1.2816) + 0.2·1.2816² = 0.679; the exact tails of discrete counts give
    # slightly smaller z-scores. Either way φ stays below 1: no widening without overdispersion.
    assert 0.5 < poisson < 0.75
    assert mixed > 2 * poisson
    assert np.isnan(overdispersion(np.array([3.0]), np.array([2.0])))
