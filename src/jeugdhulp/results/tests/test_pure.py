"""Region profile, trends, compact GeoJSON, colour classes and export files (no database)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdhulp.analysis.profile import region_profile
from jeugdhulp.results import exports, trends
from jeugdhulp.results.geometry import compact_geojson, simplified
from jeugdhulp.results.indicators import BY_KEY, HIDDEN_COLOUR, class_breaks, colour_of, palette


def test_rate_ratio_test_matches_hand_computed_binomial():
    # 10 children of 1,000 before, 20 of 1,000 after: under no change O2 ~ Bin(30, 1/2).
    # P(X >= 20) = 0.049369..., two-sided central p = 0.098739...
    ratio, low, high, p = trends.rate_ratio_test(
        np.array([10]), np.array([1000]), np.array([20]), np.array([1000])
    )
    assert ratio[0] == pytest.approx(2.0)
    assert p[0] == pytest.approx(0.0987, abs=1e-4)
    # Clopper–Pearson for 20/30, then pi/(1-pi): lower 0.4719 -> 0.893, upper 0.8271 -> 4.78.
    assert low[0] == pytest.approx(0.893, abs=2e-3)
    assert high[0] == pytest.approx(4.78, abs=2e-2)


def test_rate_ratio_uses_the_populations():
    # Same rate (1%) in a population twice as large: no change, p = 1.
    ratio, _, _, p = trends.rate_ratio_test(
        np.array([10]), np.array([1000]), np.array([20]), np.array([2000])
    )
    assert ratio[0] == pytest.approx(1.0)
    assert p[0] > 0.9


@settings(suppress_health_check=[HealthCheck.too_slow])  # scipy's first call, on a busy machine
@given(st.integers(0, 200), st.integers(0, 200), st.integers(50, 5000), st.integers(50, 5000))
def test_rate_ratio_interval_contains_the_estimate(o1, o2, p1, p2):
    ratio, low, high, p = trends.rate_ratio_test(
        np.array([o1]), np.array([p1]), np.array([o2]), np.array([p2])
    )
    if o1 + o2 == 0:
        assert np.isnan(p[0])
        return
    assert 0.0 <= p[0] <= 1.0
    assert low[0] <= ratio[0] <= high[0] or (o1 == 0 and np.isinf(ratio[0]))


def _table(counts, residents=1000.0):
    return pd.DataFrame(
        {
            "gebied_code": [f"G{i}" for i in range(len(counts))],
            "gebied_naam": [f"Gebied {i}" for i in range(len(counts))],
            "hulpvorm": "ALLE",
            "aantal_clienten": counts,
            "inwoners": residents,
            "bereik_per_1000": [np.nan if c is None else c for c in counts],
            "ratio_eb": 1.0,
        }
    ).astype({"aantal_clienten": float})


def test_compare_flags_significant_changes_and_suppressed_cells():
    before = _table([10, 50, None, 0])
    after = _table([60, 52, 40, 0])
    out = trends.compare(before, after).set_index("gebied_code")
    assert out.loc["G0", "trend"] == trends.INCREASE
    assert out.loc["G1", "trend"] == trends.NO_CHANGE
    assert out.loc["G2", "trend"] == trends.NOT_COMPARABLE
    assert out.loc["G3", "trend"] == trends.NO_CHANGE
    assert out.loc["G0", "verschil_bereik"] == pytest.approx(50.0)


def test_compare_detects_a_decrease():
    out = trends.compare(_table([80, 30]), _table([20, 30])).set_index("gebied_code")
    assert out.loc["G0", "trend"] == trends.DECREASE
    assert out.loc["G0", "verhouding"] == pytest.approx(0.25)


def test_region_profile_sums_match_the_region_and_hide_small_cells(analysed, small_inputs):
    profile = region_profile(analysed, small_inputs["population"])
    assert profile["banden"] == ["0–2", "3–5", "6–11", "12–17", "18–24"]
    region = analysed.region.set_index("hulpvorm")
    threshold = analysed.params.threshold
    for form, figures in profile["hulpvormen"].items():
        counts = figures["aantal_per_band"]
        shown = [c for c in counts if c is not None]
        assert all(c == 0 or c >= threshold for c in shown)
        if len(shown) == len(counts):
            assert sum(shown) == region.loc[form, "aantal_clienten"]
        assert 0 <= figures["aandeel_crisis"] <= 1
    # 5 x 5 areas x 200 residents (both sexes) per band: 0-2 holds 5,000 residents.
    everything = profile["hulpvormen"]["ALLE"]
    if everything["aantal_per_band"][0] is not None:
        assert everything["bereik_per_band"][0] == pytest.approx(
            1000 * everything["aantal_per_band"][0] / 5000, abs=1e-3
        )


def test_region_profile_suppresses_a_band_with_few_children():
    from jeugdhulp.analysis.profile import _suppressed_table

    counts = np.array([[3, 20, 23], [40, 30, 70], [50, 45, 95]])
    shown = _suppressed_table(counts, 5)
    assert np.isnan(shown[0, 0])
    # Secondary suppression: the hidden 3 cannot be recovered from its row or column.
    assert np.isnan(shown[0]).sum() >= 2 and np.isnan(shown[:, 0]).sum() >= 2


def test_compact_geojson_rounds_coordinates_and_keeps_codes():
    areas = gpd.GeoDataFrame(
        {"code": ["01", "02"], "naam": ["Één", "Twee"]},
        geometry=[shapely.box(4.1234567, 50.1, 4.2, 50.2), shapely.box(4.2, 50.1, 4.3, 50.2)],
        crs="EPSG:4326",
    )
    data = json.loads(compact_geojson(areas))
    assert [f["id"] for f in data["features"]] == ["01", "02"]
    assert data["features"][0]["properties"]["naam"] == "Één"
    xs = [x for x, _ in data["features"][0]["geometry"]["coordinates"][0]]
    assert 4.12346 in xs and 4.1234567 not in xs


def test_simplified_fills_missing_outlines_from_the_full_geometry():
    full = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs=4326
    )
    simple = gpd.GeoDataFrame(
        {"code": ["A", "B"], "naam": ["a", "b"]}, geometry=[shapely.box(0, 0, 1, 1), None], crs=4326
    )
    out = simplified(simple, full)
    assert out.geometry.iloc[1].equals(shapely.box(1, 0, 2, 1))


def test_ratio_classes_are_fixed_and_centred_on_one():
    ratio = BY_KEY["ratio"]
    breaks = class_breaks(np.array([0.2, 5.0]), ratio)
    colours = palette(ratio, len(breaks))
    assert len(colours) == len(breaks) + 1 == 7
    # 1.0 falls in the middle (neutral) class; a missing value gets the hidden colour.
    assert colour_of(np.array([1.0, np.nan]), breaks, colours) == [colours[3], HIDDEN_COLOUR]


def test_sequential_classes_are_quantiles():
    reach = BY_KEY["bereik"]
    values = np.arange(1, 101, dtype=float)
    breaks = class_breaks(values, reach)
    assert len(breaks) == 6
    assert breaks[0] == pytest.approx(np.quantile(values, 1 / 7), abs=0.01)
    assert class_breaks(np.array([np.nan]), reach) == []


def test_exports_are_written_and_agree(analysed, tmp_path):
    exports.write_exports(analysed, tmp_path, {"formaat": "test"})
    for export in exports.EXPORTS:
        assert (tmp_path / export.filename).stat().st_size > 0
    comma = pd.read_csv(tmp_path / "indicatoren.csv", dtype={"gebied_code": str})
    semicolon = pd.read_csv(
        tmp_path / "indicatoren-puntkomma.csv", sep=";", decimal=",", encoding="utf-8-sig"
    )
    parquet = pd.read_parquet(tmp_path / "indicatoren.parquet")
    xlsx = pd.read_excel(tmp_path / "indicatoren.xlsx", sheet_name="indicatoren")
    assert list(comma.columns) == list(semicolon.columns) == list(parquet.columns)
    assert len(comma) == len(semicolon) == len(parquet) == len(xlsx) == 25 * 3
    pd.testing.assert_series_equal(
        comma["bereik_per_1000"], semicolon["bereik_per_1000"], check_names=False
    )
    pd.testing.assert_series_equal(
        comma["bereik_per_1000"], xlsx["bereik_per_1000"], check_names=False, check_dtype=False
    )
    assert list(xlsx.columns) == list(comma.columns)
    assert xlsx["gebied_code"].astype(str).tolist() == comma["gebied_code"].tolist()
    sheets = pd.read_excel(tmp_path / "indicatoren.xlsx", sheet_name=None)
    assert list(sheets) == ["indicatoren", "regio", "toelichting"]
    assert "een vraag, geen oordeel" in " ".join(sheets["toelichting"]["toelichting"])
    raw = (tmp_path / "indicatoren-puntkomma.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    layers = gpd.list_layers(tmp_path / "gebieden.gpkg")["name"].tolist()
    assert sorted(layers) == ["ALLE", "BH", "CB"]


def test_exports_never_contain_helper_counts_or_small_numbers(analysed, tmp_path):
    exports.write_exports(analysed, tmp_path, {})
    frame = pd.read_parquet(tmp_path / "indicatoren.parquet")
    assert not [c for c in frame.columns if c.startswith("n_")]
    counts = frame["aantal_clienten"].dropna()
    assert ((counts == 0) | (counts >= analysed.params.threshold)).all()
