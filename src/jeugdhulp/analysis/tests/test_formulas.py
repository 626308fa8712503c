"""Hand-computed values for every formula of the analysis."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jeugdhulp.analysis.counting import (
    ABROAD,
    UNPLACED,
    age_in_years,
    client_keys,
    resolve_residence,
)
from jeugdhulp.analysis.distance import distance_summary, geodesic_km
from jeugdhulp.analysis.model import fit_expected_use
from jeugdhulp.analysis.smoothing import empirical_bayes, marshall_moments
from jeugdhulp.analysis.standardisation import (
    PopulationError,
    expected_counts,
    poisson_interval,
    population_strata,
    reporting_bands,
    standardised_ratio,
)


def test_expected_counts_apply_the_regions_stratum_rates():
    # Two areas, two strata. Region rates: 10/200 = 0.05 and 30/200 = 0.15.
    observed = np.array([[4, 10], [6, 20]])
    population = np.array([[100, 50], [100, 150]])
    expected = expected_counts(observed, population)
    assert expected == pytest.approx([100 * 0.05 + 50 * 0.15, 100 * 0.05 + 150 * 0.15])
    assert expected.sum() == pytest.approx(observed.sum())


def test_exact_poisson_interval_matches_published_tables():
    # Garwood limits for O = 0, 1, 5, 10 (e.g. Ulm 1990, Am J Epidemiol 131:373).
    low, high = poisson_interval(np.array([0, 1, 5, 10]))
    assert low == pytest.approx([0.0, 0.0253, 1.6235, 4.7954], abs=1e-4)
    assert high == pytest.approx([3.6889, 5.5716, 11.6683, 18.3904], abs=1e-4)


def test_standardised_ratio_divides_the_interval_by_expected_and_is_empty_without_expected():
    ratio, low, high = standardised_ratio(np.array([10, 3]), np.array([5.0, 0.0]))
    assert ratio[0] == 2.0 and low[0] == pytest.approx(4.7954 / 5, abs=1e-4)
    assert high[0] == pytest.approx(18.3904 / 5, abs=1e-4)
    assert np.isnan(ratio[1]) and np.isnan(high[1])


def test_marshall_moments_by_hand():
    o = np.array([2.0, 8.0, 10.0])
    e = np.array([4.0, 4.0, 12.0])
    # m = 20/20 = 1; s² = (4·½² + 4·1² + 12·(1/6)²)/20 = (5 + 1/3)/20; A = s² − m/Ē, Ē = 20/3
    m, a = marshall_moments(o, e)
    assert m == pytest.approx(1.0)
    assert a == pytest.approx((5 + 1 / 3) / 20 - 3 / 20)


def test_empirical_bayes_is_the_gamma_posterior():
    o = np.array([2.0, 8.0, 10.0, 0.0])
    e = np.array([4.0, 4.0, 12.0, 0.0])
    smoothed, probability, m, a = empirical_bayes(o, e)
    shape, rate = m * m / a + o[:3], m / a + e[:3]
    assert smoothed[:3] == pytest.approx(shape / rate)
    # Marshall's shrinkage form gives the same estimate.
    assert smoothed[:3] == pytest.approx(m + a / (a + m / e[:3]) * (o[:3] / e[:3] - m))
    from scipy.stats import gamma

    assert probability[1] == pytest.approx(gamma.sf(1, shape[1], scale=1 / rate[1]))
    assert probability[1] > 0.8 and probability[0] < 0.5
    assert np.isnan(smoothed[3]) and np.isnan(probability[3])


def test_empirical_bayes_without_extra_variation_gives_the_prior_mean():
    smoothed, probability, _m, a = empirical_bayes(np.array([5.0, 5.0]), np.array([5.0, 5.0]))
    assert a == 0 and smoothed.tolist() == [1.0, 1.0] and probability.tolist() == [0.0, 0.0]


def test_geodesic_distance_hasselt_genk():
    # Hasselt market square to Genk station: about 16.0 km on the ellipsoid.
    d = geodesic_km(
        np.array([5.3378]), np.array([50.9307]), np.array([5.4936]), np.array([50.9657])
    )
    assert d[0] == pytest.approx(11.6, abs=0.2)
    # One degree of latitude at 51° N is 111.25 km on WGS84.
    assert geodesic_km([5.0], [50.5], [5.0], [51.5])[0] == pytest.approx(111.25, abs=0.05)
    assert np.isnan(geodesic_km([np.nan], [51.0], [5.0], [51.0])[0])


def test_distance_summary_median_p90_and_shares():
    groups = pd.DataFrame({"g": ["a"] * 5 + ["b"]})
    d = pd.Series([1.0, 4.0, 6.0, 12.0, 30.0, np.nan])
    out = distance_summary(groups, d).set_index("g")
    assert out.loc["a", "mediaan_afstand_km"] == 6.0
    assert out.loc["a", "p90_afstand_km"] == pytest.approx(12 + 0.6 * 18)
    assert out.loc["a", "aandeel_binnen_5km"] == 0.4
    assert out.loc["a", "aandeel_binnen_10km"] == 0.6
    assert out.loc["a", "aandeel_binnen_20km"] == 0.8
    assert "b" not in out.index


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ((2010, 2), (2025, 2), 15),
        ((2010, 3), (2025, 2), 14),
        ((2010, np.nan), (2025, 6), 14),
        ((2010, np.nan), (2025, 7), 15),
    ],
)
def test_age_from_birth_year_and_month(birth, on, age):
    result = age_in_years(
        np.array([birth[0]]), np.array([birth[1]], float), np.array([on[0]]), on[1]
    )
    assert result[0] == age


def test_local_pseudonyms_are_unique_only_within_their_partner():
    keys = client_keys(pd.Series(["abc", "abc", "L-1", "L-1"]), pd.Series(["P1", "P2", "P1", "P2"]))
    assert keys[0] == keys[1] and keys[2] != keys[3]


def test_residence_resolves_codes_postcodes_mergers_and_outside():
    postcodes = pd.DataFrame(
        {
            "postcode": ["3500", "3500", "3600"],
            "nis_code": ["71072", "99999", "71016"],
            "share": [0.9, 0.1, 1.0],
        }
    )
    got = resolve_residence(
        pd.Series(["71016", "3500", "71022", "BUITENLAND", "1000", "3600"]),
        pd.Index(["71016", "71072"]),
        postcodes,
        code_aliases={"71022": "71072"},
    )
    assert got.tolist() == ["71016", "71072", "71072", ABROAD, UNPLACED, "71016"]


def test_population_strata_pick_bands_sexes_and_the_closest_year():
    rows = []
    for year, value in ((2024, 1.0), (2025, 2.0)):
        for sex in ("M", "V", "T"):
            for lo, hi in ((0, 4), (5, 9), (10, 14), (15, 19), (20, 24), (25, None)):
                rows.append(("A", sex, lo, hi, value, year))
    pop = pd.DataFrame(
        rows, columns=["area_code", "sex", "age_from", "age_to", "population", "year"]
    )
    pop["age_to"] = pop["age_to"].astype("Int64")
    strata = population_strata(pop, pd.Index(["A", "B"]), reference_year=2025)
    assert strata.year == 2025 and strata.by_sex
    assert strata.bands == ((0, 4), (5, 9), (10, 14), (15, 19), (20, 24))
    assert strata.total.tolist() == [20.0, 0.0]
    assert strata.band_of(np.array([0, 4, 5, 24, 25])).tolist() == [0, 0, 1, 4, -1]
    assert reporting_bands(strata.bands) == strata.bands


def test_single_years_are_reported_in_the_design_bands_and_overlaps_refused():
    single = tuple((a, a) for a in range(25))
    assert reporting_bands(single) == ((0, 2), (3, 5), (6, 11), (12, 17), (18, 24))
    pop = pd.DataFrame(
        {
            "area_code": ["A", "A"],
            "sex": ["T", "T"],
            "age_from": [0, 3],
            "age_to": pd.array([5, 8], "Int64"),
            "population": [1.0, 1.0],
            "year": pd.array([pd.NA, pd.NA], "Int64"),
        }
    )
    with pytest.raises(PopulationError, match="overlappen"):
        population_strata(pop, pd.Index(["A"]))


def test_quasi_poisson_recovers_a_planted_covariate_effect():
    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=n)
    population = rng.integers(500, 3000, size=n).astype(float)
    mu = population * 0.02 * np.exp(0.3 * x)
    observed = rng.negative_binomial(5, 5 / (5 + mu)).astype(float)  # overdispersed
    fit = fit_expected_use(observed, population, pd.DataFrame({"inkomen": x * 7 + 30}))
    rr = fit.coefficients.set_index("covariaat").loc["inkomen"]
    # per standard deviation of the covariate (sd of x = 1): exp(0.3) ≈ 1.35
    assert rr["laag"] < np.exp(0.3) < rr["hoog"]
    assert fit.dispersion > 1.5  # overdispersion is seen and used
    assert fit.expected.sum() == pytest.approx(observed.sum(), rel=1e-6)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quasi_poisson_gives_what_statsmodels_gives(seed):
    from statsmodels.genmod.families import Poisson
    from statsmodels.genmod.generalized_linear_model import GLM

    rng = np.random.default_rng(seed)
    n = 300
    covariates = pd.DataFrame({"a": rng.normal(size=n), "b": rng.gamma(2.0, size=n)})
    population = rng.integers(0, 3000, size=n).astype(float)
    mu = population * 0.01 * np.exp(0.4 * covariates["a"].to_numpy())
    observed = rng.negative_binomial(3, 3 / (3 + mu)).astype(float)
    covariates.loc[5, "b"] = np.nan
    fit = fit_expected_use(observed, population, covariates)

    use = (population > 0) & covariates.notna().all(axis=1).to_numpy()
    x = covariates.to_numpy()[use]
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    reference = GLM(
        observed[use],
        np.column_stack([np.ones(len(z)), z]),
        family=Poisson(),
        offset=np.log(population[use]),
    ).fit(scale="X2")
    ci = np.exp(np.asarray(reference.conf_int()))
    got = fit.coefficients
    np.testing.assert_allclose(got["rate_ratio"], np.exp(reference.params), rtol=1e-9)
    np.testing.assert_allclose(got["laag"], ci[:, 0], rtol=1e-9)
    np.testing.assert_allclose(got["hoog"], ci[:, 1], rtol=1e-9)
    np.testing.assert_allclose(got["p"], reference.pvalues, rtol=1e-9)
    assert fit.dispersion == pytest.approx(reference.scale, rel=1e-9)
    explained = 1 - reference.deviance / reference.null_deviance
    assert fit.deviance_explained == pytest.approx(explained, rel=1e-9)
    np.testing.assert_allclose(fit.expected[use], reference.fittedvalues, rtol=1e-9)
    assert np.isnan(fit.expected[~use]).all()


def test_quasi_poisson_needs_enough_areas():
    assert (
        fit_expected_use(np.array([1.0, 2.0]), np.array([10.0, 10.0]), pd.DataFrame({"a": [1, 2]}))
        is None
    )


@given(st.lists(st.integers(0, 50), min_size=2, max_size=20))
def test_expected_counts_always_add_up_to_observed(counts):
    observed = np.array(counts).reshape(-1, 1)
    population = np.full_like(observed, 100)
    assert expected_counts(observed, population).sum() == pytest.approx(observed.sum())


def test_interval_and_probability_are_scipy_stats_to_the_bit():
    # The analysis uses scipy.special (scipy.stats takes 0.5 s to import): same numbers.
    from scipy import stats

    observed = np.arange(0, 400, dtype=float)
    low, high = poisson_interval(observed)
    alpha = 1 - 0.95
    np.testing.assert_array_equal(low[1:], stats.chi2.ppf(alpha / 2, 2 * observed[1:]) / 2)
    np.testing.assert_array_equal(high, stats.chi2.ppf(1 - alpha / 2, 2 * observed + 2) / 2)

    rng = np.random.default_rng(7)
    expected = rng.gamma(2.0, 3.0, size=500)
    counts = rng.poisson(expected * rng.gamma(4.0, 0.25, size=500)).astype(float)
    _, probability, m, variance = empirical_bayes(counts, expected)
    shape, rate = m * m / variance + counts, m / variance + expected
    np.testing.assert_array_equal(probability, stats.gamma.sf(1.0, shape, scale=1.0 / rate))


def test_without_variation_between_areas_every_probability_above_1_is_0_whatever_the_rounding():
    # O/E equal in every area (A = 0); ΣO/ΣE = 1.0000000000000002 in floating point.
    observed = np.array([1.0, 1.0, 1.0])
    expected = np.full(3, np.nextafter(1.0, 0.0))
    m, variance = marshall_moments(observed, expected)
    assert variance == 0 and m != 1.0 and abs(m - 1) < 1e-12
    smoothed, probability, _, _ = empirical_bayes(observed, expected)
    assert np.allclose(smoothed, m) and (probability == 0).all()
