"""Contiguity weights and local cluster tests (Gi*, local Moran) with conditional permutations."""

from __future__ import annotations

import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import Queen, W

from jeugdhulp.analysis.clusters import (
    BLAUWE_ZONE,
    GEEN,
    HOTSPOT,
    _neighbour_draws,
    _pseudo_p,
    _saddlepoint_p,
    benjamini_hochberg,
    local_clusters,
    permutations_for,
    spatial_weights,
)
from jeugdhulp.analysis.smoothing import empirical_bayes


def grid(size: int, *, crs: str = "EPSG:31370", cell: float = 1000.0) -> gpd.GeoDataFrame:
    """size × size square cells, row-major, codes G<row>_<col>."""
    rows, cols = np.divmod(np.arange(size * size), size)
    boxes = shapely.box(cols * cell, rows * cell, (cols + 1) * cell, (rows + 1) * cell)
    codes = [f"G{r}_{c}" for r, c in zip(rows, cols, strict=True)]
    return gpd.GeoDataFrame({"code": codes}, geometry=boxes, crs=crs)


def neighbours(w: W, code: str) -> set[str]:
    return set(w.neighbors[code])


def path_weights(n: int) -> W:
    """Areas 0 – 1 – … – n−1 in a line."""
    ids = list(range(n))
    return W({i: [j for j in (i - 1, i + 1) if 0 <= j < n] for i in ids}, id_order=ids)


# --- spatial_weights ---------------------------------------------------------------------------


def test_queen_weights_on_a_grid_equal_libpysal_queen():
    areas = grid(6)
    ours = spatial_weights(areas)
    reference = Queen.from_dataframe(areas, ids=areas["code"].tolist(), silence_warnings=True)
    assert ours.id_order == areas["code"].tolist()
    assert (abs(ours.sparse - reference.sparse)).sum() == 0
    assert len(neighbours(ours, "G0_0")) == 3  # corner: right, up and diagonal
    assert len(neighbours(ours, "G2_3")) == 8  # interior


def test_island_gets_its_k_nearest_areas_symmetrically():
    areas = grid(4)
    island = gpd.GeoDataFrame(
        {"code": ["EILAND"]}, geometry=[shapely.box(9000, 0, 9500, 500)], crs=areas.crs
    )
    w = spatial_weights(pd.concat([areas, island], ignore_index=True), k_fallback=2)
    # Nearest cell centres to (9250, 250): G0_3 (3750 m away), then G1_3 (≈ 3832 m).
    assert neighbours(w, "EILAND") == {"G0_3", "G1_3"}
    assert "EILAND" in neighbours(w, "G0_3") and "EILAND" in neighbours(w, "G1_3")
    assert not w.islands
    assert len(neighbours(w, "G0_3")) == 3 + 1


def test_island_distance_is_measured_in_metres_not_degrees():
    # At 60° N one degree of longitude is half as long as one of latitude: EAST (1.5° of
    # longitude ≈ 84 km) is nearer than NORTH (1° of latitude ≈ 111 km), though not in degrees.
    def square(lon, lat):
        return shapely.box(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01)

    areas = gpd.GeoDataFrame(
        {"code": ["EILAND", "OOST", "OOST2", "NOORD", "NOORD2"]},
        geometry=[
            square(10, 60),
            square(11.5, 60),
            square(11.52, 60),  # touches OOST: OOST and NOORD are no islands themselves
            square(10, 61),
            square(10, 61.02),
        ],
        crs="EPSG:4326",
    )
    w = spatial_weights(areas, k_fallback=1)
    assert neighbours(w, "EILAND") == {"OOST"}


def test_weights_refuse_duplicate_codes_a_missing_crs_and_missing_geometry():
    areas = grid(2)
    areas.loc[1, "code"] = areas.loc[0, "code"]
    with pytest.raises(ValueError, match="niet uniek"):
        spatial_weights(areas)
    with pytest.raises(ValueError, match="coördinatenstelsel"):
        spatial_weights(grid(2).set_crs(None, allow_override=True))
    empty = grid(2)
    empty.loc[3, "geometry"] = None
    with pytest.raises(ValueError, match="'G1_1' heeft geen geometrie"):
        spatial_weights(empty)


def test_real_limburg_exclave_voeren_gets_nearest_neighbours(shared_data):
    areas = gpd.read_file(shared_data / "provinciesincijfers_gebiedsniveaus/gemeente_2025.shp")
    areas = areas[areas["geoitem"].astype(str).str.startswith("7")].rename(
        columns={"geoitem": "code"}
    )
    areas = areas.reset_index(drop=True)
    w = spatial_weights(areas)
    reference = Queen.from_dataframe(areas, ids=areas["code"].tolist(), silence_warnings=True)
    # Voeren (73109) touches no other Limburg municipality: libpysal leaves it an island.
    assert reference.islands == ["73109"]
    assert w.n == 38 and not w.islands
    assert len(neighbours(w, "73109")) == 4 and "73066" in neighbours(w, "73109")  # Riemst
    # Everything else is exactly libpysal's queen contiguity.
    voeren = areas.index[areas["code"] == "73109"][0]
    ours, theirs = w.sparse.tolil(), reference.sparse.tolil()
    for matrix in (ours, theirs):
        matrix[voeren, :] = 0
        matrix[:, voeren] = 0
    assert (abs(ours - theirs)).sum() == 0
    # Genk borders the merged Hasselt (71072) and As (71002).
    assert {"71072", "71002"} <= neighbours(w, "71016")


# --- the permutation engine --------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n_others=st.integers(1, 400),
    max_card=st.integers(1, 12),
    permutations=st.integers(1, 50),
    seed=st.integers(0, 2**32 - 1),
)
def test_neighbour_draws_are_distinct_indices_in_range(n_others, max_card, permutations, seed):
    max_card = min(max_card, n_others)
    draws = _neighbour_draws(np.random.default_rng(seed), n_others, max_card, permutations)
    assert draws.shape == (permutations, max_card)
    assert draws.min() >= 0 and draws.max() < n_others
    assert all(len(set(row)) == max_card for row in draws.tolist())


@pytest.mark.parametrize(("n_others", "max_card"), [(40, 3), (6, 6)])  # rejection, shuffle
def test_neighbour_draw_prefixes_are_uniform_subsets(n_others, max_card):
    draws = _neighbour_draws(np.random.default_rng(17), n_others, max_card, 60_000)
    for column in range(max_card):
        share = np.bincount(draws[:, column], minlength=n_others) / 60_000
        assert np.all(np.abs(share - 1 / n_others) < 5 * np.sqrt(1 / n_others / 60_000))
    pairs = np.sort(draws[:, :2], axis=1) @ np.array([n_others, 1])
    n_pairs = n_others * (n_others - 1) // 2
    share = np.unique(pairs, return_counts=True)[1] / 60_000
    assert len(share) == n_pairs
    assert np.all(np.abs(share - 1 / n_pairs) < 5 * np.sqrt(1 / n_pairs / 60_000))


def brute_force_sums(dev: np.ndarray, cardinality: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """(permutations × areas) simulated neighbour sums, area by area, with the numbering of
    "the other areas" that ``_pseudo_p`` documents (area i replaced by the last area)."""
    sums = np.empty((len(draws), len(dev)))
    for i, k in enumerate(cardinality):
        others = dev.copy()
        others[i] = dev[-1]
        sums[:, i] = others[:-1][draws[:, :k]].sum(axis=1)
    return sums


def test_simulated_sums_draw_only_other_areas_uniformly():
    # Four areas with one neighbour each: a draw for area i is one value of the three others.
    dev = np.array([1.0, 10.0, 100.0, 1000.0])
    draws = _neighbour_draws(np.random.default_rng(5), 3, 1, 6000)
    sims = brute_force_sums(dev, np.ones(4, dtype=int), draws)
    for i in range(4):
        values, counts = np.unique(sims[:, i], return_counts=True)
        assert set(values) == set(np.delete(dev, i))
        assert np.all(np.abs(counts / 6000 - 1 / 3) < 0.03)  # 5 standard errors


def test_simulated_sums_have_the_moments_of_sampling_without_replacement():
    rng = np.random.default_rng(11)
    dev = rng.normal(size=60)
    dev -= dev.mean()
    cardinality = rng.integers(1, 9, size=60)
    draws = _neighbour_draws(np.random.default_rng(3), 59, 8, 4000)
    sims = brute_force_sums(dev, cardinality, draws)
    # Sum of k values drawn without replacement from the other n−1: mean k·μ₋ᵢ and variance
    # k·σ²₋ᵢ·(n−1−k)/(n−2) (finite-population correction).
    others = np.array([np.delete(dev, i) for i in range(60)])
    mean = cardinality * others.mean(axis=1)
    var = cardinality * others.var(axis=1) * (59 - cardinality) / 58
    assert np.all(np.abs(sims.mean(axis=0) - mean) < 5 * np.sqrt(var / 4000))
    assert np.all(np.abs(sims.var(axis=0) / var - 1) < 0.15)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 40), ties=st.booleans())
def test_fast_pseudo_p_counts_exactly_what_a_brute_force_count_gives(seed, n, ties):
    rng = np.random.default_rng(seed)
    dev = rng.integers(-3, 4, size=n).astype(float) if ties else rng.normal(size=n)
    cardinality = rng.integers(0, min(n - 1, 6) + 1, size=n)
    observed = rng.normal(size=n) * 2 if not ties else rng.integers(-6, 7, size=n).astype(float)
    draws = _neighbour_draws(rng, n - 1, max(int(cardinality.max()), 1), 199)
    sims = brute_force_sums(dev, cardinality, draws)
    above = (sims >= observed - 1e-9).sum(axis=0)
    below = (sims <= observed + 1e-9).sum(axis=0)
    expected = np.where(cardinality > 0, (np.minimum(above, below) + 1) / 200, 1.0)
    np.testing.assert_array_equal(_pseudo_p(dev, cardinality, observed, draws, 1e-9), expected)


def test_permutations_for_lets_the_smallest_p_pass_benjamini_hochberg():
    assert permutations_for(300) == 999
    assert permutations_for(9000) == 99_999  # 9,000 / (0.05 · 10) = 18,000
    assert permutations_for(9000, smallest_cluster=180) == 999
    assert permutations_for(9000, smallest_cluster=30) == 9_999


# --- local_clusters ----------------------------------------------------------------------------


def test_gi_star_z_scores_are_computed_by_hand():
    # y = 1, 2, 3, 10 on a line: n = 4, mean 4, population s² = (9 + 4 + 1 + 36)/4 = 12.5.
    # Gi* z = (Σ_{j∈N[i]} y_j − W_i·ȳ) / (s·√(W_i (n − W_i)/(n − 1))), W_i counting i itself:
    #   area 0: N = {0, 1}, (3 − 8) / (√12.5·√(4/3)) = −1.224745
    #   area 1: N = {0, 1, 2}, (6 − 12) / (√12.5·√1) = −1.697056
    #   area 2: N = {1, 2, 3}, (15 − 12) / √12.5 = 0.848528
    #   area 3: N = {2, 3}, (13 − 8) / (√12.5·√(4/3)) = 1.224745
    result = local_clusters(np.array([1.0, 2.0, 3.0, 10.0]), path_weights(4), permutations=99)
    np.testing.assert_allclose(result["z"], [-1.224745, -1.697056, 0.848528, 1.224745], atol=1e-6)
    assert list(result.columns) == ["z", "p", "q", "in_cluster", "cluster"]


def test_gi_star_agrees_with_esda_on_z_and_within_monte_carlo_error_on_p():
    areas = grid(15)
    w = spatial_weights(areas)
    rng = np.random.default_rng(7)
    y = rng.gamma(4.0, 0.25, size=w.n) + np.where(np.arange(w.n) < 45, 0.6, 0.0)
    ours = local_clusters(y, w, inference="permutation", permutations=999, seed=1)
    w.transform = "B"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=2, n_jobs=1)
    np.testing.assert_allclose(ours["z"], theirs.Zs, rtol=1e-9)
    # Two independent Monte-Carlo estimates of the same p: difference within 4.5 standard errors.
    p = (ours["p"].to_numpy() + theirs.p_sim) / 2
    tolerance = 4.5 * np.sqrt(2 * p * (1 - p) / 999) + 2 / 1000
    assert np.all(np.abs(ours["p"].to_numpy() - theirs.p_sim) <= tolerance)


def test_local_moran_agrees_with_esda_conditional_moments_and_p():
    areas = grid(12)
    w = spatial_weights(areas)
    y = np.random.default_rng(9).normal(size=w.n) + np.where(np.arange(w.n) < 30, 1.0, 0.0)
    ours = local_clusters(y, w, inference="permutation", permutations=199, seed=4, method="moran")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = esda.Moran_Local(y, w, transformation="r", permutations=999, seed=3, n_jobs=1)
    # esda's Is carries a factor (n−1)/n against Sokal et al.'s I_i = z_i·lag_i/m2.
    expected_z = (theirs.Is * w.n / (w.n - 1) - theirs.EIc) / np.sqrt(theirs.VIc)
    np.testing.assert_allclose(ours["z"], expected_z, rtol=1e-9)
    p = (ours["p"].to_numpy() + theirs.p_sim) / 2
    tolerance = 4.5 * np.sqrt(p * (1 - p) * (1 / 199 + 1 / 999)) + 2 / 200
    assert np.all(np.abs(ours["p"].to_numpy() - theirs.p_sim) <= tolerance)


def planted_round(seed: int) -> tuple[gpd.GeoDataFrame, np.ndarray, set[int], set[int]]:
    """A 20 × 20 grid with Poisson counts: relative risk 2 in a 4 × 4 block near one corner,
    0.4 in a 4 × 4 block near the opposite corner, 1 elsewhere. Returns the log EB ratio."""
    areas = grid(20)
    rows, cols = np.divmod(np.arange(400), 20)
    high = set(np.flatnonzero((rows >= 2) & (rows < 6) & (cols >= 2) & (cols < 6)).tolist())
    low = set(np.flatnonzero((rows >= 14) & (rows < 18) & (cols >= 14) & (cols < 18)).tolist())
    rng = np.random.default_rng(seed)
    expected = rng.uniform(8, 30, size=400)
    risk = np.ones(400)
    risk[list(high)], risk[list(low)] = 2.0, 0.4
    observed = rng.poisson(risk * expected)
    smoothed, *_ = empirical_bayes(observed, expected)
    return areas, np.log(smoothed), high, low


@pytest.mark.parametrize("method", ["gi_star", "moran"])
def test_planted_high_and_low_clusters_are_found_with_few_false_ones(method):
    areas, values, high, low = planted_round(seed=21)
    w = spatial_weights(areas)
    # 999 permutations: the smallest pseudo p-value, 1/1000, must pass Benjamini–Hochberg's
    # bar 0.05·k/400 for the k areas of a cluster, so k ≥ 8 (199 permutations would need 40).
    result = local_clusters(values, w, permutations=999, seed=3, method=method)
    cluster = result["cluster"].to_numpy()
    # Over 30 simulated rounds 83% of each block was found on average (38% in the worst).
    assert np.mean(cluster[list(high)] == HOTSPOT) >= 0.5
    assert np.mean(cluster[list(low)] == BLAUWE_ZONE) >= 0.5
    # A neighbourhood statistic spills over onto the cells bordering a block: "elsewhere" is
    # the cells that neither lie in nor border a planted block.
    planted = high | low
    border = {j for i in planted for j in w.neighbors[areas["code"][i]]}
    elsewhere = [i for i in range(400) if i not in planted and areas["code"][i] not in border]
    assert np.mean(cluster[elsewhere] != GEEN) <= 0.05
    assert not np.any(cluster[list(high)] == BLAUWE_ZONE)
    assert not np.any(cluster[list(low)] == HOTSPOT)


def test_spatially_random_values_give_almost_no_clusters():
    areas = grid(20)
    values = np.random.default_rng(8).normal(size=400)
    result = local_clusters(values, spatial_weights(areas), permutations=999, seed=5)
    # Benjamini–Hochberg at 5%: under the null, almost always no area at all.
    assert np.mean(result["cluster"] != GEEN) <= 0.02


def test_permutation_inference_same_seed_gives_identical_output_another_seed_other_p():
    areas, values, _, _ = planted_round(seed=2)
    w = spatial_weights(areas)

    def run(seed):
        return local_clusters(values, w, inference="permutation", permutations=99, seed=seed)

    first = run(42)
    pd.testing.assert_frame_equal(first, run(42))
    other = run(43)
    assert not np.array_equal(first["p"], other["p"])
    pd.testing.assert_series_equal(first["z"], other["z"])


def test_missing_values_are_left_out_and_labelled_geen():
    areas, values, high, _ = planted_round(seed=4)
    w = spatial_weights(areas)
    gaps = values.copy()
    missing = [0, 1, 57, 399, *sorted(high)[:2]]
    gaps[missing] = np.nan
    result = local_clusters(gaps, w, permutations=99, seed=1)
    assert result.loc[result.index[missing], "cluster"].eq(GEEN).all()
    assert result.iloc[missing][["z", "p", "q"]].isna().all().all()
    # The rest is exactly the test on the areas that have a value, with their own weights.
    keep = np.setdiff1d(np.arange(400), missing)
    subset = spatial_weights(areas.iloc[keep].reset_index(drop=True))
    alone = local_clusters(values[keep], subset, permutations=99, seed=1)
    np.testing.assert_allclose(result["z"].to_numpy()[keep], alone["z"].to_numpy())
    np.testing.assert_array_equal(result["cluster"].to_numpy()[keep], alone["cluster"].to_numpy())


def test_constant_values_and_areas_without_neighbours_are_never_clusters():
    w = W({0: [1], 1: [0], 2: [], 3: [4], 4: [3]}, silence_warnings=True)
    constant = local_clusters(np.full(5, np.log(1.3)), w, permutations=99)
    assert constant["cluster"].eq(GEEN).all() and constant["p"].eq(1.0).all()
    varied = local_clusters(np.array([1.0, 2.0, 50.0, 3.0, 4.0]), w, permutations=99)
    assert varied.loc[2, "p"] == 1.0 and varied.loc[2, "cluster"] == GEEN


def test_local_clusters_refuses_bad_arguments():
    w = path_weights(4)
    with pytest.raises(ValueError, match="method"):
        local_clusters(np.arange(4.0), w, method="lisa")
    with pytest.raises(ValueError, match="values"):
        local_clusters(np.arange(3.0), w)


# --- saddlepoint inference and labels with their own evidence ----------------------------------


@pytest.mark.parametrize("shape", [0.7, 2.0])
def test_saddlepoint_p_agrees_with_a_million_permutations(shape):
    # Skewed values (gamma with shape 0.7, and the log of a gamma with shape 2) on a 20 × 20
    # grid with a planted block; the permutation p-value from 10⁶ draws has a relative standard
    # error of at most 3% for p ≥ 10⁻³. Measured: the saddlepoint is within 3% in the median
    # and within 20% everywhere, on these very skewed values (docs/en/analysis-spatial.md).
    adjacency = spatial_weights(grid(20)).sparse.tocsr()
    rng = np.random.default_rng(5)
    y = rng.gamma(shape, 1.0, size=400) if shape < 1 else np.log(rng.gamma(shape, 0.5, size=400))
    y += 0.8 * (np.arange(400) % 20 < 4) * (np.arange(400) // 20 < 4)
    dev = y - y.mean()
    cardinality = np.diff(adjacency.indptr)
    observed = adjacency @ dev
    draws = _neighbour_draws(np.random.default_rng(1), 399, int(cardinality.max()), 1_000_000)
    simulated = _pseudo_p(dev, cardinality, observed, draws, 1e-9)
    approximated = _saddlepoint_p(dev, cardinality, observed)
    tested = (simulated >= 1e-3) & (simulated < 0.5)
    ratio = approximated[tested] / simulated[tested]
    assert tested.sum() > 300
    assert abs(np.median(ratio) - 1) < 0.03
    assert np.all(np.abs(ratio - 1) < 0.25)
    assert np.mean(np.abs(ratio - 1) < 0.1) > 0.6


def test_saddlepoint_counts_a_single_neighbour_exactly():
    # Area 0's only neighbour has value 5; the other values are 1 … 5 and 9: P(draw ≥ 5) over
    # the 5 areas other than 0 = 2/5, P(draw ≤ 5) = 4/5 → folded p = 0.4.
    y = np.array([0.0, 5.0, 1.0, 2.0, 3.0, 9.0])
    dev = y - y.mean()
    p = _saddlepoint_p(dev, np.array([1, 0, 0, 0, 0, 0]), np.array([dev[1], 0, 0, 0, 0, 0]))
    assert p[0] == pytest.approx(0.4)


def test_saddlepoint_labels_do_not_depend_on_the_seed():
    areas, values, high, _ = planted_round(seed=21)
    w = spatial_weights(areas)
    first = local_clusters(values, w, seed=1)
    pd.testing.assert_frame_equal(first, local_clusters(values, w, seed=2))
    assert np.mean(first["cluster"].to_numpy()[list(high)] == HOTSPOT) >= 0.5


def test_an_area_is_a_hotspot_only_with_its_own_ratio_above_one():
    # A 9 × 9 grid: a 5 × 5 block of log ratio 1 in the middle, background values around 0,
    # and the block's centre itself at −0.2 (ratio 0.82). Its neighbourhood is in the block, so
    # it lies in the high cluster, but its own smoothed ratio is below 1: not a hotspot.
    areas = grid(9)
    rng = np.random.default_rng(3)
    values = rng.normal(0, 0.05, size=81)
    rows, cols = np.divmod(np.arange(81), 9)
    block = (abs(rows - 4) <= 2) & (abs(cols - 4) <= 2)
    values[block] = 1.0
    centre = 4 * 9 + 4
    values[centre] = -0.2
    result = local_clusters(values, spatial_weights(areas))
    assert result["in_cluster"].iloc[centre] == "hoog"
    assert result["cluster"].iloc[centre] == GEEN
    # The block's other cells in the cluster have a ratio above 1: hotspots.
    others = np.flatnonzero(block & (np.arange(81) != centre))
    in_cluster = result["in_cluster"].to_numpy()[others] == "hoog"
    assert in_cluster.any()
    assert (result["cluster"].to_numpy()[others][in_cluster] == HOTSPOT).all()
    # No area is labelled against its own value.
    hot = result["cluster"].to_numpy() == HOTSPOT
    blue = result["cluster"].to_numpy() == BLAUWE_ZONE
    assert (values[hot] > 0).all() and (values[blue] < 0).all()
    assert set(result["in_cluster"]) <= {"hoog", "laag", None}


def test_benjamini_hochberg_by_hand():
    # m = 4: sorted p 0.01, 0.02, 0.03, 0.5 scaled by 4/k → 0.04, 0.04, 0.04, 0.5.
    q = benjamini_hochberg(np.array([0.5, 0.03, 0.01, 0.02]))
    np.testing.assert_allclose(q, [0.5, 0.04, 0.04, 0.04])


@given(st.lists(st.floats(0, 1), min_size=0, max_size=60))
@settings(deadline=None, max_examples=200)
def test_benjamini_hochberg_matches_scipy(p):
    from scipy.stats import false_discovery_control

    values = np.array(p, dtype=float)
    expected = false_discovery_control(values) if len(values) else values
    np.testing.assert_allclose(benjamini_hochberg(values), expected, rtol=1e-12)
