"""Floating-catchment accessibility (2SFCA / E2SFCA) and the unmet-need indicator."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jeugdhulp.analysis.accessibility import (
    catchment_weight,
    project_lonlat,
    two_step_fca,
    unmet_need,
)

GEOD = pyproj.Geod(ellps="WGS84")


def north_of(km: float, lon: float = 4.0, lat: float = 50.9) -> tuple[float, float]:
    """The point ``km`` due north of (lon, lat), along the meridian."""
    new_lon, new_lat, _ = GEOD.fwd(lon, lat, 0.0, km * 1000.0)
    return new_lon, new_lat


def line_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three areas and two sites on one meridian, positions in km north of a base point:
    areas A at 0 (100 residents), B at 10 (200), C at 30 (300); sites S1 at 5 (capacity 6),
    S2 at 28 (capacity 3). Distances: A–S1 5, A–S2 28, B–S1 5, B–S2 18, C–S1 25, C–S2 2."""
    areas = [("A", 0, 100), ("B", 10, 200), ("C", 30, 300)]
    sites = [("S1", 5, 6), ("S2", 28, 3)]
    demand = pd.DataFrame(
        [(code, *north_of(km), people) for code, km, people in areas],
        columns=["code", "lon", "lat", "demand"],
    )
    supply = pd.DataFrame(
        [(site, *north_of(km), cap) for site, km, cap in sites],
        columns=["site", "lon", "lat", "capacity"],
    )
    return demand, supply


def test_classic_2sfca_by_hand():
    demand, supply = line_case()
    # Catchment 15 km: S1 reaches A and B, S2 reaches C.
    # R1 = 6 / (100 + 200) = 0.02, R2 = 3 / 300 = 0.01 → per 1,000: A 20, B 20, C 10.
    result = two_step_fca(demand, supply, catchment_km=15, decay="none")
    np.testing.assert_allclose(result.to_numpy(), [20.0, 20.0, 10.0], rtol=1e-9)
    assert result.index.tolist() == ["A", "B", "C"] and result.name == "toegankelijkheid"
    # Catchment 20 km: S2 now also reaches B (18 km): R2 = 3 / (200 + 300) = 0.006
    # → A 20, B (0.02 + 0.006)·1000 = 26, C 6.
    result = two_step_fca(demand, supply, catchment_km=20, decay="none")
    np.testing.assert_allclose(result.to_numpy(), [20.0, 26.0, 6.0], rtol=1e-9)


def test_gaussian_e2sfca_by_hand():
    demand, supply = line_case()
    # d0 = 20 km, W(d) = (exp(−½(d/20)²) − e^−½) / (1 − e^−½):
    # W(5) = 0.921806, W(18) = 0.153624, W(2) = 0.987324.
    # R1 = 6 / (300·W(5)); R2 = 3 / (200·W(18) + 300·W(2)) = 3 / 326.9220 = 0.00917650.
    # A = 1000·R1·W(5) = 20;  B = 20 + 1000·R2·W(18) = 21.409727;  C = 1000·R2·W(2) = 9.060182.
    result = two_step_fca(demand, supply, catchment_km=20, decay="gaussian")
    np.testing.assert_allclose(result.to_numpy(), [20.0, 21.409727, 9.060182], rtol=2e-6)


def test_catchment_weights_by_hand():
    d = np.array([0.0, 5.0, 9.9, 10.0, 19.9, 20.0, 29.9, 30.0, 30.1])
    np.testing.assert_allclose(
        catchment_weight(d, 30, "step"), [1, 1, 1, 0.68, 0.68, 0.22, 0.22, 0.22, 0]
    )
    np.testing.assert_allclose(catchment_weight(d, 30, "none"), [1, 1, 1, 1, 1, 1, 1, 1, 0])
    gaussian = catchment_weight(np.array([0.0, 20.0, 30.0, 31.0]), 30, "gaussian")
    # W(20) = (exp(−2/9) − exp(−1/2)) / (1 − exp(−1/2)) = (0.800737 − 0.606531) / 0.393469
    #       = 0.493575
    np.testing.assert_allclose(gaussian, [1.0, 0.493575, 0.0, 0.0], atol=1e-6)
    with pytest.raises(ValueError, match="decay"):
        catchment_weight(d, 30, "linear")
    with pytest.raises(ValueError, match="catchment"):
        catchment_weight(d, 0, "none")


def test_sites_without_demand_areas_without_sites_and_missing_coordinates():
    demand, supply = line_case()
    demand.loc[len(demand)] = ["VER", *north_of(200), 50]
    demand.loc[len(demand)] = ["ZONDER", np.nan, np.nan, 80]
    supply.loc[len(supply)] = ["LEEG", *north_of(-150), 99]  # nobody within reach
    result = two_step_fca(demand, supply, catchment_km=15, decay="none")
    np.testing.assert_allclose(result[["A", "B", "C", "VER"]], [20.0, 20.0, 10.0, 0.0])
    assert np.isnan(result["ZONDER"])
    empty = two_step_fca(demand, supply.iloc[0:0], catchment_km=15)
    assert empty[["A", "VER"]].eq(0.0).all() and np.isnan(empty["ZONDER"])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    catchment=st.floats(2.0, 60.0),
    decay=st.sampled_from(["gaussian", "step", "none"]),
)
def test_capacity_within_reach_of_demand_is_distributed_exactly(seed, catchment, decay):
    rng = np.random.default_rng(seed)
    demand = pd.DataFrame(
        {
            "code": [f"A{i}" for i in range(40)],
            "lon": rng.uniform(4.0, 5.0, 40),
            "lat": rng.uniform(50.7, 51.2, 40),
            "demand": rng.integers(0, 500, 40).astype(float),
        }
    )
    supply = pd.DataFrame(
        {
            "site": [f"S{i}" for i in range(8)],
            "lon": rng.uniform(4.0, 5.0, 8),
            "lat": rng.uniform(50.7, 51.2, 8),
            "capacity": rng.uniform(1, 100, 8),
        }
    )
    access = two_step_fca(demand, supply, catchment_km=catchment, decay=decay)
    # Σ_i P_i A_i / 1000 = Σ_j S_j over the sites that reach some demand (Luo & Wang 2003).
    xy = project_lonlat(np.r_[demand["lon"], supply["lon"]], np.r_[demand["lat"], supply["lat"]])
    d = np.hypot(*(xy[:40, None, :] - xy[None, 40:, :]).transpose(2, 0, 1)) / 1000
    reaches = (catchment_weight(d, catchment, decay) * demand["demand"].to_numpy()[:, None]).sum(0)
    served = supply["capacity"].to_numpy()[reaches > 0].sum()
    assert (demand["demand"].to_numpy() * access.to_numpy()).sum() / 1000 == pytest.approx(
        served, rel=1e-9
    )


def test_projected_distances_match_geodesic_ones_over_flanders():
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(2.5, 5.95, 300), rng.uniform(50.68, 51.5, 300)
    xy = project_lonlat(lon, lat)
    i, j = rng.integers(0, 300, 2000), rng.integers(0, 300, 2000)
    keep = i != j
    planar = np.hypot(*(xy[i[keep]] - xy[j[keep]]).T)
    _, _, geodesic = GEOD.inv(lon[i[keep]], lat[i[keep]], lon[j[keep]], lat[j[keep]])
    assert np.max(np.abs(planar / geodesic - 1)) < 3e-4


def test_real_limburg_accessibility_is_highest_near_the_sites(shared_data):
    folder = shared_data / "provinciesincijfers_gebiedsniveaus"
    areas = gpd.read_file(folder / "limburg_gemeente_2025_wgs84.geojson")
    centroids = areas.to_crs(31370).centroid.to_crs(4326)
    demand = pd.DataFrame(
        {"code": areas["nis_code"], "lon": centroids.x, "lat": centroids.y, "demand": 1000.0}
    )
    genk = demand.set_index("code").loc["71016"]
    supply = pd.DataFrame(
        {"site": ["GENK"], "lon": [genk["lon"]], "lat": [genk["lat"]], "capacity": [50.0]}
    )
    result = two_step_fca(demand, supply, catchment_km=15)
    assert result.idxmax() == "71016" and result["71016"] > 0
    assert result["73109"] == 0.0  # Voeren is more than 15 km from Genk
    assert (demand.set_index("code")["demand"] * result).sum() / 1000 == pytest.approx(50.0)


# --- unmet_need --------------------------------------------------------------------------------


def test_unmet_need_by_hand():
    index = pd.Index(["A", "B", "C", "D", "E"], name="code")
    expected = pd.Series([50.0, 40.0, 30.0, 20.0, 10.0], index=index)
    observed = pd.Series([30.0, 45.0, 25.0, 20.0, np.nan], index=index)
    access = pd.Series([2.0, 3.0, 9.0, 8.0, 1.0], index=index)
    population = pd.Series([2000.0, 1000.0, 500.0, 800.0, 100.0], index=index)
    result = unmet_need(expected, observed, access, population=population)
    # Median accessibility 3.0: A (2) is low, B (3) is not (strictly below), C and D are high.
    # A: 50 − 30 = 20 short and low access → unmet 20, 20/2000·1000 = 10 per 1,000.
    # B: uses more than expected, access not low → gedekt.
    # C: 30 − 25 = 5 short, but capacity near → onderbenut_aanbod, unmet 0.
    # D: exactly as expected → gedekt. E: no observed count → onbekend.
    assert result["tekort"].tolist()[:4] == [20.0, 0.0, 5.0, 0.0]
    assert result["onvervulde_nood"].tolist()[:4] == [20.0, 0.0, 0.0, 0.0]
    assert result["onvervulde_nood_per_1000"].tolist()[:4] == [10.0, 0.0, 0.0, 0.0]
    assert result["klasse"].tolist() == [
        "onvervulde_nood",
        "gedekt",
        "onderbenut_aanbod",
        "gedekt",
        "onbekend",
    ]
    assert result.loc["E", ["tekort", "onvervulde_nood"]].isna().all()


def test_unmet_need_with_a_threshold_and_credible_shortfall_only():
    index = pd.Index(["A", "B", "C"])
    expected = pd.Series([10.0, 10.0, 10.0], index=index)
    observed = pd.Series([4.0, 8.0, 12.0], index=index)
    access = pd.Series([1.0, 1.0, 1.0], index=index)
    # All below the threshold 5: A and B use less than expected, C more (travels far).
    result = unmet_need(expected, observed, access, threshold=5.0)
    assert result["klasse"].tolist() == ["onvervulde_nood", "onvervulde_nood", "gedekt_ver_aanbod"]
    assert result["onvervulde_nood"].tolist() == [6.0, 2.0, 0.0]
    assert "onvervulde_nood_per_1000" not in result
    # Only A's shortfall is credible (e.g. the upper bound of its O/E interval is below 1).
    credible = pd.Series([True, False, False], index=index)
    result = unmet_need(expected, observed, access, threshold=5.0, credible_shortfall=credible)
    assert result["klasse"].tolist() == [
        "onvervulde_nood",
        "gedekt_ver_aanbod",
        "gedekt_ver_aanbod",
    ]
    assert result["onvervulde_nood"].tolist() == [6.0, 0.0, 0.0]


@pytest.mark.parametrize("cells_per_block", [7, 1_000_000])
def test_pairs_within_reach_are_those_a_kd_tree_finds(monkeypatch, cells_per_block):
    from scipy.spatial import cKDTree

    from jeugdhulp.analysis import accessibility

    monkeypatch.setattr(accessibility, "_PAIR_CELLS_PER_BLOCK", cells_per_block)
    rng = np.random.default_rng(11)
    areas = rng.uniform(-50_000, 50_000, size=(400, 2))
    sites = np.r_[rng.uniform(-50_000, 50_000, size=(30, 2)), areas[:1]]  # one at distance 0
    rows, columns, metres = accessibility._pairs_within(areas, sites, 20_000.0)
    tree = cKDTree(areas).sparse_distance_matrix(
        cKDTree(sites), max_distance=20_000.0, output_type="ndarray"
    )
    found = sorted(zip(rows.tolist(), columns.tolist(), metres.tolist(), strict=True))
    expected = sorted(zip(tree["i"].tolist(), tree["j"].tolist(), tree["v"].tolist(), strict=True))
    assert found == expected
    assert (0, 30, 0.0) in found
